"""The public programme, loaded in a fixed number of queries, and its translation into the
Django-free dataclasses of `publishing.data` that the iCal, schedule and book writers read.

`load_programme(event)` runs five queries whatever the size of the programme (sessions,
rooms, items, their speakers, the contributions' authors); pages, feeds, the book and the
static export all start from it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from symposia.cfp.enums import ACCEPTED_STATES
from symposia.cfp.models import SubmissionAuthor
from symposia.publishing import data

from .enums import ItemKind, SessionKind
from .models import Item, Person, Publication, Room, Session


@dataclass
class Day:
    date: dt.date
    sessions: list[Session]
    zone_name: str


@dataclass
class Programme:
    """Sessions (each with `public_items`, a list in time and board order) and all public
    items of one event; `unscheduled` is filled only on request."""

    event: object
    publication: Publication | None
    sessions: list[Session] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)

    @property
    def days(self) -> list[Day]:
        zone = self.event.tzinfo
        days = []
        for date, sessions in groupby(self.sessions, key=lambda s: s.start.astimezone(zone).date()):
            sessions = list(sessions)
            days.append(Day(date, sessions, zone_abbreviation(zone, sessions[0].start)))
        return days

    @property
    def poster_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.kind == SessionKind.POSTERS and s.public_items]

    @property
    def version(self) -> int:
        return self.publication.version if self.publication else 0

    @property
    def speakers(self) -> list[Person]:
        """Everyone presenting a public item, by name."""
        people = {p.pk: p for item in self.items for p in item.speakers.all()}
        return sorted(people.values(), key=lambda p: (p.name.casefold(), p.pk))


def zone_abbreviation(zone: dt.tzinfo, moment: dt.datetime) -> str:
    """The zone's abbreviation at `moment` ("BST", "CEST"), or "UTC+03" where the tz database
    has only a number."""
    name = moment.astimezone(zone).tzname() or ""
    if name[:1] in "+-":
        return f"UTC{name}"
    return name


def zone_label(event, moment: dt.datetime | None = None) -> str:
    """E.g. "BST (Europe/London)"; "UTC" for UTC."""
    moment = moment or timezone.now()
    abbreviation = zone_abbreviation(event.tzinfo, moment)
    if abbreviation == event.timezone:
        return abbreviation
    return f"{abbreviation} ({event.timezone})"


def public_items_q() -> Q:
    """Items in the timetable whose contribution (if any) is still accepted."""
    return Q(session__isnull=False) & (
        Q(submission__isnull=True) | Q(submission__state__in=list(ACCEPTED_STATES))
    )


_UNSET = object()


def _items_queryset(event):
    return (
        Item.objects.filter(public_items_q(), event=event)
        .select_related("submission__contribution_type", "submission__track")
        .prefetch_related(
            Prefetch("speakers", queryset=Person.objects.order_by("name")),
            Prefetch(
                "submission__authors",
                queryset=SubmissionAuthor.objects.order_by("position", "pk"),
            ),
        )
        .order_by("start", "board_number", "pk")
    )


def _attach_event(item: Item, event) -> None:
    item.event = event
    for person in item.speakers.all():
        person.event = event
    if item.submission is not None:
        item.submission.event = event


def load_items(event, *, pk=None, submission=None, speaker=None) -> list[Item]:
    """Public items of `event` (one by `pk` or `submission`, or a speaker's), with their
    session, room, chair, speakers and authors; a constant number of queries."""
    queryset = _items_queryset(event).select_related("session__room", "session__chair")
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    if submission is not None:
        queryset = queryset.filter(submission=submission)
    if speaker is not None:
        queryset = queryset.filter(speakers=speaker)
    items = list(queryset)
    for item in items:
        _attach_event(item, event)
        item.session.event = event
    return items


def load_programme(
    event,
    *,
    publication: Publication | None | object = _UNSET,
    session_id: int | None = None,
    item_id: int | None = None,
) -> Programme:
    """Every public session and item of `event` with what the pages need, prefetched; or only
    one session (`session_id`) or one item with its session (`item_id`), for their feeds.

    Items get `session`, `event` and speakers' `event` set from memory, so rendering their
    URLs costs no query.
    """
    if publication is _UNSET:
        publication = Publication.objects.filter(event=event).first()
    rooms = list(Room.objects.filter(event=event))
    room_by_id = {room.pk: room for room in rooms}
    sessions = Session.objects.filter(event=event).select_related("chair").order_by("start", "pk")
    items = _items_queryset(event)
    if session_id is not None:
        sessions = sessions.filter(pk=session_id)
        items = items.filter(session_id=session_id)
    if item_id is not None:
        items = items.filter(pk=item_id)
        sessions = sessions.filter(items__pk=item_id)
    sessions = list(sessions)
    sessions.sort(
        key=lambda s: (s.start, room_by_id[s.room_id].position if s.room_id else 10**6, s.pk)
    )
    by_id = {}
    for session in sessions:
        session.event = event
        session.room = room_by_id.get(session.room_id)
        if session.chair is not None:
            session.chair.event = event
        session.public_items = []
        by_id[session.pk] = session
    items = list(items)
    for item in items:
        _attach_event(item, event)
        item.session = by_id[item.session_id]
        item.session.public_items.append(item)
    return Programme(
        event=event, publication=publication, sessions=sessions, items=items, rooms=rooms
    )


# --- Translation to publishing.data -----------------------------------------------------------


def site_url(path: str) -> str:
    """Absolute URL of a site path, from settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"


@dataclass
class ProgrammeData:
    event: data.ProgrammeEvent
    rooms: list[data.Room]
    sessions: list[data.Session]
    items: list[data.Item]
    version: str


def programme_event(event, programme: Programme | None = None, *, absolute=site_url):
    """The event as `data.ProgrammeEvent`; days from the event's dates, else its sessions'."""
    zone = event.tzinfo
    start, end = event.start_date, event.end_date
    if (start is None or end is None) and programme is not None and programme.sessions:
        start = start or programme.sessions[0].start.astimezone(zone).date()
        end = end or max(s.end for s in programme.sessions).astimezone(zone).date()
    start = start or timezone.localdate(timezone=zone)
    end = max(end or start, start)
    return data.ProgrammeEvent(
        slug=event.slug,
        title=event.title,
        timezone=event.timezone,
        start=start,
        end=end,
        venue=event.venue,
        url=absolute(event.get_absolute_url()),
        short_title=event.short_title,
    )


def _person(person: Person, absolute: Callable[[str], str]) -> data.Person:
    return data.Person(
        name=person.name,
        affiliation=person.affiliation,
        country=person.country,
        id=person.pk,
        url=absolute(person.get_absolute_url()),
    )


def _room(room: Room | None) -> data.Room | None:
    if room is None:
        return None
    return data.Room(name=room.name, id=room.pk, capacity=room.capacity)


def to_data(programme: Programme, *, absolute: Callable[[str], str] = site_url) -> ProgrammeData:
    """The programme as `publishing.data` objects; URLs made absolute by `absolute(path)`."""
    event = programme.event
    people: dict[int, data.Person] = {}

    def person(p: Person) -> data.Person:
        if p.pk not in people:
            people[p.pk] = _person(p, absolute)
        return people[p.pk]

    rooms = {room.pk: _room(room) for room in programme.rooms}
    items_by_session: dict[int, list[data.Item]] = defaultdict(list)
    items = []
    for item in programme.items:
        submission = item.submission
        slides = ""
        if item.slides:
            slides = absolute(item.slides_download_url())
        elif item.slides_url:
            slides = item.slides_url
        converted = data.Item(
            id=item.pk,
            title=item.display_title,
            kind=data.ItemKind(item.kind),
            code=submission.code if submission else "",
            abstract=item.display_abstract,
            speakers=[person(p) for p in item.speakers.all()],
            authors=[
                data.Person(a.name, a.affiliation, a.country) for a in submission.authors.all()
            ]
            if submission
            else [],
            start=item.start,
            end=item.end,
            room=rooms.get(item.session.room_id),
            session=item.session.title,
            track=submission.track.name if submission and submission.track else "",
            board=str(item.board_number) if item.board_number else "",
            slides_url=slides,
            video_url=item.video_url,
            url=absolute(item.get_absolute_url()),
        )
        items.append(converted)
        items_by_session[item.session_id].append(converted)
    sessions = [
        data.Session(
            id=session.pk,
            title=session.title,
            start=session.start,
            end=session.end,
            room=rooms.get(session.room_id),
            chair=person(session.chair) if session.chair else None,
            items=items_by_session.get(session.pk, []),
            url=absolute(session_url(session)),
        )
        for session in programme.sessions
    ]
    return ProgrammeData(
        event=programme_event(event, programme, absolute=absolute),
        rooms=[r for r in rooms.values() if r is not None],
        sessions=sessions,
        items=items,
        version=str(programme.version or 0),
    )


def session_url(session: Session) -> str:
    """The session's place on the programme page (an anchor)."""
    return reverse("schedule:programme", kwargs={"event": session.event.slug}) + (
        f"#session-{session.pk}"
    )


def is_talk(item: Item) -> bool:
    return item.kind in (ItemKind.INVITED, ItemKind.CONTRIBUTED)
