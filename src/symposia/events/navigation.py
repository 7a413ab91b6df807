"""Menu entries that apps add to an event's navigation (call, registration, programme...).

An app lists its entries in `symposia.<app>.navigation.MENU`, each a `MenuEntry` whose
`condition` builds an `Exists(...)` on the event (OuterRef("pk")). All conditions are evaluated
in one query, so the menu costs one query whatever the number of apps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db.models import Exists
from django.urls import reverse

from .models import Event

APPS = ["cfp", "reviews", "registration", "schedule", "publishing"]


@dataclass(frozen=True)
class MenuEntry:
    """A link shown in the event menu when `condition()` (an Exists on the event) is true."""

    label: str
    url_name: str
    condition: Callable[[], Exists]
    order: int = 100


@cache
def menu_entries() -> tuple[MenuEntry, ...]:
    """Every app's entries, in `order`; apps without a navigation module add none."""
    entries: list[MenuEntry] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"symposia.{app}.navigation")
        except ModuleNotFoundError as exc:
            if exc.name != f"symposia.{app}.navigation":
                raise
            continue
        entries.extend(module.MENU)
    return tuple(sorted(entries, key=lambda entry: entry.order))


def app_links(event: Event) -> list[tuple[str, str]]:
    """(label, url) of the app entries that apply to `event`; one query."""
    entries = menu_entries()
    if not entries:
        return []
    annotations = {f"entry_{index}": entry.condition() for index, entry in enumerate(entries)}
    flags = Event.objects.filter(pk=event.pk).annotate(**annotations).values(*annotations).first()
    if not flags:
        return []
    return [
        (entry.label, reverse(entry.url_name, kwargs={"event": event.slug}))
        for index, entry in enumerate(entries)
        if flags[f"entry_{index}"]
    ]
