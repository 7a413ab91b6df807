"""Timetable checks on plain data: each warning alone, and its boundaries."""

import datetime as dt
from zoneinfo import ZoneInfo

from symposia.schedule.warnings import (
    ContributionInfo,
    ItemOutsideSession,
    PosterPresenterBusy,
    SessionInfo,
    SessionOverlap,
    SessionWithoutChair,
    SlotInfo,
    SlotOverlap,
    SpeakerDoubleBooked,
    UnscheduledContribution,
    all_warnings,
    items_outside_session,
    poster_presenters_busy,
    room_overlaps,
    sessions_without_chair,
    speaker_double_booked,
    unscheduled_contributions,
)

LONDON = ZoneInfo("Europe/London")
NAMES = {1: "Ada Lovelace", 2: "Alan Turing"}


def t(hour, minute=0, day=7):
    return dt.datetime(2020, 9, day, hour, minute, tzinfo=LONDON)


def slot(id, start, end, *, speakers=(1,), kind="invited", session=1, room=1, title=None):
    return SlotInfo(
        id=id,
        title=title or f"Talk {id}",
        kind=kind,
        session_id=session,
        start=start,
        end=end,
        room_id=room,
        room=f"Room {room}",
        speaker_ids=tuple(speakers),
    )


def session(id, start, end, *, room=1, chair=5, kind="talks", title=None):
    return SessionInfo(
        id=id,
        title=title or f"Session {id}",
        start=start,
        end=end,
        kind=kind,
        room_id=room,
        room=f"Room {room}" if room else "",
        chair_id=chair,
    )


def test_speaker_in_two_rooms_at_overlapping_times():
    found = speaker_double_booked(
        [slot(1, t(9), t(9, 45), room=1), slot(2, t(9, 30), t(10), room=2, session=2)],
        NAMES,
        zone=LONDON,
    )
    assert len(found) == 1
    warning = found[0]
    assert isinstance(warning, SpeakerDoubleBooked)
    assert (warning.person_id, warning.first.id, warning.second.id) == (1, 1, 2)
    assert not warning.identical
    assert warning.message == (
        "Ada Lovelace speaks in two places at once: “Talk 1” (Mon 07 Sep 09:00–09:45, Room 1) "
        "and “Talk 2” (Mon 07 Sep 09:30–10:00, Room 2)."
    )


def test_speaker_in_identical_slots():
    found = speaker_double_booked(
        [slot(1, t(9), t(9, 45)), slot(2, t(9), t(9, 45), room=2, session=2)], NAMES
    )
    assert [(w.identical, w.code) for w in found] == [(True, "speaker-double-booked")]
    assert "(identical slots)" in found[0].message


def test_back_to_back_talks_are_not_a_clash():
    assert (
        speaker_double_booked([slot(1, t(9), t(9, 45)), slot(2, t(9, 45), t(10, 30))], NAMES) == []
    )


def test_different_speakers_at_the_same_time_are_fine():
    assert (
        speaker_double_booked([slot(1, t(9), t(10)), slot(2, t(9), t(10), speakers=(2,))], NAMES)
        == []
    )


def test_posters_and_breaks_do_not_count_as_talks_for_double_booking():
    slots = [slot(1, t(9), t(10), kind="poster"), slot(2, t(9), t(10), kind="break")]
    assert (
        speaker_double_booked([*slots, slot(3, t(9), t(10), kind="poster", session=2)], NAMES) == []
    )


def test_three_overlapping_talks_give_every_pair():
    slots = [slot(1, t(9), t(11)), slot(2, t(9, 30), t(10)), slot(3, t(10, 30), t(11, 30))]
    pairs = [(w.first.id, w.second.id) for w in speaker_double_booked(slots, NAMES)]
    assert pairs == [(1, 2), (1, 3)]


def test_sessions_overlapping_in_one_room():
    found = room_overlaps(
        [session(1, t(9), t(10, 30)), session(2, t(10), t(11)), session(3, t(10), t(11), room=2)],
        [],
        zone=LONDON,
    )
    assert [(type(w), w.first.id, w.second.id) for w in found] == [(SessionOverlap, 1, 2)]
    assert found[0].message == (
        "Sessions “Session 1” (Mon 07 Sep 09:00–10:30) and “Session 2” (Mon 07 Sep 10:00–11:00) "
        "overlap in Room 1."
    )


def test_items_overlapping_in_one_session():
    found = room_overlaps(
        [session(1, t(9), t(11))],
        [slot(1, t(9), t(9, 30), speakers=(1,)), slot(2, t(9, 20), t(9, 40), speakers=(2,))],
    )
    assert [(type(w), w.first.id, w.second.id) for w in found] == [(SlotOverlap, 1, 2)]
    assert found[0].message.endswith("overlap in the same session.")


def test_posters_of_a_session_hang_side_by_side():
    posters = [slot(n, t(15), t(17), speakers=(n,), kind="poster") for n in range(1, 4)]
    assert room_overlaps([session(1, t(15), t(17), kind="posters")], posters) == []


def test_sessions_without_a_room_never_clash():
    assert (
        room_overlaps([session(1, t(9), t(10), room=None), session(2, t(9), t(10), room=None)], [])
        == []
    )


def test_session_of_talks_without_chair():
    found = sessions_without_chair(
        [
            session(1, t(9), t(10), chair=None),
            session(2, t(10), t(11), chair=None, kind="break"),
            session(3, t(11), t(12), chair=None, kind="posters"),
            session(4, t(12), t(13)),
        ],
        zone=LONDON,
    )
    assert [(type(w), w.session.id) for w in found] == [(SessionWithoutChair, 1)]
    assert found[0].message == "Session “Session 1” (Mon 07 Sep 09:00–10:00) has no chair."


def test_unscheduled_accepted_contributions():
    found = unscheduled_contributions(
        [
            ContributionInfo("AAAA", "Placed", scheduled=True),
            ContributionInfo("BBBB", "Waiting poster", is_poster=True),
            ContributionInfo("CCCC", "Waiting talk"),
        ]
    )
    assert [(type(w), w.contribution.code) for w in found] == [
        (UnscheduledContribution, "BBBB"),
        (UnscheduledContribution, "CCCC"),
    ]
    assert found[0].message == "Accepted poster BBBB “Waiting poster” is not in the timetable."


def test_poster_presenter_giving_a_talk_during_their_poster_session():
    poster = slot(1, t(15), t(17), kind="poster", session=2, title="My poster")
    talk = slot(2, t(16), t(16, 20), kind="contributed", session=3, room=2, title="My talk")
    other = slot(3, t(9), t(9, 20), kind="contributed", session=4)
    found = poster_presenters_busy([poster, talk, other], NAMES, zone=LONDON)
    assert [(type(w), w.person_id, w.poster.id, w.talk.id) for w in found] == [
        (PosterPresenterBusy, 1, 1, 2)
    ]
    assert found[0].message == (
        "Ada Lovelace presents the poster “My poster” (Mon 07 Sep 15:00–17:00) while giving "
        "the talk “My talk” (Mon 07 Sep 16:00–16:20, Room 2)."
    )


def test_poster_presenter_talking_right_after_the_session_is_fine():
    poster = slot(1, t(15), t(17), kind="poster")
    talk = slot(2, t(17), t(17, 20), kind="contributed", session=3)
    assert poster_presenters_busy([poster, talk], NAMES) == []


def test_item_outside_its_session():
    sessions = [session(1, t(9), t(10))]
    slots = [slot(1, t(9, 30), t(10, 15)), slot(2, t(9), t(10), speakers=(2,))]
    found = items_outside_session(slots, sessions, zone=LONDON)
    assert [(type(w), w.slot.id) for w in found] == [(ItemOutsideSession, 1)]


def test_times_are_shown_in_the_event_zone_across_a_change_of_summer_time():
    # Sunday 25 October 2020, BST ends at 02:00: 00:30 UTC is 01:30 BST, 01:30 UTC is 01:30 GMT,
    # so the first talk runs 90 minutes from 01:30 to 02:00 on the clock and overlaps the second.
    first = dt.datetime(2020, 10, 25, 0, 30, tzinfo=dt.UTC)
    second = dt.datetime(2020, 10, 25, 1, 30, tzinfo=dt.UTC)
    found = speaker_double_booked(
        [
            slot(1, first, first + dt.timedelta(minutes=90)),
            slot(2, second, second + dt.timedelta(minutes=30), room=2),
        ],
        NAMES,
        zone=LONDON,
    )
    assert "“Talk 1” (Sun 25 Oct 01:30–02:00, Room 1)" in found[0].message
    assert "“Talk 2” (Sun 25 Oct 01:30–02:00, Room 2)" in found[0].message


def test_all_warnings_most_serious_first():
    sessions = [session(1, t(9), t(10), chair=None)]
    slots = [slot(1, t(9), t(9, 30)), slot(2, t(9), t(9, 30), session=2, room=2)]
    found = all_warnings(sessions, slots, NAMES, [ContributionInfo("DDDD", "Late")], zone=LONDON)
    assert [w.code for w in found] == [
        "speaker-double-booked",
        "session-without-chair",
        "unscheduled-contribution",
    ]
