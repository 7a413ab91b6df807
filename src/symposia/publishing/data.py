"""The published programme as plain, immutable data: what the exports read.

The timetable and call-for-contributions models are translated into these dataclasses once;
the iCal, frab/c3voc schedule and book-of-abstracts writers then work on them alone, with no
database or Django import, so they can be tested and benchmarked in isolation.

Conventions:
- every datetime is timezone-aware (any zone; writers convert to the event's zone);
- text fields holding Markdown with `$...$` / `$$...$$` LaTeX maths say so (`abstract`); titles
  may hold inline maths; names and affiliations are plain text in any script;
- identifiers exposed to other systems (schedule GUIDs, iCal UIDs) are derived with `uuid5`
  from the event slug and our own ids, so they stay stable across exports (RFC 9562, section 5.5).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Fixed namespace of Symposia's published identifiers; changing it changes every GUID and UID.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:symposia:programme")


class ItemKind(enum.StrEnum):
    """What a programme item is; decides its section in the book and its type in schedules."""

    INVITED = "invited"
    CONTRIBUTED = "contributed"
    POSTER = "poster"
    BREAK = "break"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ItemKind.INVITED: "Invited talk",
    ItemKind.CONTRIBUTED: "Contributed talk",
    ItemKind.POSTER: "Poster",
    ItemKind.BREAK: "Break",
}


def _as_utc(name: str, value: datetime | None) -> datetime | None:
    """Check that `value` is aware and return the same instant in UTC.

    Stored in UTC because Python compares and subtracts datetimes sharing a tzinfo by wall
    time, which is wrong across a daylight-saving change (01:30 BST to 02:30 GMT is 2 hours).
    """
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class ProgrammeEvent:
    """The event a programme belongs to.

    `timezone` is an IANA name (e.g. "Europe/London"); `start`/`end` are the first and last
    day, inclusive, in that zone; `url` is the absolute public address of the event's site.
    Raises ValueError on an unknown zone or an end before the start.
    """

    slug: str
    title: str
    timezone: str
    start: date
    end: date
    venue: str = ""
    url: str = ""
    short_title: str = ""

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        if self.end < self.start:
            raise ValueError(f"event ends ({self.end}) before it starts ({self.start})")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        """Every day of the event, first to last."""
        count = (self.end - self.start).days + 1
        return [self.start + timedelta(days=offset) for offset in range(count)]


@dataclass(frozen=True)
class Room:
    """A room of the venue; `id` is the timetable's id when there is one (used for GUIDs)."""

    name: str
    id: int | None = None
    capacity: int | None = None
    description: str = ""


@dataclass(frozen=True)
class Person:
    """A speaker, author or chair as published: public name in any script, affiliation, country.

    `id` is the account's or author record's id when known; exports that need a number or a
    stable identifier derive one from the name otherwise.
    """

    name: str
    affiliation: str = ""
    country: str = ""
    id: int | None = None
    url: str = ""

    @property
    def affiliation_line(self) -> str:
        """ "Affiliation, Country" with empty parts left out."""
        return ", ".join(part for part in (self.affiliation.strip(), self.country.strip()) if part)


@dataclass(frozen=True)
class Item:
    """One published programme item: a talk, a poster, or a break.

    `abstract` is Markdown with LaTeX maths; `title` may hold inline maths. `start`/`end` are
    aware datetimes (both or neither; a poster may have none), kept in UTC. `board` is a
    poster's board label ("P12"). `speakers` present the item; `authors` wrote it, in byline
    order, each with the affiliation printed in the book. Sequences are stored as tuples.
    Raises ValueError on naive datetimes, an end not after the start, or a non-positive id.
    """

    id: int
    title: str
    kind: ItemKind = ItemKind.CONTRIBUTED
    code: str = ""
    abstract: str = ""
    speakers: Sequence[Person] = ()
    authors: Sequence[Person] = ()
    start: datetime | None = None
    end: datetime | None = None
    room: Room | None = None
    session: str = ""
    track: str = ""
    board: str = ""
    slides_url: str = ""
    video_url: str = ""
    url: str = ""
    language: str = "en"

    def __post_init__(self) -> None:
        if self.id < 1:
            raise ValueError(f"item id must be positive, got {self.id}")
        object.__setattr__(self, "kind", ItemKind(self.kind))
        object.__setattr__(self, "speakers", tuple(self.speakers))
        object.__setattr__(self, "authors", tuple(self.authors))
        object.__setattr__(self, "start", _as_utc("start", self.start))
        object.__setattr__(self, "end", _as_utc("end", self.end))
        if (self.start is None) != (self.end is None):
            raise ValueError("an item has both a start and an end, or neither")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"item {self.id} ends ({self.end}) before it starts ({self.start})")

    @property
    def is_scheduled(self) -> bool:
        return self.start is not None

    @property
    def duration(self) -> timedelta | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start

    @property
    def byline(self) -> tuple[Person, ...]:
        """Authors when known, else speakers: who the book and schedules credit."""
        return tuple(self.authors) or tuple(self.speakers)


@dataclass(frozen=True)
class Session:
    """A block of the timetable in one room, with a chair and its items in order.

    `start`/`end` are aware datetimes, kept in UTC. Raises ValueError as `Item` does.
    """

    id: int
    title: str
    start: datetime
    end: datetime
    room: Room | None = None
    chair: Person | None = None
    items: Sequence[Item] = field(default=())
    url: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "start", _as_utc("start", self.start))
        object.__setattr__(self, "end", _as_utc("end", self.end))
        if self.end <= self.start:
            raise ValueError(f"session {self.id} ends ({self.end}) before it starts ({self.start})")


def item_guid(event: ProgrammeEvent, item: Item) -> uuid.UUID:
    """Stable GUID of an item: uuid5 of the namespace, the event slug and the item id."""
    return uuid.uuid5(NAMESPACE, f"{event.slug}/item/{item.id}")


def session_guid(event: ProgrammeEvent, session: Session) -> uuid.UUID:
    """Stable GUID of a session (same scheme as `item_guid`)."""
    return uuid.uuid5(NAMESPACE, f"{event.slug}/session/{session.id}")


def room_guid(event: ProgrammeEvent, room: Room) -> uuid.UUID:
    """Stable GUID of a room, from its id or, lacking one, its name."""
    key = str(room.id) if room.id is not None else f"name:{room.name}"
    return uuid.uuid5(NAMESPACE, f"{event.slug}/room/{key}")


def person_guid(event: ProgrammeEvent, person: Person) -> uuid.UUID:
    """Stable GUID of a person, from the id or, lacking one, the public name."""
    key = str(person.id) if person.id is not None else f"name:{person.name}"
    return uuid.uuid5(NAMESPACE, f"{event.slug}/person/{key}")
