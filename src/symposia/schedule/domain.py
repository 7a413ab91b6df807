"""Every change of the timetable, one function per change.

Views call these functions and never write timetable fields themselves. Each raises
ScheduleError with a message for organisers when a rule refuses the change; times are aware
datetimes (stored in UTC, shown in the event's zone).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from symposia.cfp.enums import ACCEPTED_STATES, SubmissionState
from symposia.cfp.models import Submission, SubmissionAuthor
from symposia.cfp.pdf import PdfInfo, display_name

from . import people as people_parser
from . import posters as poster_groups
from . import warnings as checks
from .enums import ItemKind, PersonRole, SessionKind
from .models import Item, Person, Publication, Release, Room, Session

KEEP = object()  # "leave as it is" for optional arguments where None is a value
DEFAULT_MINUTES = {ItemKind.INVITED: 45, ItemKind.CONTRIBUTED: 20, ItemKind.BREAK: 30}


def _utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC, so that adding a length adds real time: Python adds to the
    wall clock of an aware datetime in its own zone, which is wrong across a change of
    summer time (01:30 BST + 3 hours would give 04:30 GMT, four hours later)."""
    return moment.astimezone(dt.UTC)


class ScheduleError(Exception):
    """A rule of the timetable refuses the change; the message is shown to organisers."""


# --- Publication ------------------------------------------------------------------------------


def get_publication(event) -> Publication:
    """The event's publication row (created unpublished on first use)."""
    publication, _ = Publication.objects.get_or_create(event=event)
    return publication


def is_published(event) -> bool:
    return Publication.objects.filter(event=event, published_at__isnull=False).exists()


def _snapshot(event) -> dict[str, list]:
    rows = (
        Item.objects.filter(event=event, session__isnull=False)
        .select_related("session__room", "submission")
        .order_by("pk")
    )
    return {
        str(item.pk): [
            item.display_title,
            item.start.isoformat(),
            item.end.isoformat(),
            item.session.room.name if item.session.room else "",
        ]
        for item in rows
    }


def describe_changes(before: dict, after: dict, *, zone: dt.tzinfo) -> list[str]:
    """Sentences for what changed between two snapshots (see Release.snapshot)."""

    def when(row: list) -> str:
        start = dt.datetime.fromisoformat(row[1]).astimezone(zone)
        return f"{start:%a %d %b %H:%M}" + (f", {row[3]}" if row[3] else "")

    changes = []
    for key in sorted(after.keys() - before.keys(), key=int):
        changes.append(f"Added “{after[key][0]}” ({when(after[key])}).")
    for key in sorted(before.keys() - after.keys(), key=int):
        changes.append(f"Removed “{before[key][0]}”.")
    for key in sorted(before.keys() & after.keys(), key=int):
        old, new = before[key], after[key]
        if old[1:] != new[1:]:
            changes.append(f"Moved “{new[0]}” from {when(old)} to {when(new)}.")
        elif old[0] != new[0]:
            changes.append(f"Renamed “{old[0]}” to “{new[0]}”.")
    return changes


def pending_changes(event) -> list[str]:
    """What changed in the timetable since the last publication (empty if none or unpublished)."""
    last = Release.objects.filter(event=event).order_by("-version").first()
    if last is None:
        return []
    return describe_changes(last.snapshot, _snapshot(event), zone=event.tzinfo)


def publish(event, *, by, note: str = "", now: dt.datetime | None = None) -> Release:
    """Make the programme public and record a new version.

    Side effects: Publication.published_at and version; one Release with the changes since the
    previous release. The public pages, feeds and static export show the timetable as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        publication = get_publication(event)
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        previous = Release.objects.filter(event=event).order_by("-version").first()
        snapshot = _snapshot(event)
        changes = (
            describe_changes(previous.snapshot, snapshot, zone=event.tzinfo) if previous else []
        )
        publication.version += 1
        publication.published_at = now
        publication.save()
        return Release.objects.create(
            event=event,
            version=publication.version,
            published_at=now,
            published_by=by,
            note=note[:300],
            snapshot=snapshot,
            changes=changes,
        )


def unpublish(event, *, by) -> Publication:
    """Hide the programme from the public again (the version number stays).

    Side effects: Publication.published_at cleared.
    """
    publication = get_publication(event)
    publication.published_at = None
    publication.save(update_fields=["published_at"])
    return publication


# --- People -----------------------------------------------------------------------------------


def unique_person_slug(event, name: str, *, exclude_pk: int | None = None) -> str:
    """A speaker-page slug for `name`, Unicode letters kept, unique within the event."""
    base = slugify(name, allow_unicode=True)[:100] or "speaker"
    taken = set(
        Person.objects.filter(event=event, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def save_person(
    event,
    *,
    name: str,
    person: Person | None = None,
    affiliation: str = "",
    country: str = "",
    role: str = PersonRole.OTHER,
    bio: str = "",
    email: str = "",
    user=None,
) -> Person:
    """Create or update a person of the programme. Side effects: saves Person (slug kept on
    rename so published links stay valid)."""
    name = " ".join(name.split())
    if not name:
        raise ScheduleError("A name is required.")
    if person is None:
        person = Person(event=event, slug=unique_person_slug(event, name))
    elif person.event_id != event.pk:
        raise ScheduleError("That person belongs to another event.")
    person.name = name
    person.affiliation = affiliation.strip()
    person.country = country.strip()
    person.role = role
    person.bio = bio
    person.email = email.strip()
    person.user = user
    person.save()
    return person


@dataclass
class ImportedPeople:
    created: list[Person] = field(default_factory=list)
    updated: list[Person] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated)


def import_people(event, *, texts: Iterable[str] | None = None) -> ImportedPeople:
    """Create Person rows from the "Invited participants" and "Organisers" lists of the
    event's pages (see `schedule.people`); idempotent.

    A person already there with the same name (case-insensitive) is updated (affiliation,
    country, and the role unless it was set by hand to another role than "other").
    `texts` replaces the pages' Markdown (for tests). Side effects: saves Person rows.
    """
    if texts is None:
        texts = event.pages.order_by("order", "pk").values_list("body", flat=True)
    result = ImportedPeople()
    existing = {p.name.casefold(): p for p in Person.objects.filter(event=event)}
    position = len(existing)
    with transaction.atomic():
        for text in texts:
            for listed in people_parser.parse_people(text):
                person = existing.get(listed.name.casefold())
                if person is None:
                    position += 1
                    person = Person.objects.create(
                        event=event,
                        name=listed.name,
                        affiliation=listed.affiliation,
                        country=listed.country,
                        role=listed.role,
                        slug=unique_person_slug(event, listed.name),
                        position=position,
                    )
                    existing[listed.name.casefold()] = person
                    result.created.append(person)
                    continue
                changed = (person.affiliation, person.country) != (
                    listed.affiliation,
                    listed.country,
                )
                person.affiliation, person.country = listed.affiliation, listed.country
                if person.role == PersonRole.OTHER and listed.role != PersonRole.OTHER:
                    person.role, changed = listed.role, True
                if changed:
                    person.save(update_fields=["affiliation", "country", "role"])
                    result.updated.append(person)
    return result


def person_for_author(event, author: SubmissionAuthor) -> Person:
    """The Person presenting for `author`: found by account, then address, then name;
    created (role "other") when missing. Side effects: may save a Person."""
    candidates = Person.objects.filter(event=event)
    person = None
    if author.user_id:
        person = candidates.filter(user_id=author.user_id).first()
    if person is None and author.email:
        person = candidates.filter(email__iexact=author.email).first()
    if person is None:
        person = candidates.filter(name__iexact=author.name, email="").first()
    if person is None:
        person = Person.objects.create(
            event=event,
            name=author.name,
            affiliation=author.affiliation,
            country=author.country,
            email=author.email,
            user_id=author.user_id,
            slug=unique_person_slug(event, author.name),
            role=PersonRole.OTHER,
        )
    elif not person.email and author.email:
        person.email = author.email
        person.save(update_fields=["email"])
    return person


def presenting_author(submission: Submission) -> SubmissionAuthor | None:
    authors = list(submission.authors.all())
    return next((a for a in authors if a.is_presenting), authors[0] if authors else None)


# --- Rooms and sessions -----------------------------------------------------------------------


def _check_owned(event, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.event_id != event.pk:
            raise ScheduleError(f"{obj} belongs to another event.")


def save_session(
    event,
    *,
    title: str,
    start: dt.datetime,
    end: dt.datetime,
    session: Session | None = None,
    kind: str = SessionKind.TALKS,
    chair: Person | None = None,
    room: Room | None = None,
    description: str = "",
) -> Session:
    """Create a session or change its fields (its items do not move; see `move_session`).

    Side effects: saves Session. Raises ScheduleError when it ends before it starts or the
    chair or room belongs to another event.
    """
    start, end = _utc(start), _utc(end)
    if end <= start:
        raise ScheduleError("A session must end after it starts.")
    _check_owned(event, chair, room)
    session = session or Session(event=event)
    session.title = title.strip()
    session.kind = kind
    session.chair = chair
    session.room = room
    session.start = start
    session.end = end
    session.description = description
    session.save()
    return session


def move_session(
    session: Session, *, start: dt.datetime, room: Room | None | object = KEEP
) -> Session:
    """Move a whole session to `start` (and `room` when given), its items with it.

    Side effects: saves the session and every item's start and end, shifted by the same amount.
    """
    if isinstance(room, Room):
        _check_owned(session.event, room)
    delta = _utc(start) - session.start
    with transaction.atomic():
        if delta:
            items = list(Item.objects.filter(session=session))
            for item in items:
                item.start += delta
                item.end += delta
            Item.objects.bulk_update(items, ["start", "end"])
        session.start += delta
        session.end += delta
        if room is not KEEP:
            session.room = room
        session.save()
    return session


def delete_session(session: Session) -> None:
    """Delete a session; its items leave the timetable but are kept (with slides, speakers).

    Side effects: items unscheduled, the session deleted.
    """
    with transaction.atomic():
        Item.objects.filter(session=session).update(
            session=None, start=None, end=None, board_number=None
        )
        session.delete()


def save_room(event, *, name: str, room: Room | None = None, capacity=None, position=0) -> Room:
    """Create or rename a room. Side effects: saves Room."""
    name = name.strip()
    if not name:
        raise ScheduleError("A room needs a name.")
    clash = Room.objects.filter(event=event, name__iexact=name)
    if room is not None:
        clash = clash.exclude(pk=room.pk)
    if clash.exists():
        raise ScheduleError(f"There is already a room called {name}.")
    room = room or Room(event=event)
    room.name, room.capacity, room.position = name, capacity, position
    room.save()
    return room


# --- Items ------------------------------------------------------------------------------------


def item_kind_for(submission: Submission) -> str:
    if submission.state == SubmissionState.ACCEPTED_POSTER:
        return ItemKind.POSTER
    return ItemKind.CONTRIBUTED


def default_length(kind: str, *, submission: Submission | None = None, session=None):
    """How long a new item lasts: the contribution type's duration, else 45 minutes for an
    invited talk, 20 for a contributed talk, 30 for a break; a poster lasts its session."""
    if kind == ItemKind.POSTER and session is not None:
        return session.end - session.start
    if submission is not None and submission.contribution_type_id:
        minutes = submission.contribution_type.duration_minutes
        if minutes:
            return dt.timedelta(minutes=minutes)
    return dt.timedelta(minutes=DEFAULT_MINUTES.get(kind, 20))


def _validate_place(item: Item, session: Session, start: dt.datetime, end: dt.datetime) -> None:
    if session.event_id != item.event_id:
        raise ScheduleError("That session belongs to another event.")
    if end <= start:
        raise ScheduleError("An item must end after it starts.")
    if start < session.start or end > session.end:
        zone = item.event.tzinfo
        raise ScheduleError(
            f"“{item.display_title}” would run {start.astimezone(zone):%H:%M}–"
            f"{end.astimezone(zone):%H:%M}, outside the session “{session.title}” "
            f"({session.start.astimezone(zone):%H:%M}–{session.end.astimezone(zone):%H:%M})."
        )
    if item.kind == ItemKind.POSTER and session.kind != SessionKind.POSTERS:
        raise ScheduleError("Posters go into poster sessions.")
    if item.kind != ItemKind.POSTER and session.kind == SessionKind.POSTERS:
        raise ScheduleError("Only posters go into a poster session.")


def save_item(
    event,
    *,
    kind: str,
    title: str,
    item: Item | None = None,
    abstract: str = "",
    speakers: Sequence[Person] = (),
) -> Item:
    """Create or edit an invited talk or a break (not yet in the timetable when new).

    Side effects: saves Item and its speakers. Contributions get their item from
    `place_submission`; their title and abstract come from the submission.
    """
    if kind not in (ItemKind.INVITED, ItemKind.BREAK):
        raise ScheduleError("Only invited talks and breaks are created here.")
    _check_owned(event, *speakers)
    if not title.strip():
        raise ScheduleError("A title is required.")
    item = item or Item(event=event)
    if item.submission_id:
        raise ScheduleError("The title of a contribution is edited by its authors.")
    item.kind, item.title, item.abstract = kind, title.strip(), abstract
    item.save()
    item.speakers.set(speakers)
    return item


def place_item(
    item: Item, *, session: Session, start: dt.datetime, end: dt.datetime | None = None
) -> Item:
    """Put `item` into `session` at `start` (until `end`, else for its current or default
    length; a poster spans its session).

    Side effects: saves the item's session, start and end. Raises ScheduleError outside the
    session's time or in a session of the wrong kind.
    """
    start = _utc(start)
    end = _utc(end) if end is not None else None
    if item.kind == ItemKind.POSTER:
        start, end = _utc(session.start), _utc(session.end)
    elif end is None:
        length = (
            item.end - item.start
            if item.start and item.end
            else default_length(item.kind, submission=item.submission, session=session)
        )
        end = start + length
    _validate_place(item, session, start, end)
    item.session, item.start, item.end = session, start, end
    if item.kind != ItemKind.POSTER:
        item.board_number = None
    item.save(update_fields=["session", "start", "end", "board_number", "updated"])
    return item


def move_item(item: Item, *, session: Session, start: dt.datetime) -> Item:
    """Move a placed item to another session or time, keeping its length.

    Side effects: as `place_item`.
    """
    return place_item(item, session=session, start=start)


def place_submission(
    submission: Submission,
    *,
    session: Session,
    start: dt.datetime,
    end: dt.datetime | None = None,
) -> Item:
    """Place an accepted contribution in the timetable (its item is created on first use,
    with the presenting author as speaker).

    Side effects: may create a Person and the Item; as `place_item`. Raises ScheduleError for
    a contribution that is not accepted or belongs to another event.
    """
    if submission.event_id != session.event_id:
        raise ScheduleError("That contribution belongs to another event.")
    if submission.state not in ACCEPTED_STATES:
        raise ScheduleError("Only accepted contributions go into the timetable.")
    with transaction.atomic():
        item = Item.objects.filter(submission=submission).first()
        kind = item_kind_for(submission)
        if item is None:
            item = Item.objects.create(event=submission.event, submission=submission, kind=kind)
            author = presenting_author(submission)
            if author is not None:
                item.speakers.set([person_for_author(submission.event, author)])
        elif item.kind != kind:
            item.kind = kind
            item.save(update_fields=["kind"])
        item.submission = submission
        return place_item(item, session=session, start=start, end=end)


def unschedule(item: Item) -> Item:
    """Take an item out of the timetable; it keeps its speakers, slides and abstract.

    Side effects: clears session, start, end and board number.
    """
    item.session = item.start = item.end = item.board_number = None
    item.save(update_fields=["session", "start", "end", "board_number", "updated"])
    return item


def delete_item(item: Item) -> None:
    """Delete an invited talk or break (contributions are unscheduled instead)."""
    if item.submission_id:
        raise ScheduleError("Contributions are taken out of the timetable, not deleted.")
    item.delete()


# --- Posters ----------------------------------------------------------------------------------


def assign_board_numbers(event) -> int:
    """Number the posters of every poster session 1, 2, ... in session order, keeping the
    current order within a session (board, then title). Returns how many were numbered.

    Side effects: saves Item.board_number of every scheduled poster; clears it elsewhere.
    """
    posters = list(
        Item.objects.filter(event=event, kind=ItemKind.POSTER, session__isnull=False)
        .select_related("session", "submission")
        .order_by("session__start", "session_id", "board_number", "pk")
    )
    posters.sort(
        key=lambda p: (
            p.session.start,
            p.session_id,
            p.board_number is None,
            p.board_number or 0,
            p.display_title.casefold(),
        )
    )
    for number, poster in enumerate(posters, start=1):
        poster.board_number = number
    with transaction.atomic():
        Item.objects.bulk_update(posters, ["board_number"])
        Item.objects.filter(event=event, kind=ItemKind.POSTER, session__isnull=True).update(
            board_number=None
        )
    return len(posters)


def accepted_posters(event):
    return Submission.objects.filter(event=event, state=SubmissionState.ACCEPTED_POSTER)


def group_posters(event, *, sessions: Sequence[Session], seed: int = 0) -> poster_groups.Grouping:
    """Distribute every accepted poster over `sessions` (poster sessions of the event) by
    topic, balanced in size, keeping presenters out of sessions that overlap their talks;
    then number the boards (see `schedule.posters`).

    Side effects: creates missing poster items (and presenters' Persons), saves every poster
    item's session, times and board number. Raises ScheduleError without poster sessions.
    """
    sessions = list(sessions)
    if not sessions:
        raise ScheduleError("Choose at least one poster session.")
    for session in sessions:
        _check_owned(event, session)
        if session.kind != SessionKind.POSTERS:
            raise ScheduleError(f"“{session.title}” is not a poster session.")
    submissions = list(
        accepted_posters(event)
        .select_related("schedule_item")
        .prefetch_related("authors")
        .order_by("pk")
    )
    with transaction.atomic():
        items = []
        for submission in submissions:
            item = getattr(submission, "schedule_item", None)
            if item is None:
                item = Item.objects.create(event=event, submission=submission, kind=ItemKind.POSTER)
                author = presenting_author(submission)
                if author is not None:
                    item.speakers.set([person_for_author(event, author)])
            items.append((item, submission))
        speaker_ids = {
            item_id: tuple(ids)
            for item_id, ids in _speaker_map([item.pk for item, _ in items]).items()
        }
        inputs = [
            poster_groups.PosterInput(
                id=item.pk,
                text="\n".join([submission.title, submission.abstract, submission.keywords]),
                presenters=speaker_ids.get(item.pk, ()),
            )
            for item, submission in items
        ]
        busy = [
            poster_groups.Busy(person_id, talk.start, talk.end)
            for talk in Item.objects.filter(event=event, session__isnull=False)
            .exclude(kind__in=[ItemKind.POSTER, ItemKind.BREAK])
            .prefetch_related("speakers")
            for person_id in (p.pk for p in talk.speakers.all())
        ]
        grouping = poster_groups.group_posters(
            inputs,
            [poster_groups.PosterSessionInput(s.pk, s.start, s.end) for s in sessions],
            busy=busy,
            seed=seed,
        )
        by_id = {s.pk: s for s in sessions}
        changed = []
        for item, _ in items:
            session = by_id[grouping.session_of(item.pk)]
            item.session, item.start, item.end = session, session.start, session.end
            item.kind = ItemKind.POSTER
            item.board_number = grouping.boards[item.pk]
            changed.append(item)
        Item.objects.bulk_update(changed, ["session", "start", "end", "kind", "board_number"])
        _renumber_other_posters(event, exclude=[s.pk for s in sessions], first=len(changed) + 1)
    return grouping


def _renumber_other_posters(event, *, exclude: list[int], first: int) -> None:
    others = list(
        Item.objects.filter(event=event, kind=ItemKind.POSTER, session__isnull=False)
        .exclude(session_id__in=exclude)
        .order_by("session__start", "board_number", "pk")
    )
    for number, poster in enumerate(others, start=first):
        poster.board_number = number
    Item.objects.bulk_update(others, ["board_number"])


def _speaker_map(item_ids: list[int]) -> dict[int, list[int]]:
    through = Item.speakers.through
    result: dict[int, list[int]] = {}
    rows = through.objects.filter(item_id__in=item_ids).values_list("item_id", "person_id")
    for item_id, person_id in rows:
        result.setdefault(item_id, []).append(person_id)
    return result


def set_board_number(item: Item, *, number: int | None) -> Item:
    """Give a placed poster another board number (organisers' adjustment by hand).

    Side effects: saves the number. Raises ScheduleError when another poster of the event
    already has it.
    """
    if item.kind != ItemKind.POSTER:
        raise ScheduleError("Only posters have board numbers.")
    if (
        number is not None
        and Item.objects.filter(event=item.event, board_number=number, kind=ItemKind.POSTER)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ScheduleError(f"Board {number} is already taken.")
    item.board_number = number
    item.save(update_fields=["board_number", "updated"])
    return item


# --- Slides and video -------------------------------------------------------------------------


def attach_slides(item: Item, *, upload, info: PdfInfo) -> Item:
    """Store a checked PDF (cfp.pdf.inspect_pdf) as the item's slides, replacing any before.

    Side effects: one file on storage, saves the item.
    """
    old = item.slides.name if item.slides else ""
    upload.seek(0)
    item.slides_name = display_name(getattr(upload, "name", "") or "slides.pdf")
    item.slides.save("slides.pdf", File(upload), save=False)
    item.save(update_fields=["slides", "slides_name", "updated"])
    if old:
        item.slides.storage.delete(old)
    return item


def remove_slides(item: Item) -> Item:
    """Remove the slides file. Side effects: deletes the stored file, saves the item."""
    if item.slides:
        item.slides.delete(save=False)
    item.slides_name = ""
    item.save(update_fields=["slides", "slides_name", "updated"])
    return item


def set_media_links(
    item: Item, *, slides_url: str = "", video_url: str = "", recorded: bool = False
) -> Item:
    """Links to slides and video elsewhere and the "recorded" marker. Side effects: saves."""
    item.slides_url, item.video_url, item.recorded = slides_url, video_url, recorded
    item.save(update_fields=["slides_url", "video_url", "recorded", "updated"])
    return item


# --- Reading the timetable --------------------------------------------------------------------


def unscheduled_submissions(event):
    """Accepted contributions without a place in the timetable, as a queryset."""
    return (
        Submission.objects.filter(event=event, state__in=list(ACCEPTED_STATES))
        .filter(Q(schedule_item__isnull=True) | Q(schedule_item__session__isnull=True))
        .select_related("contribution_type", "track")
        .prefetch_related("authors")
        .order_by("state", "title")
    )


def timetable_warnings(event) -> list[checks.TimetableWarning]:
    """Every warning of `schedule.warnings` for the event's current timetable."""
    sessions = list(Session.objects.filter(event=event).select_related("room"))
    session_infos = [
        checks.SessionInfo(
            id=s.pk,
            title=s.title,
            start=s.start,
            end=s.end,
            kind=s.kind,
            room_id=s.room_id,
            room=s.room.name if s.room else "",
            chair_id=s.chair_id,
        )
        for s in sessions
    ]
    rooms = {s.pk: s.room for s in sessions}
    items = list(
        Item.objects.filter(event=event, session__isnull=False)
        .select_related("submission")
        .prefetch_related(Prefetch("speakers", queryset=Person.objects.only("pk", "name")))
    )
    names: dict[int, str] = {}
    slots = []
    for item in items:
        speakers = list(item.speakers.all())
        names.update((p.pk, p.name) for p in speakers)
        room = rooms.get(item.session_id)
        slots.append(
            checks.SlotInfo(
                id=item.pk,
                title=item.display_title,
                kind=item.kind,
                session_id=item.session_id,
                start=item.start,
                end=item.end,
                room_id=room.pk if room else None,
                room=room.name if room else "",
                speaker_ids=tuple(p.pk for p in speakers),
            )
        )
    contributions = [
        checks.ContributionInfo(
            code=s.code,
            title=s.title,
            scheduled=False,
            is_poster=s.state == SubmissionState.ACCEPTED_POSTER,
        )
        for s in Submission.objects.filter(event=event, state__in=list(ACCEPTED_STATES))
        .filter(Q(schedule_item__isnull=True) | Q(schedule_item__session__isnull=True))
        .only("code", "title", "state")
        .order_by("title")
    ]
    return checks.all_warnings(session_infos, slots, names, contributions, zone=event.tzinfo)


def days_of(event) -> list[dt.date]:
    """The days of the event in its zone: its dates, else those of its sessions."""
    if event.start_date and event.end_date:
        count = (event.end_date - event.start_date).days + 1
        return [event.start_date + dt.timedelta(days=i) for i in range(count)]
    zone = event.tzinfo
    starts = Session.objects.filter(event=event).values_list("start", flat=True)
    return sorted({start.astimezone(zone).date() for start in starts})


def poster_session_count_hint(posters: int, per_session: int = 60) -> int:
    """A sensible number of poster sessions for `posters` posters (at most 60 a session)."""
    return max(1, math.ceil(posters / per_session))
