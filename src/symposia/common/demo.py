"""Synthetic demo data: each app may provide `symposia.<app>.demo.fill(event, *, rng, options)`.

`symposia demo SLUG` calls them in DEMO_APPS order, so later apps can build on earlier ones
(submissions need accounts, reviews need submissions). All randomness comes from `rng`, a
`random.Random` seeded from `--seed`, so the same command gives the same data.
"""

import importlib

DEMO_APPS = ["events", "accounts", "cfp", "reviews", "registration", "schedule", "publishing"]


def fill_event(event, *, rng, options: dict, log=print) -> None:
    """Run every app's demo filler on `event` in order; apps without a `demo` module are skipped."""
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"symposia.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"symposia.{app}.demo":
                raise
            continue
        module.fill(event, rng=rng, options=options, log=log)


def prepare_showcase(event, *, log=print) -> None:
    """Make the served demo event usable (e.g. the call open, registration open).

    Calls `symposia.<app>.demo.showcase(event, log=...)` where an app defines it; idempotent.
    """
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"symposia.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"symposia.{app}.demo":
                raise
            continue
        if hasattr(module, "showcase"):
            module.showcase(event, log=log)
