"""Menu entries that apps add to an event's navigation (call, registration, programme...), and
the organisers' tools they add to the event's overview at /<event>/manage/.

An app lists its entries in `symposia.<app>.navigation.MENU`, each a `MenuEntry` whose
`condition` builds an `Exists(...)` on the event (OuterRef("pk")). All conditions are evaluated
in one query, so the menu costs one query whatever the number of apps. Its organisers' tools
are `ManageEntry`s in `MANAGE` of the same module; listing them costs no query.
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
# The mail outbox lives in common: it adds a tool but no menu entry.
MANAGE_APPS = [*APPS, "common"]


@dataclass(frozen=True)
class MenuEntry:
    """A link shown in the event menu when `condition()` (an Exists on the event) is true."""

    label: str
    url_name: str
    condition: Callable[[], Exists]
    order: int = 100


@dataclass(frozen=True)
class ManageEntry:
    """An organisers' tool shown as a tile on the event's overview."""

    label: str
    url_name: str
    description: str
    order: int = 100


def _navigation_module(app: str):
    """`symposia.<app>.navigation`, or None when the app has none."""
    try:
        return importlib.import_module(f"symposia.{app}.navigation")
    except ModuleNotFoundError as exc:
        if exc.name != f"symposia.{app}.navigation":
            raise
        return None


@cache
def menu_entries() -> tuple[MenuEntry, ...]:
    """Every app's entries, in `order`; apps without a navigation module add none."""
    entries: list[MenuEntry] = []
    for app in APPS:
        module = _navigation_module(app)
        entries.extend(getattr(module, "MENU", ()))
    return tuple(sorted(entries, key=lambda entry: entry.order))


@cache
def manage_entries() -> tuple[ManageEntry, ...]:
    """Every app's organisers' tools, in `order`."""
    entries: list[ManageEntry] = []
    for app in MANAGE_APPS:
        module = _navigation_module(app)
        entries.extend(getattr(module, "MANAGE", ()))
    return tuple(sorted(entries, key=lambda entry: entry.order))


def manage_links(event: Event) -> list[tuple[str, str, str]]:
    """(label, url, description) of the organisers' tools of `event`; no query."""
    return [
        (entry.label, reverse(entry.url_name, kwargs={"event": event.slug}), entry.description)
        for entry in manage_entries()
    ]


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
