"""iCal exports parsed back: same instants in three zones, across daylight-saving changes."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room, Session
from symposia.publishing.ical import calendar_for, calendar_for_item, calendar_for_session

STAMP = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
ROOM = Room("Lecture Theatre 1", id=7)

# (zone, first day, last day, [(start UTC, end UTC)], expected STANDARD and DAYLIGHT offsets).
# London leaves summer time on Sunday 25 October 2026 at 02:00 BST, New York on Sunday
# 1 November 2026 at 02:00 EDT, Sydney enters it on Sunday 4 October 2026 at 02:00 AEST.
ZONES = {
    "Europe/London": (
        date(2026, 10, 24),
        date(2026, 10, 26),
        [
            (datetime(2026, 10, 24, 8, 0, tzinfo=UTC), timedelta(minutes=30)),  # 09:00 BST
            (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), timedelta(hours=3)),  # across the change
            (datetime(2026, 10, 25, 9, 0, tzinfo=UTC), timedelta(minutes=45)),  # 09:00 GMT
        ],
        {"STANDARD": "+0000", "DAYLIGHT": "+0100"},
    ),
    "America/New_York": (
        date(2026, 10, 31),
        date(2026, 11, 2),
        [
            (datetime(2026, 10, 31, 13, 0, tzinfo=UTC), timedelta(minutes=30)),  # 09:00 EDT
            (datetime(2026, 11, 1, 4, 30, tzinfo=UTC), timedelta(hours=3)),  # across the change
            (datetime(2026, 11, 2, 14, 0, tzinfo=UTC), timedelta(hours=1)),  # 09:00 EST
        ],
        {"STANDARD": "-0500", "DAYLIGHT": "-0400"},
    ),
    "Australia/Sydney": (
        date(2026, 10, 3),
        date(2026, 10, 5),
        [
            (datetime(2026, 10, 2, 23, 0, tzinfo=UTC), timedelta(minutes=30)),  # 09:00 AEST
            (datetime(2026, 10, 3, 15, 30, tzinfo=UTC), timedelta(hours=2)),  # across the change
            (datetime(2026, 10, 4, 22, 0, tzinfo=UTC), timedelta(hours=1)),  # 09:00 AEDT
        ],
        {"STANDARD": "+1000", "DAYLIGHT": "+1100"},
    ),
}


def programme(zone: str) -> tuple[ProgrammeEvent, list[Item]]:
    first, last, slots, _ = ZONES[zone]
    event = ProgrammeEvent(
        slug="mathml2020",
        title="Mathematics of Machine Learning",
        timezone=zone,
        start=first,
        end=last,
        venue="University of Bath",
        url="https://conf.example.org/mathml2020/",
    )
    items = [
        Item(
            id=number,
            title=f"Talk {number} on $\\alpha$-stable laws",
            abstract="We study *heavy tails*; see $\\int_0^1 f(x)\\,dx$.\n\n- one\n- two",
            speakers=[Person("Дмитрий Иванов", "МГУ", "Russia")],
            start=start,
            end=start + length,
            room=ROOM,
            url=f"https://conf.example.org/mathml2020/programme/{number}/",
        )
        for number, (start, length) in enumerate(slots, start=1)
    ]
    return event, items


def events_of(raw: bytes) -> list:
    return Calendar.from_ical(raw).walk("VEVENT")


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_instants_survive_the_round_trip(zone):
    event, items = programme(zone)

    raw = calendar_for(event, items, stamp=STAMP)

    parsed = events_of(raw)
    assert [(vevent.start, vevent.end) for vevent in parsed] == [
        (item.start, item.end) for item in items
    ]
    assert {vevent.start.tzinfo.key for vevent in parsed} == {zone}


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_vtimezone_alone_gives_the_same_instants(zone):
    """A client that trusts only the VTIMEZONE (no tz database) sees the same times."""
    event, items = programme(zone)

    calendar = Calendar.from_ical(calendar_for(event, items, stamp=STAMP))

    (timezone,) = calendar.timezones
    assert timezone.tz_name == zone
    from_component = timezone.to_tz(lookup_tzid=False)
    for vevent, item in zip(calendar.walk("VEVENT"), items, strict=True):
        wall_start = vevent.start.replace(tzinfo=None)
        wall_end = vevent.end.replace(tzinfo=None)
        assert wall_start.replace(tzinfo=from_component) == item.start
        assert wall_end.replace(tzinfo=from_component) == item.end


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_vtimezone_has_the_zone_offsets(zone):
    event, items = programme(zone)
    expected = ZONES[zone][3]

    (timezone,) = Calendar.from_ical(calendar_for(event, items, stamp=STAMP)).timezones

    standard = {component["TZOFFSETTO"].to_ical() for component in timezone.standard}
    daylight = {component["TZOFFSETTO"].to_ical() for component in timezone.daylight}
    assert standard == {expected["STANDARD"]}
    assert daylight == {expected["DAYLIGHT"]}


def test_local_wall_times_across_the_london_change():
    event, items = programme("Europe/London")

    raw = calendar_for(event, items, stamp=STAMP).decode()

    assert "DTSTART;TZID=Europe/London:20261024T090000" in raw
    assert "DTSTART;TZID=Europe/London:20261025T003000" in raw  # 00:30 BST
    assert "DTEND;TZID=Europe/London:20261025T023000" in raw  # 02:30 GMT, three hours later
    assert "DTSTART;TZID=Europe/London:20261025T090000" in raw  # 09:00 GMT


def test_zone_without_daylight_saving_has_only_standard_time():
    event = ProgrammeEvent(
        slug="tokyo26", title="Tokyo", timezone="Asia/Tokyo", start=date(2026, 3, 28),
        end=date(2026, 3, 30),
    )  # fmt: skip
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    item = Item(id=1, title="Talk", start=start, end=start + timedelta(hours=1), room=ROOM)

    calendar = Calendar.from_ical(calendar_for(event, [item], stamp=STAMP))

    (timezone,) = calendar.timezones
    assert timezone.daylight == []
    assert {c["TZOFFSETTO"].to_ical() for c in timezone.standard} == {"+0900"}
    assert calendar.walk("VEVENT")[0].start == start
    assert calendar.walk("VEVENT")[0].start.hour == 9


def test_no_made_up_tzid():
    """Only the event's IANA name is used as TZID; never GMT or an abbreviation."""
    event, items = programme("Europe/London")

    raw = calendar_for(event, items, stamp=STAMP).decode()

    assert set(re.findall(r"TZID[:=]([^;:\r\n]+)", raw)) == {"Europe/London"}
    assert "TZID:GMT" not in raw and "TZID=GMT" not in raw


def test_utc_event_uses_z_times_and_no_vtimezone():
    event = ProgrammeEvent(
        slug="online26", title="Online", timezone="UTC", start=date(2026, 5, 1),
        end=date(2026, 5, 1),
    )  # fmt: skip
    start = datetime(2026, 5, 1, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    item = Item(id=1, title="Talk", start=start, end=start + timedelta(hours=1))

    raw = calendar_for(event, [item], stamp=STAMP)

    assert b"BEGIN:VTIMEZONE" not in raw
    assert b"DTSTART:20260501T120000Z" in raw
    assert events_of(raw)[0].start == start


def test_lines_are_folded_at_75_octets_with_crlf():
    event, items = programme("Europe/London")
    long_title = "李小龍 and Σωκράτης on très long titles " * 12
    items[0] = Item(
        id=1, title=long_title, start=items[0].start, end=items[0].end, room=ROOM,
        abstract="Zoë Ångström " * 80,
    )  # fmt: skip

    raw = calendar_for(event, items, stamp=STAMP)

    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    assert events_of(raw)[0]["SUMMARY"] == " ".join(long_title.split())


def test_event_fields():
    event, items = programme("Europe/London")

    (first, *_) = events_of(calendar_for(event, items, stamp=STAMP))

    assert first["SUMMARY"] == "Talk 1 on $\\alpha$-stable laws"
    assert first["LOCATION"] == "Lecture Theatre 1, University of Bath"
    assert first["URL"] == "https://conf.example.org/mathml2020/programme/1/"
    assert first["DESCRIPTION"] == (
        "Дмитрий Иванов\n\n"
        "We study heavy tails; see $\\int_0^1 f(x)\\,dx$.\n\n- one\n- two\n\n"
        "https://conf.example.org/mathml2020/programme/1/"
    )
    assert first.DTSTAMP == STAMP


def test_calendar_header():
    event, items = programme("Europe/London")

    calendar = Calendar.from_ical(calendar_for(event, items, stamp=STAMP))

    assert calendar["PRODID"] == "-//Symposia//Programme//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar.calendar_name == "Mathematics of Machine Learning"


def test_uids_are_stable_and_unique():
    event, items = programme("Europe/London")

    once = [vevent["UID"] for vevent in events_of(calendar_for(event, items, stamp=STAMP))]
    again = [vevent["UID"] for vevent in events_of(calendar_for(event, items[::-1]))]

    assert once == again
    assert len(set(once)) == 3
    assert all(uid.endswith("@conf.example.org") for uid in once)


def test_single_item_has_the_same_uid_as_in_the_programme():
    event, items = programme("America/New_York")

    whole = {vevent["UID"] for vevent in events_of(calendar_for(event, items, stamp=STAMP))}
    single = events_of(calendar_for_item(event, items[1], stamp=STAMP))

    assert len(single) == 1
    assert single[0]["UID"] in whole
    assert (single[0].start, single[0].end) == (items[1].start, items[1].end)


def test_unscheduled_items_are_left_out_and_refused_alone():
    event, items = programme("Europe/London")
    poster = Item(id=9, title="Unscheduled poster", kind=ItemKind.POSTER, board="P1")

    assert len(events_of(calendar_for(event, [*items, poster], stamp=STAMP))) == 3
    with pytest.raises(ValueError, match="not in the timetable"):
        calendar_for_item(event, poster)


def test_session_calendar_spans_the_session_and_lists_items():
    event, items = programme("Australia/Sydney")
    session = Session(
        id=4,
        title="Stochastic analysis",
        start=items[0].start,
        end=items[0].end + timedelta(hours=1),
        room=ROOM,
        chair=Person("Σωκράτης", "Ἀκαδημία"),
        items=items[:1],
    )

    (vevent,) = events_of(calendar_for_session(event, session, stamp=STAMP))

    assert (vevent.start, vevent.end) == (session.start, session.end)
    assert vevent["SUMMARY"] == "Stochastic analysis"
    assert vevent["DESCRIPTION"] == (
        "Chair: Σωκράτης\n\n09:00 Talk 1 on $\\alpha$-stable laws (Дмитрий Иванов)"
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Item(id=1, title="Naive", start=datetime(2026, 1, 1, 9), end=datetime(2026, 1, 1, 10))
