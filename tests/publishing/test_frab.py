"""schedule.json / schedule.xml validated against the c3voc schemas and compared with pretalx."""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room
from symposia.publishing.frab import acronym, schedule_json, schedule_xml

STANDARDS = Path(__file__).parent / "standards"
LONDON = ZoneInfo("Europe/London")
BASE_URL = "https://conf.example.org/mathml2020/programme/"
HALL = Room("Wolfson Hall", id=1, capacity=200)
SIDE = Room("Room 2.14", id=2)
FOYER = Room("Foyer", id=3)


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((STANDARDS / "schema.json").read_text())
    return jsonschema.Draft6Validator(schema)


@pytest.fixture(scope="module")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(STANDARDS / "schedule.xml.xsd")))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=LONDON)


def make_event(slug: str = "mathml2020") -> ProgrammeEvent:
    return ProgrammeEvent(
        slug=slug,
        title="Mathematics of Machine Learning",
        timezone="Europe/London",
        start=date(2026, 10, 24),
        end=date(2026, 10, 26),
        venue="University of Bath",
        url="https://conf.example.org/mathml2020/",
    )


def make_items() -> list[Item]:
    zoe = Person("Zoë Ångström", "Uppsala universitet", "Sweden", id=11)
    dmitry = Person("Дмитрий Иванов", "МГУ", "Russia")
    lee = Person("李小龍", "香港大學", "Hong Kong", id=13)
    return [
        Item(
            id=1,
            code="G9JGWY",
            title="Keynote: $\\alpha$-stable processes",
            kind=ItemKind.INVITED,
            abstract="Heavy tails: $\\int_0^1 f(x)\\,dx$.",
            speakers=[zoe],
            authors=[zoe, dmitry],
            start=at(24, 9),
            end=at(24, 10, 30),
            room=HALL,
            track="Probability",
            slides_url="https://conf.example.org/media/slides-1.pdf",
            video_url="https://media.example.org/v/1",
            url="https://conf.example.org/mathml2020/programme/1/",
        ),
        Item(
            id=2,
            title="Sparse recovery",
            speakers=[dmitry],
            start=at(24, 11),
            end=at(24, 11, 20),
            room=SIDE,
            track="Optimisation",
        ),
        Item(id=3, title="Coffee", kind=ItemKind.BREAK, start=at(24, 10, 30), end=at(24, 11)),
        Item(
            id=4,
            title="Late-night session",
            speakers=[lee],
            start=at(25, 1, 30),  # before the day change: still the 24th's programme
            end=at(25, 2, 30),
            room=HALL,
        ),
        Item(
            id=5,
            title="Kernel methods on graphs",
            kind=ItemKind.POSTER,
            board="P12",
            authors=[lee, zoe],
            start=at(25, 15),
            end=at(25, 17),
            room=FOYER,
        ),
        Item(id=6, title="Unscheduled poster", kind=ItemKind.POSTER, board="P13", authors=[zoe]),
        Item(
            id=7,
            title="深層学習の理論",
            speakers=[lee],
            start=at(26, 9),
            end=at(26, 9, 45),
            room=HALL,
        ),
    ]


def export(**options):
    kwargs = {"version": "1.0", "base_url": BASE_URL, **options}
    event = kwargs.pop("event", make_event())
    items = kwargs.pop("items", make_items())
    return schedule_json(event, [HALL, SIDE], items, **kwargs)


def all_events(document: dict) -> list[dict]:
    return [
        entry
        for day in document["schedule"]["conference"]["days"]
        for entries in day["rooms"].values()
        for entry in entries
    ]


def test_json_is_valid_against_the_c3voc_schema(json_validator):
    document = json.loads(json.dumps(export()))

    assert [error.message for error in json_validator.iter_errors(document)] == []


@pytest.mark.parametrize("slug", ["mathml2020", "icms-2026", "ml", "Summer_School"])
def test_json_valid_for_any_event_slug(json_validator, slug):
    document = export(event=make_event(slug))

    assert [error.message for error in json_validator.iter_errors(document)] == []


def test_formats_the_schema_names_but_does_not_check(json_validator):
    """jsonschema checks no uuid/date-time/uri format by default: check them here."""
    document = export()
    conference = document["schedule"]["conference"]

    for entry in all_events(document):
        assert uuid.UUID(entry["guid"]).version == 5
        assert datetime.fromisoformat(entry["date"]).utcoffset() is not None
        assert datetime.fromisoformat(entry["end"]).utcoffset() is not None
        assert urlsplit(entry["url"]).scheme == "https"
        for person in entry["persons"]:
            assert uuid.UUID(person["guid"]).version == 5
        for reference in entry["links"] + entry["attachments"]:
            assert urlsplit(reference["url"]).scheme == "https"
    for day in conference["days"]:
        date.fromisoformat(day["date"])
        assert datetime.fromisoformat(day["day_start"]).utcoffset() is not None
    for room in conference["rooms"]:
        uuid.UUID(room["guid"])


def test_shape_matches_pretalx():
    pretalx = json.loads((STANDARDS / "pretalx-democon.json").read_text())
    ours = export()

    assert set(pretalx["schedule"]) <= set(ours["schedule"])
    assert set(pretalx["schedule"]["conference"]) <= set(ours["schedule"]["conference"])
    pretalx_day = pretalx["schedule"]["conference"]["days"][0]
    assert set(pretalx_day) == set(ours["schedule"]["conference"]["days"][0])
    pretalx_event = next(iter(pretalx_day["rooms"].values()))[0]
    optional_in_pretalx = {"logo", "recording_license", "do_not_record"}
    assert set(pretalx_event) - optional_in_pretalx <= set(all_events(ours)[0])
    assert set(pretalx_event["persons"][0]) - {"code", "biography", "answers"} <= set(
        all_events(ours)[0]["persons"][0]
    )


def test_conference_header():
    conference = export()["schedule"]["conference"]

    assert conference["acronym"] == "mathml2020"
    assert (conference["start"], conference["end"], conference["daysCount"]) == (
        "2026-10-24",
        "2026-10-26",
        3,
    )
    assert conference["time_zone_name"] == "Europe/London"
    assert [room["name"] for room in conference["rooms"]] == ["Wolfson Hall", "Room 2.14", "Foyer"]
    assert conference["tracks"] == [
        {"name": "Probability", "slug": "probability"},
        {"name": "Optimisation", "slug": "optimisation"},
    ]


def test_days_follow_the_day_change_across_the_clock_change():
    days = export()["schedule"]["conference"]["days"]

    assert [(d["index"], d["date"], d["day_start"], d["day_end"]) for d in days] == [
        (1, "2026-10-24", "2026-10-24T04:00:00+01:00", "2026-10-25T03:59:00+00:00"),
        (2, "2026-10-25", "2026-10-25T04:00:00+00:00", "2026-10-26T03:59:00+00:00"),
        (3, "2026-10-26", "2026-10-26T04:00:00+00:00", "2026-10-27T03:59:00+00:00"),
    ]
    assert [entry["title"] for entry in days[0]["rooms"]["Wolfson Hall"]] == [
        "Keynote: $\\alpha$-stable processes",
        "Late-night session",
    ]


def test_duration_across_the_clock_change_counts_real_time():
    """01:30 BST to 02:30 GMT on 25 October 2026 lasts two hours, not one."""
    late = next(entry for entry in all_events(export()) if entry["id"] == 4)

    assert (late["date"], late["start"], late["duration"]) == (
        "2026-10-25T01:30:00+01:00",
        "01:30",
        "02:00",
    )


def test_day_change_at_midnight_moves_the_late_item():
    days = export(day_change=time(0, 0))["schedule"]["conference"]["days"]

    assert [entry["id"] for entry in days[0]["rooms"]["Wolfson Hall"]] == [1]
    assert [entry["id"] for entry in days[1]["rooms"]["Wolfson Hall"]] == [4]


def test_event_entry():
    (keynote, *_) = all_events(export())

    assert keynote["id"] == 1
    assert keynote["code"] == "G9JGWY"
    assert keynote["date"] == "2026-10-24T09:00:00+01:00"
    assert keynote["start"] == "09:00"
    assert keynote["duration"] == "01:30"
    assert keynote["room"] == "Wolfson Hall"
    assert keynote["slug"] == "mathml2020-1-keynote-alpha-stable-processes"
    assert keynote["type"] == "Invited talk"
    assert keynote["track"] == "Probability"
    assert keynote["abstract"] == "Heavy tails: $\\int_0^1 f(x)\\,dx$."
    assert [person["public_name"] for person in keynote["persons"]] == ["Zoë Ångström"]
    assert keynote["persons"][0]["id"] == 11
    assert keynote["links"] == [
        {"type": "media", "url": "https://media.example.org/v/1", "title": "Video"}
    ]
    assert keynote["attachments"] == [
        {
            "type": "slides",
            "url": "https://conf.example.org/media/slides-1.pdf",
            "title": "Slides",
        }
    ]


def test_breaks_and_unscheduled_items_are_left_out():
    ids = sorted(entry["id"] for entry in all_events(export()))

    assert ids == [1, 2, 4, 5, 7]


def test_poster_lists_its_authors_and_board():
    poster = next(entry for entry in all_events(export()) if entry["id"] == 5)

    assert poster["subtitle"] == "Poster board P12"
    assert [person["public_name"] for person in poster["persons"]] == ["李小龍", "Zoë Ångström"]
    assert poster["duration"] == "02:00"


def test_guids_are_stable_and_unique():
    first = [entry["guid"] for entry in all_events(export())]
    second = [entry["guid"] for entry in all_events(export(items=make_items()[::-1]))]

    assert sorted(first) == sorted(second)
    assert len(set(first)) == len(first)
    other_event = [entry["guid"] for entry in all_events(export(event=make_event("other2026")))]
    assert set(first).isdisjoint(other_event)


def test_person_without_id_gets_a_stable_number():
    dmitry = next(entry for entry in all_events(export()) if entry["id"] == 2)["persons"][0]
    again = next(entry for entry in all_events(export()) if entry["id"] == 2)["persons"][0]

    assert dmitry["public_name"] == "Дмитрий Иванов"
    assert dmitry["id"] == again["id"] > 0


def test_items_outside_the_event_days_extend_the_schedule(json_validator):
    items = [
        *make_items(),
        Item(id=8, title="Satellite workshop", start=at(27, 9), end=at(27, 12), room=SIDE),
    ]

    document = export(items=items)

    days = document["schedule"]["conference"]["days"]
    assert [day["date"] for day in days][-1] == "2026-10-27"
    assert document["schedule"]["conference"]["daysCount"] == 4
    assert list(json_validator.iter_errors(document)) == []


def test_xml_is_valid_against_the_c3voc_schema(xml_schema):
    event = make_event()

    raw = schedule_xml(event, [HALL, SIDE], make_items(), version="1.0", base_url=BASE_URL)

    document = etree.fromstring(raw)
    xml_schema.assertValid(document)
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_xml_matches_json():
    event = make_event()
    items = make_items()

    document = etree.fromstring(
        schedule_xml(event, [HALL, SIDE], items, version="1.0", base_url=BASE_URL)
    )
    from_json = {entry["guid"]: entry for entry in all_events(export())}

    assert document.findtext("conference/acronym") == "mathml2020"
    assert [day.get("start") for day in document.findall("day")] == [
        "2026-10-24T04:00:00+01:00",
        "2026-10-25T04:00:00+00:00",
        "2026-10-26T04:00:00+00:00",
    ]
    events = document.findall("day/room/event")
    assert {element.get("guid") for element in events} == set(from_json)
    for element in events:
        entry = from_json[element.get("guid")]
        assert element.findtext("title") == entry["title"]
        assert element.findtext("date") == entry["date"]
        assert element.findtext("duration") == entry["duration"]
        assert [p.text for p in element.findall("persons/person")] == [
            p["public_name"] for p in entry["persons"]
        ]
    keynote = next(element for element in events if element.get("id") == "1")
    assert keynote.find("attachments/attachment").get("href") == (
        "https://conf.example.org/media/slides-1.pdf"
    )
    assert keynote.find("links/link").get("type") == "media"


def test_xml_survives_control_characters_and_markup(xml_schema):
    nasty = Item(
        id=9,
        title="Bell\x07 & <b>bold</b> ]]> \x00",
        abstract="<script>alert(1)</script> & $a<b$",
        speakers=[Person("O'Brien <Ltd> & \x1bCo")],
        start=at(26, 11),
        end=at(26, 12),
        room=SIDE,
    )

    raw = schedule_xml(make_event(), [HALL, SIDE], [nasty], version="1.0", base_url=BASE_URL)

    document = etree.fromstring(raw)
    xml_schema.assertValid(document)
    assert document.findtext("day/room/event/title") == "Bell & <b>bold</b> ]]> "
    assert document.findtext("day/room/event/persons/person") == "O'Brien <Ltd> & Co"


def test_acronym_always_fits_the_schema_pattern():
    assert acronym("mathml2020") == "mathml2020"
    assert acronym("icms-2026") == "icms_2026"
    assert acronym("ml") == "ml__"


def test_utc_event(json_validator, xml_schema):
    event = ProgrammeEvent(
        slug="online2026", title="Online", timezone="UTC", start=date(2026, 5, 1),
        end=date(2026, 5, 1),
    )  # fmt: skip
    start = datetime(2026, 5, 1, 14, 0, tzinfo=UTC)
    item = Item(id=1, title="Talk", start=start, end=start + timedelta(minutes=25), room=HALL)

    document = schedule_json(event, [HALL], [item], version="2", base_url=BASE_URL)
    raw = schedule_xml(event, [HALL], [item], version="2", base_url=BASE_URL)

    assert list(json_validator.iter_errors(document)) == []
    xml_schema.assertValid(etree.fromstring(raw))
    assert all_events(document)[0]["date"] == "2026-05-01T14:00:00+00:00"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=60),
            st.integers(min_value=0, max_value=3 * 24 * 60 - 1),
            st.integers(min_value=5, max_value=240),
            st.sampled_from([HALL, SIDE, FOYER]),
            st.sampled_from(list(ItemKind)),
            st.text(max_size=20),
        ),
        max_size=12,
    )
)
def test_any_programme_validates(json_validator, xml_schema, entries):
    first = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
    items = [
        Item(
            id=number,
            title=title,
            kind=kind,
            start=first + timedelta(minutes=offset),
            end=first + timedelta(minutes=offset + length),
            room=room,
            track=track,
            speakers=[Person(title[:10])],
        )
        for number, (title, offset, length, room, kind, track) in enumerate(entries, start=1)
    ]

    document = export(items=items)
    raw = schedule_xml(make_event(), [HALL, SIDE], items, version="1.0", base_url=BASE_URL)

    assert [error.message for error in json_validator.iter_errors(document)] == []
    xml_schema.assertValid(etree.fromstring(raw))
    expected = sorted(item.id for item in items if item.kind is not ItemKind.BREAK)
    assert sorted(entry["id"] for entry in all_events(document)) == expected
