"""iCalendar (RFC 5545) exports of the programme: the whole event, one session, one item.

Times are written in the event's IANA zone (`DTSTART;TZID=Europe/London:20261025T090000`) with a
matching VTIMEZONE built from the tz database by the icalendar package, covering the years the
programme spans. Clients then compute the same instants whatever their own zone, including
across a daylight-saving change; a bare or made-up TZID (such as `TZID:GMT` for a zone that
observes summer time) is what shifts talks by an hour on some clients. Events in UTC are
written with the `Z` suffix and need no VTIMEZONE (RFC 5545, section 3.3.5).

Every VEVENT carries a stable UID `<guid>@<host>` (the schedule GUID of `data.item_guid`), so
re-importing a newer export updates events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vDuration

from .data import Item, ItemKind, ProgrammeEvent, Session, item_guid, session_guid
from .markup import inline_text, parse_blocks, parse_inline, plain_text

PRODID = "-//Symposia//Programme//EN"
REFRESH = timedelta(hours=1)
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal"}


def calendar_for(
    event: ProgrammeEvent,
    items: Iterable[Item],
    *,
    host: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """The whole programme as one calendar: a VEVENT per scheduled item (breaks included).

    Items without a start time (unscheduled posters) are left out. `host` is the right-hand
    side of UIDs (default: the host of `event.url`); `stamp` is DTSTAMP (default: now, UTC).
    Returns the calendar as UTF-8 bytes with CRLF line ends and lines folded at 75 octets.
    """
    scheduled = sorted(
        (item for item in items if item.is_scheduled),
        key=lambda item: (item.start, item.room.name if item.room else "", item.id),
    )
    calendar = _calendar(event, event.title)
    for item in scheduled:
        calendar.add_component(_item_event(event, item, host=host, stamp=stamp))
    return _finish(calendar, event, [item.start for item in scheduled])  # type: ignore[misc]


def calendar_for_item(
    event: ProgrammeEvent,
    item: Item,
    *,
    host: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """One item as a calendar with a single VEVENT (same UID as in `calendar_for`).

    Raises ValueError when the item has no time in the timetable.
    """
    if not item.is_scheduled:
        raise ValueError(f"item {item.id} is not in the timetable")
    calendar = _calendar(event, f"{_plain_title(item.title)} – {event.title}")
    calendar.add_component(_item_event(event, item, host=host, stamp=stamp))
    return _finish(calendar, event, [item.start])  # type: ignore[list-item]


def calendar_for_session(
    event: ProgrammeEvent,
    session: Session,
    *,
    host: str | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """One session as a calendar with a single VEVENT spanning the session.

    The description names the chair and lists the session's items with their local times.
    """
    calendar = _calendar(event, f"{session.title} – {event.title}")
    zone = event.zone
    lines = []
    if session.chair is not None:
        lines.append(f"Chair: {session.chair.name}")
    if session.items:
        if lines:
            lines.append("")
        for item in session.items:
            names = ", ".join(person.name for person in item.speakers or item.byline)
            when = f"{item.start.astimezone(zone):%H:%M} " if item.start else ""
            lines.append(f"{when}{_plain_title(item.title)}" + (f" ({names})" if names else ""))
    if session.url:
        lines += ["", session.url]
    vevent = Event.new(
        uid=f"{session_guid(event, session)}@{_host(event, host)}",
        stamp=_stamp(stamp),
        start=_local(session.start, event),
        end=_local(session.end, event),
        summary=session.title,
        description="\n".join(lines) or None,
        location=_location(event, session.room.name if session.room else ""),
        url=session.url or None,
    )
    calendar.add_component(vevent)
    return _finish(calendar, event, [session.start])


def _calendar(event: ProgrammeEvent, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME for older clients
    calendar.refresh_interval = REFRESH
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    if event.url:
        calendar.add("URL", event.url)
    return calendar


def _item_event(
    event: ProgrammeEvent, item: Item, *, host: str | None, stamp: datetime | None
) -> Event:
    people = item.speakers or item.byline
    parts = []
    if people:
        parts.append(", ".join(person.name for person in people))
    abstract = plain_text(parse_blocks(item.abstract)).strip()
    if abstract:
        parts.append(abstract)
    if item.url:
        parts.append(item.url)
    categories = [item.kind.label]
    if item.track:
        categories.append(item.track)
    room = item.room.name if item.room else ""
    if item.kind is ItemKind.POSTER and item.board:
        room = f"{room}, board {item.board}" if room else f"Board {item.board}"
    return Event.new(
        uid=f"{item_guid(event, item)}@{_host(event, host)}",
        stamp=_stamp(stamp),
        start=_local(item.start, event),  # type: ignore[arg-type]
        end=_local(item.end, event),  # type: ignore[arg-type]
        summary=_plain_title(item.title),
        description="\n\n".join(parts) or None,
        location=_location(event, room),
        url=item.url or None,
        categories=categories,
    )


def _finish(calendar: Calendar, event: ProgrammeEvent, starts: list[datetime]) -> bytes:
    """Add the VTIMEZONE of the event's zone for the years used, then serialise."""
    if event.timezone not in _UTC_NAMES:
        dates = [event.start, event.end] + [start.astimezone(event.zone).date() for start in starts]
        first = date(min(dates).year, 1, 1)
        last = date(max(dates).year + 1, 1, 1)
        timezone = Timezone.from_tzid(event.timezone, first_date=first, last_date=last)
        # VTIMEZONE components come before the events that reference them.
        calendar.subcomponents.insert(0, timezone)
    return calendar.to_ical()


def _local(moment: datetime, event: ProgrammeEvent) -> datetime:
    if event.timezone in _UTC_NAMES:
        return moment.astimezone(UTC)
    return moment.astimezone(event.zone)


def _stamp(stamp: datetime | None) -> datetime:
    return (stamp or datetime.now(UTC)).astimezone(UTC)


def _host(event: ProgrammeEvent, host: str | None) -> str:
    if host:
        return host
    return urlsplit(event.url).hostname or f"{event.slug}.symposia.invalid"


def _location(event: ProgrammeEvent, room: str) -> str | None:
    location = ", ".join(part for part in (room, event.venue) if part)
    return location or None


def _plain_title(title: str) -> str:
    return " ".join(inline_text(parse_inline(title)).split())
