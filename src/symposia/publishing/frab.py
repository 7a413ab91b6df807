"""The programme in the frab/pretalx schedule format (`schedule.json`, `schedule.xml`).

This is the format conference apps (Giggity, EventFahrplan, ConfClerk) and recording tools (the
c3voc tracker) read, as produced by frab and pretalx. The structures follow the c3voc
validator's JSON Schema (draft-06) and XML Schema (public repository voc/schedule,
`validator/`); the tests validate every export against both.

Shape: conference → days (a day runs from `day_change` local time to the same time the next
day, so a session at 01:00 belongs to the evening before, as in pretalx) → rooms → events.
Each event has a stable `guid` (`data.item_guid`: uuid5 of the event slug and item id), a
`date` with the UTC offset of the event's zone, a local `start` ("HH:MM") and a `duration`
("HH:MM"). Breaks and items without a time or room are not part of the schedule: the format
describes recorded, attended sessions, and recording tools would make a ticket for each event.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from symposia import __version__

from .data import (
    Item,
    ItemKind,
    Person,
    ProgrammeEvent,
    Room,
    item_guid,
    person_guid,
    room_guid,
)

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
GENERATOR = "Symposia"
DEFAULT_DAY_CHANGE = time(4, 0)
DEFAULT_TIMESLOT = timedelta(minutes=5)

_SLUG_PATTERN = re.compile(r"[a-z0-9_-]+[a-z0-9]")
_CODE_PATTERN = re.compile(r"[A-Z0-9]+")
_XML_CODE_PATTERN = re.compile(r"[0-9A-Z]{6}")
_XML_TRACK_SLUG = re.compile(r"[a-z][a-z0-9-]+")
# Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab, LF, CR).
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def schedule_json(
    event: ProgrammeEvent,
    rooms: Sequence[Room],
    items: Iterable[Item],
    *,
    version: str,
    base_url: str,
    day_change: time = DEFAULT_DAY_CHANGE,
    timeslot: timedelta = DEFAULT_TIMESLOT,
) -> dict:
    """The schedule as a `schedule.json` document (a dict ready for `json.dumps`).

    `rooms` gives the room order (rooms used by items but missing there are appended);
    `version` is the schedule's version name shown by apps (e.g. "1.3"); `base_url` is the
    absolute URL relative media and talk links are resolved against. Items without a URL
    link to `base_url`.
    """
    plan = _plan(event, rooms, items, day_change=day_change)
    conference: dict = {
        "acronym": acronym(event.slug),
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "daysCount": len(plan.days),
        "timeslot_duration": _hhmm(timeslot),
        "time_zone_name": event.timezone,
    }
    if event.url:
        conference["url"] = event.url
    if plan.tracks:
        conference["tracks"] = [
            {"name": name, **({"slug": slug} if slug else {})} for name, slug in plan.tracks
        ]
    conference["rooms"] = [_room_json(event, room) for room in plan.rooms]
    conference["days"] = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": start.isoformat(),
            "day_end": end.isoformat(),
            "rooms": {
                room.name: [
                    _event_json(event, item, base_url=base_url)
                    for item in plan.by_day_room[(day, room.name)]
                ]
                for room in plan.rooms
            },
        }
        for index, (day, start, end) in enumerate(plan.day_bounds(event, day_change), start=1)
    ]
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR, "version": __version__},
        "schedule": {"version": version, "base_url": base_url, "conference": conference},
    }


def schedule_xml(
    event: ProgrammeEvent,
    rooms: Sequence[Room],
    items: Iterable[Item],
    *,
    version: str,
    base_url: str,
    day_change: time = DEFAULT_DAY_CHANGE,
    timeslot: timedelta = DEFAULT_TIMESLOT,
) -> bytes:
    """The same schedule as `schedule.xml` (UTF-8 bytes with an XML declaration).

    Arguments as for `schedule_json`. Characters XML cannot carry (C0 controls) are dropped.
    """
    plan = _plan(event, rooms, items, day_change=day_change)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR, version=__version__)
    _text(root, "version", version)
    conference = ET.SubElement(root, "conference")
    _text(conference, "title", event.title)
    _text(conference, "acronym", acronym(event.slug))
    _text(conference, "start", event.start.isoformat())
    _text(conference, "end", event.end.isoformat())
    _text(conference, "days", str(len(plan.days)))
    _text(conference, "timeslot_duration", _hhmm(timeslot))
    if _is_http(base_url):
        _text(conference, "base_url", base_url)
    if _is_http(event.url):
        _text(conference, "url", event.url)
    _text(conference, "time_zone_name", event.timezone)
    for name, slug in plan.tracks:
        track = ET.SubElement(conference, "track", name=_clean(name))
        if slug and _XML_TRACK_SLUG.fullmatch(slug):
            track.set("slug", slug)
    for index, (day, start, end) in enumerate(plan.day_bounds(event, day_change), start=1):
        day_element = ET.SubElement(
            root,
            "day",
            index=str(index),
            date=day.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
        for room in plan.rooms:
            room_element = ET.SubElement(
                day_element, "room", name=_clean(room.name), guid=str(room_guid(event, room))
            )
            for item in plan.by_day_room[(day, room.name)]:
                _event_xml(room_element, event, item, base_url=base_url)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def acronym(slug: str) -> str:
    """The conference acronym apps use in file names: the event slug in [a-z0-9_], at least
    four characters (the c3voc schema requires it)."""
    value = re.sub(r"[^a-z0-9_]", "_", slug.lower())
    return value.ljust(4, "_")


def slugify(text: str) -> str:
    """ASCII slug of a title: lower case letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:50].rstrip("-")


def item_slug(event: ProgrammeEvent, item: Item) -> str:
    """`<acronym>-<id>-<title slug>` as pretalx makes it, e.g. "mathml2020-12-sparse-recovery"."""
    tail = f"{item.id}-{slugify(item.title) or item.kind.value}"
    if len(tail) < 4:  # the XML schema wants four characters after the acronym
        tail = f"{tail}-{item.kind.value}"
    return f"{acronym(event.slug)}-{tail}"


def person_number(event: ProgrammeEvent, person: Person) -> int:
    """The person's integer id for frab clients: the record id, else one derived from the
    person's GUID (stable, positive, 31 bits)."""
    if person.id is not None and person.id > 0:
        return person.id
    return person_guid(event, person).int % (2**31 - 1) + 1


class _Plan:
    """Items placed on days and rooms, with the rooms and tracks in display order."""

    def __init__(self) -> None:
        self.days: list[date] = []
        self.rooms: list[Room] = []
        self.tracks: list[tuple[str, str]] = []
        self.by_day_room: dict[tuple[date, str], list[Item]] = {}

    def day_bounds(self, event: ProgrammeEvent, day_change: time):
        """(day, first instant, last minute) per day, in the event's zone."""
        zone = event.zone
        for day in self.days:
            start = datetime.combine(day, day_change, tzinfo=zone)
            following = datetime.combine(day + timedelta(days=1), day_change, tzinfo=zone)
            yield day, start, following - timedelta(minutes=1)


def _plan(
    event: ProgrammeEvent, rooms: Sequence[Room], items: Iterable[Item], *, day_change: time
) -> _Plan:
    plan = _Plan()
    zone = event.zone
    placed: list[tuple[date, Item]] = []
    for item in items:
        if item.kind is ItemKind.BREAK or item.start is None or item.room is None:
            continue
        local = item.start.astimezone(zone)
        day = local.date() - timedelta(days=1) if local.time() < day_change else local.date()
        placed.append((day, item))

    known = list(rooms)
    names = {room.name for room in known}
    for _, item in sorted(placed, key=lambda pair: (pair[1].start, pair[1].id)):
        if item.room is not None and item.room.name not in names:
            known.append(item.room)
            names.add(item.room.name)
        if item.track and item.track not in {name for name, _ in plan.tracks}:
            slug = slugify(item.track)
            plan.tracks.append((item.track, slug if _SLUG_PATTERN.fullmatch(slug) else ""))
    plan.rooms = known

    all_days = [*event.days, *(day for day, _ in placed)]
    first, last = min(all_days), max(all_days)
    plan.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    plan.by_day_room = {(day, room.name): [] for day in plan.days for room in known}
    for day, item in sorted(placed, key=lambda pair: (pair[1].start, pair[1].id)):
        plan.by_day_room[(day, item.room.name)].append(item)  # type: ignore[union-attr]
    return plan


def _room_json(event: ProgrammeEvent, room: Room) -> dict:
    data: dict = {"name": room.name, "guid": str(room_guid(event, room))}
    slug = slugify(room.name)
    if _SLUG_PATTERN.fullmatch(slug):
        data["slug"] = slug
    data["description"] = room.description or None
    data["capacity"] = room.capacity
    return data


def _event_common(event: ProgrammeEvent, item: Item, *, base_url: str) -> dict:
    zone = event.zone
    start = item.start.astimezone(zone)  # type: ignore[union-attr]
    end = item.end.astimezone(zone)  # type: ignore[union-attr]
    subtitle = f"Poster board {item.board}" if item.kind is ItemKind.POSTER and item.board else ""
    return {
        "guid": str(item_guid(event, item)),
        "date": start.isoformat(),
        "start": f"{start:%H:%M}",
        "end": end.isoformat(),
        "duration": _hhmm(item.end - item.start),  # type: ignore[operator]
        "room": item.room.name,  # type: ignore[union-attr]
        "slug": item_slug(event, item),
        "url": item.url or base_url,
        "subtitle": subtitle,
        "type": item.kind.label,
        "persons": list(item.speakers or item.byline),
    }


def _references(item: Item) -> tuple[list[dict], list[dict]]:
    """(links, attachments): the recording is a link, the slides an attachment."""
    links = [{"type": "media", "url": item.video_url, "title": "Video"}] if item.video_url else []
    attachments = (
        [{"type": "slides", "url": item.slides_url, "title": "Slides"}] if item.slides_url else []
    )
    return links, attachments


def _event_json(event: ProgrammeEvent, item: Item, *, base_url: str) -> dict:
    common = _event_common(event, item, base_url=base_url)
    links, attachments = _references(item)
    data: dict = {"id": item.id, "guid": common["guid"]}
    if _CODE_PATTERN.fullmatch(item.code):
        data["code"] = item.code
    data.update(
        {
            "date": common["date"],
            "start": common["start"],
            "end": common["end"],
            "duration": common["duration"],
            "room": common["room"],
            "slug": common["slug"],
            "url": common["url"],
            "title": item.title,
            "subtitle": common["subtitle"],
            "track": item.track or None,
            "type": common["type"],
            "language": item.language or None,
            "abstract": item.abstract,
            "description": "",
            "persons": [
                {
                    "id": person_number(event, person),
                    "guid": str(person_guid(event, person)),
                    "public_name": person.name,
                }
                for person in common["persons"]
            ],
            "links": links,
            "attachments": attachments,
        }
    )
    return data


def _event_xml(parent: ET.Element, event: ProgrammeEvent, item: Item, *, base_url: str) -> None:
    common = _event_common(event, item, base_url=base_url)
    element = ET.SubElement(parent, "event", id=str(item.id), guid=common["guid"])
    if _XML_CODE_PATTERN.fullmatch(item.code):
        element.set("code", item.code)
    _text(element, "room", common["room"])
    _text(element, "title", item.title)
    _text(element, "subtitle", common["subtitle"])
    _text(element, "type", common["type"])
    _text(element, "date", common["date"])
    _text(element, "start", common["start"])
    _text(element, "duration", common["duration"])
    _text(element, "abstract", item.abstract)
    _text(element, "slug", common["slug"])
    _text(element, "track", item.track)
    persons = ET.SubElement(element, "persons")
    for person in common["persons"]:
        _text(
            persons,
            "person",
            person.name,
            id=str(person_number(event, person)),
            guid=str(person_guid(event, person)),
        )
    _text(element, "language", item.language)
    _text(element, "description", "")
    links, attachments = _references(item)
    links_element = ET.SubElement(element, "links")
    for link in links:
        _text(links_element, "link", link["title"], href=link["url"], type=link["type"])
    attachments_element = ET.SubElement(element, "attachments")
    for attachment in attachments:
        _text(
            attachments_element,
            "attachment",
            attachment["title"],
            href=attachment["url"],
            type=attachment["type"],
        )
    if _is_http(common["url"]):
        _text(element, "url", common["url"])


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _clean(val) for key, val in attributes.items()})
    element.text = _clean(value)
    return element


def _clean(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _hhmm(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _is_http(url: str) -> bool:
    return url.startswith(("http://", "https://"))
