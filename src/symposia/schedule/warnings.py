"""Checks of a timetable, as plain functions over plain data (no Django).

Each check returns warnings, frozen dataclasses with a `message` for organisers. Times are
aware datetimes; two slots overlap when each starts before the other ends (half-open
intervals [start, end), so a talk ending at 10:00 and one starting at 10:00 do not overlap,
and identical slots do). Messages show times in `zone`, the event's zone.

Checks:
- `speaker_double_booked`: a person presents two talks whose slots overlap (identical included);
- `room_overlaps`: two sessions in one room overlap, or two items of one session do;
- `sessions_without_chair`: a session of talks has no chair;
- `unscheduled_contributions`: an accepted contribution has no place in the timetable;
- `poster_presenters_busy`: the presenter of a poster gives a talk while their poster session runs;
- `items_outside_session`: an item starts before or ends after its session.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

TALKS = "talks"
POSTER = "poster"
BREAK = "break"


@dataclass(frozen=True)
class SessionInfo:
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    kind: str = TALKS
    room_id: int | None = None
    room: str = ""
    chair_id: int | None = None


@dataclass(frozen=True)
class SlotInfo:
    """An item in the timetable; `kind` is invited, contributed, poster or break."""

    id: int
    title: str
    kind: str
    session_id: int
    start: dt.datetime
    end: dt.datetime
    room_id: int | None = None
    room: str = ""
    speaker_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ContributionInfo:
    """An accepted contribution; `scheduled` when it has a place in the timetable."""

    code: str
    title: str
    scheduled: bool = False
    is_poster: bool = False


@dataclass(frozen=True)
class TimetableWarning:
    message: str
    code: str = field(default="", init=False)


@dataclass(frozen=True)
class SpeakerDoubleBooked(TimetableWarning):
    person_id: int = 0
    first: SlotInfo | None = None
    second: SlotInfo | None = None
    identical: bool = False
    code: str = field(default="speaker-double-booked", init=False)


@dataclass(frozen=True)
class SessionOverlap(TimetableWarning):
    first: SessionInfo | None = None
    second: SessionInfo | None = None
    code: str = field(default="session-overlap", init=False)


@dataclass(frozen=True)
class SlotOverlap(TimetableWarning):
    first: SlotInfo | None = None
    second: SlotInfo | None = None
    code: str = field(default="slot-overlap", init=False)


@dataclass(frozen=True)
class SessionWithoutChair(TimetableWarning):
    session: SessionInfo | None = None
    code: str = field(default="session-without-chair", init=False)


@dataclass(frozen=True)
class UnscheduledContribution(TimetableWarning):
    contribution: ContributionInfo | None = None
    code: str = field(default="unscheduled-contribution", init=False)


@dataclass(frozen=True)
class PosterPresenterBusy(TimetableWarning):
    person_id: int = 0
    poster: SlotInfo | None = None
    talk: SlotInfo | None = None
    code: str = field(default="poster-presenter-busy", init=False)


@dataclass(frozen=True)
class ItemOutsideSession(TimetableWarning):
    slot: SlotInfo | None = None
    session: SessionInfo | None = None
    code: str = field(default="item-outside-session", init=False)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start, b_end) -> bool:
    """True when [a_start, a_end) and [b_start, b_end) share an instant."""
    return a_start < b_end and b_start < a_end


def _when(start: dt.datetime, end: dt.datetime, zone: dt.tzinfo) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    return f"{local_start:%a %d %b %H:%M}–{local_end:%H:%M}"


def _slot_text(slot: SlotInfo, zone: dt.tzinfo) -> str:
    where = f", {slot.room}" if slot.room else ""
    return f"“{slot.title}” ({_when(slot.start, slot.end, zone)}{where})"


def _overlapping_pairs(entries: Sequence, start=lambda e: e.start, end=lambda e: e.end):
    """Pairs (a, b) of entries whose intervals overlap, a starting no later than b.

    Sweep over entries sorted by start: O(n log n + number of pairs).
    """
    ordered = sorted(entries, key=lambda e: (start(e), end(e), getattr(e, "id", 0)))
    for index, first in enumerate(ordered):
        for second in ordered[index + 1 :]:
            if start(second) >= end(first):
                break
            yield first, second


def speaker_double_booked(
    slots: Iterable[SlotInfo], names: dict[int, str], *, zone: dt.tzinfo = dt.UTC
) -> list[SpeakerDoubleBooked]:
    """People presenting two talks at once (overlapping or identical slots).

    Posters and breaks are left out (see `poster_presenters_busy`); `names` maps person ids to
    names for the message.
    """
    by_person: dict[int, list[SlotInfo]] = defaultdict(list)
    for slot in slots:
        if slot.kind in (POSTER, BREAK):
            continue
        for person_id in set(slot.speaker_ids):
            by_person[person_id].append(slot)
    found = []
    for person_id in sorted(by_person, key=lambda pid: (names.get(pid, ""), pid)):
        for first, second in _overlapping_pairs(by_person[person_id]):
            identical = first.start == second.start and first.end == second.end
            how = "in two places at once" + (" (identical slots)" if identical else "")
            found.append(
                SpeakerDoubleBooked(
                    message=(
                        f"{names.get(person_id, 'A speaker')} speaks {how}: "
                        f"{_slot_text(first, zone)} and {_slot_text(second, zone)}."
                    ),
                    person_id=person_id,
                    first=first,
                    second=second,
                    identical=identical,
                )
            )
    return found


def room_overlaps(
    sessions: Iterable[SessionInfo], slots: Iterable[SlotInfo], *, zone: dt.tzinfo = dt.UTC
) -> list[SessionOverlap | SlotOverlap]:
    """Sessions sharing a room at the same time, and items of one session that overlap.

    Posters of a poster session hang side by side and are not compared with each other.
    """
    found: list[SessionOverlap | SlotOverlap] = []
    by_room: dict[int, list[SessionInfo]] = defaultdict(list)
    for session in sessions:
        if session.room_id is not None:
            by_room[session.room_id].append(session)
    for room_id in sorted(by_room):
        for first, second in _overlapping_pairs(by_room[room_id]):
            found.append(
                SessionOverlap(
                    message=(
                        f"Sessions “{first.title}” ({_when(first.start, first.end, zone)}) and "
                        f"“{second.title}” ({_when(second.start, second.end, zone)}) overlap "
                        f"in {first.room or 'the same room'}."
                    ),
                    first=first,
                    second=second,
                )
            )
    by_session: dict[int, list[SlotInfo]] = defaultdict(list)
    for slot in slots:
        if slot.kind != POSTER:
            by_session[slot.session_id].append(slot)
    for session_id in sorted(by_session):
        for first, second in _overlapping_pairs(by_session[session_id]):
            found.append(
                SlotOverlap(
                    message=(
                        f"{_slot_text(first, zone)} and {_slot_text(second, zone)} overlap "
                        "in the same session."
                    ),
                    first=first,
                    second=second,
                )
            )
    return found


def sessions_without_chair(
    sessions: Iterable[SessionInfo], *, zone: dt.tzinfo = dt.UTC
) -> list[SessionWithoutChair]:
    """Sessions of talks that have no chair (poster sessions and breaks need none)."""
    return [
        SessionWithoutChair(
            message=(
                f"Session “{session.title}” ({_when(session.start, session.end, zone)}) "
                "has no chair."
            ),
            session=session,
        )
        for session in sorted(sessions, key=lambda s: (s.start, s.id))
        if session.kind == TALKS and session.chair_id is None
    ]


def unscheduled_contributions(
    contributions: Iterable[ContributionInfo],
) -> list[UnscheduledContribution]:
    """Accepted contributions that have no place in the timetable yet."""
    return [
        UnscheduledContribution(
            message=(
                f"Accepted {'poster' if c.is_poster else 'talk'} {c.code} “{c.title}” "
                "is not in the timetable."
            ),
            contribution=c,
        )
        for c in contributions
        if not c.scheduled
    ]


def poster_presenters_busy(
    slots: Iterable[SlotInfo], names: dict[int, str], *, zone: dt.tzinfo = dt.UTC
) -> list[PosterPresenterBusy]:
    """Presenters who give a talk while the session showing their poster runs."""
    slots = list(slots)
    talks_by_person: dict[int, list[SlotInfo]] = defaultdict(list)
    for slot in slots:
        if slot.kind not in (POSTER, BREAK):
            for person_id in set(slot.speaker_ids):
                talks_by_person[person_id].append(slot)
    found = []
    for poster in sorted((s for s in slots if s.kind == POSTER), key=lambda s: (s.start, s.id)):
        for person_id in sorted(set(poster.speaker_ids)):
            for talk in sorted(talks_by_person.get(person_id, []), key=lambda s: (s.start, s.id)):
                if overlaps(poster.start, poster.end, talk.start, talk.end):
                    found.append(
                        PosterPresenterBusy(
                            message=(
                                f"{names.get(person_id, 'A presenter')} presents the poster "
                                f"“{poster.title}” ({_when(poster.start, poster.end, zone)}) "
                                f"while giving the talk {_slot_text(talk, zone)}."
                            ),
                            person_id=person_id,
                            poster=poster,
                            talk=talk,
                        )
                    )
    return found


def items_outside_session(
    slots: Iterable[SlotInfo], sessions: Iterable[SessionInfo], *, zone: dt.tzinfo = dt.UTC
) -> list[ItemOutsideSession]:
    """Items that start before or end after the session they belong to."""
    by_id = {session.id: session for session in sessions}
    found = []
    for slot in sorted(slots, key=lambda s: (s.start, s.id)):
        session = by_id.get(slot.session_id)
        if session is None or (session.start <= slot.start and slot.end <= session.end):
            continue
        found.append(
            ItemOutsideSession(
                message=(
                    f"{_slot_text(slot, zone)} lies outside its session “{session.title}” "
                    f"({_when(session.start, session.end, zone)})."
                ),
                slot=slot,
                session=session,
            )
        )
    return found


def all_warnings(
    sessions: Sequence[SessionInfo],
    slots: Sequence[SlotInfo],
    names: dict[int, str],
    contributions: Sequence[ContributionInfo] = (),
    *,
    zone: dt.tzinfo = dt.UTC,
) -> list[TimetableWarning]:
    """Every check above, most serious first."""
    return [
        *speaker_double_booked(slots, names, zone=zone),
        *room_overlaps(sessions, slots, zone=zone),
        *poster_presenters_busy(slots, names, zone=zone),
        *items_outside_session(slots, sessions, zone=zone),
        *sessions_without_chair(sessions, zone=zone),
        *unscheduled_contributions(contributions),
    ]
