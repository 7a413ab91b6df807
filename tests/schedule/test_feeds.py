"""The programme as files: iCal parsed back in three zones (across a change of summer time),
one session, one talk; schedule.json and schedule.xml valid against the c3voc schemas."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from django.urls import reverse
from icalendar import Calendar
from lxml import etree

from symposia.schedule import domain
from symposia.schedule.enums import ItemKind

STANDARDS = Path(__file__).resolve().parents[1] / "publishing" / "standards"

# (zone, local start of a talk on the day before the change, on the night of the change, after)
# London leaves BST on 25 October 2020, New York leaves EDT on 1 November 2020, Sydney enters
# AEDT on 4 October 2020.
ZONES = {
    "Europe/London": [
        dt.datetime(2020, 10, 24, 9, 0),
        dt.datetime(2020, 10, 25, 1, 30),  # ambiguous: the first 01:30 (BST)
        dt.datetime(2020, 10, 26, 9, 0),
    ],
    "America/New_York": [
        dt.datetime(2020, 10, 31, 9, 0),
        dt.datetime(2020, 11, 1, 0, 30),
        dt.datetime(2020, 11, 2, 9, 0),
    ],
    "Australia/Sydney": [
        dt.datetime(2020, 10, 3, 9, 0),
        dt.datetime(2020, 10, 4, 1, 0),
        dt.datetime(2020, 10, 5, 9, 0),
    ],
}


def build(event, alice, speaker, zone: str) -> list:
    room = domain.save_room(event, name="Wolfson Hall")
    event.timezone = zone
    event.save(update_fields=["timezone"])
    tz = ZoneInfo(zone)
    items = []
    for number, local in enumerate(ZONES[zone], start=1):
        start = local.replace(tzinfo=tz).astimezone(dt.UTC)
        session = domain.save_session(
            event,
            title=f"Session {number}",
            start=start,
            end=start + dt.timedelta(hours=3),
            chair=speaker,
            room=room,
        )
        item = domain.save_item(
            event,
            kind=ItemKind.INVITED,
            title=f"Talk {number} on $\\alpha$-stable laws",
            abstract="Heavy tails: $\\int_0^1 f$.",
            speakers=[speaker],
        )
        # Three hours across the change: wall clock and instants differ by an hour.
        domain.place_item(item, session=session, start=start, end=start + dt.timedelta(hours=3))
        item.refresh_from_db()  # times as stored, in UTC
        items.append(item)
    domain.publish(event, by=alice)
    return items


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_whole_programme_ics_parses_back_to_the_same_instants(client, event, alice, speaker, zone):
    items = build(event, alice, speaker, zone)
    response = client.get(reverse("schedule:ics", kwargs={"event": event.slug}))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [str(c["TZID"]) for c in calendar.walk("VTIMEZONE")] == [zone]
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == 3
    for vevent, item in zip(events, items, strict=True):
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        # Compared in UTC: an ambiguous local time never equals another zone's (PEP 495).
        assert (start.astimezone(dt.UTC), end.astimezone(dt.UTC)) == (item.start, item.end)
        assert vevent["DTSTART"].params["TZID"] == zone
        assert str(vevent["SUMMARY"]).startswith("Talk ")
        assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(hours=3)
    assert "Stéphane Chrétien" in str(events[0]["DESCRIPTION"])


def test_ics_across_the_london_change_keeps_real_durations(client, event, alice, speaker):
    items = build(event, alice, speaker, "Europe/London")
    night = items[1]
    assert night.start == dt.datetime(2020, 10, 25, 0, 30, tzinfo=dt.UTC)  # 01:30 BST
    url = reverse("schedule:talk_ics", kwargs={"event": event.slug, "pk": night.pk})
    body = client.get(url).content.decode()
    assert "DTSTART;TZID=Europe/London:20201025T013000" in body
    # Three hours later it is 03:30 UTC, that is 03:30 GMT: the clock went back at 02:00.
    assert "DTEND;TZID=Europe/London:20201025T033000" in body
    vevent = Calendar.from_ical(body).walk("VEVENT")[0]
    start, end = (vevent.decoded(name).astimezone(dt.UTC) for name in ("DTSTART", "DTEND"))
    assert end - start == dt.timedelta(hours=3)


def test_session_ics_names_the_chair_and_lists_the_talks(client, event, alice, speaker):
    items = build(event, alice, speaker, "Europe/London")
    url = reverse("schedule:session_ics", kwargs={"event": event.slug, "pk": items[0].session_id})
    vevent = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == "Session 1"
    assert str(vevent["DESCRIPTION"]).splitlines()[:3] == [
        "Chair: Stéphane Chrétien",
        "",
        "09:00 Talk 1 on $\\alpha$-stable laws (Stéphane Chrétien)",
    ]


def test_unknown_session_and_talk_are_404(client, event, alice, speaker):
    build(event, alice, speaker, "Europe/London")
    assert client.get(f"/{event.slug}/programme/sessions/999.ics").status_code == 404
    assert client.get(f"/{event.slug}/programme/talks/999.ics").status_code == 404


def test_schedule_json_and_xml_are_valid(client, event, alice, speaker):
    build(event, alice, speaker, "Europe/London")
    response = client.get(reverse("schedule:json", kwargs={"event": event.slug}))
    document = json.loads(response.content)
    schema = json.loads((STANDARDS / "schema.json").read_text())
    jsonschema.Draft6Validator(schema).validate(document)
    assert response["Access-Control-Allow-Origin"] == "*"
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/London"
    assert document["schedule"]["version"] == "1"
    talks = [talk for day in conference["days"] for room in day["rooms"].values() for talk in room]
    assert [t["start"] for t in talks] == ["09:00", "01:30", "09:00"]
    assert talks[0]["persons"][0]["public_name"] == "Stéphane Chrétien"
    xml = client.get(reverse("schedule:xml", kwargs={"event": event.slug})).content
    schema = etree.XMLSchema(etree.parse(str(STANDARDS / "schedule.xml.xsd")))
    schema.assertValid(etree.fromstring(xml))
