"""Wording shared by the book and the LaTeX export: dates, an item's line, index order.

English month and weekday names are spelled out here rather than taken from the C library's
locale, so a worker's locale never changes the book.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .data import Item, Person, ProgrammeEvent

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_dates(start: date, end: date) -> str:
    """ "24–26 October 2026", "30 September – 2 October 2026", or one day "24 October 2026"."""
    first = f"{start.day} {MONTHS[start.month - 1]}"
    last = f"{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{last}"
    if start.year == end.year:
        return f"{first} – {last}"
    return f"{first} {start.year} – {last}"


def item_line(event: ProgrammeEvent, item: Item) -> str:
    """What, where and when, as printed under an abstract's authors:
    "Invited talk · Plenary · Wolfson Hall · Monday 14 September, 09:00–10:00 · Board P12"."""
    parts = [item.kind.label, item.session, item.room.name if item.room else ""]
    if item.start and item.end:
        start, end = item.start.astimezone(event.zone), item.end.astimezone(event.zone)
        parts.append(
            f"{WEEKDAYS[start.weekday()]} {start.day} {MONTHS[start.month - 1]}, "
            f"{start:%H:%M}–{end:%H:%M}"
        )
    if item.board:
        parts.append(f"Board {item.board}")
    return " · ".join(part for part in parts if part)


def name_sort_key(name: str) -> str:
    """Author index order: family name (taken as the last word) first, then the given names,
    accents and case ignored ("Zoë Ångström" sorts as "angstrom zoe"). Names without spaces
    (as usually written in Chinese or Japanese) sort as a whole."""
    words = name.split()
    ordered = " ".join([*words[-1:], *words[:-1]])
    decomposed = unicodedata.normalize("NFKD", ordered)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def presenting(person: Person, item: Item) -> bool:
    """Whether `person` is marked as the presenting author: one of the item's speakers, in a
    byline of several (same id, or same name when ids are missing)."""
    if len(item.byline) < 2:
        return False
    return any(
        (person.id is not None and person.id == speaker.id) or person.name == speaker.name
        for speaker in item.speakers
    )
