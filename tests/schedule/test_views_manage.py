"""The organisers' editor: permissions, forms, drag-and-drop moves, posters, publication,
people, rooms; and the slides page shared with speakers."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from symposia.cfp.enums import SubmissionState
from symposia.events.models import Page
from symposia.schedule import domain
from symposia.schedule.enums import ItemKind, SessionKind
from symposia.schedule.models import Item, Person, Publication, Room, Session

from .conftest import at, make_submission


def url(name, event, **kwargs):
    return reverse(f"schedule:{name}", kwargs={"event": event.slug, **kwargs})


def test_editor_is_for_organisers_only(client, event, alice, oscar, morning):
    response = client.get(url("manage", event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(oscar)
    assert client.get(url("manage", event)).status_code == 404
    assert client.post(url("manage_publish", event)).status_code == 404
    assert client.post(url("manage_session_move", event, pk=morning.pk)).status_code == 404
    assert not Publication.objects.filter(event=event, published_at__isnull=False).exists()


def test_editor_shows_the_day_grid_warnings_and_unscheduled(client, event, alice, morning, talk):
    morning.chair = None
    morning.save()
    client.force_login(alice)
    html = client.get(url("manage", event) + "?day=2020-09-07").content.decode()
    assert 'class="ed-grid cols-1"' in html
    assert "Lecture theatre" in html
    # 09:00–10:30 BST is grid line 2 to 20 (5-minute rows, the room names on line 1).
    assert "ed-session ed-kind-talks rs-2 re-20 cs-2" in html
    assert "Session “Morning session” (Mon 07 Sep 09:00–10:30) has no chair." in html
    assert "Accepted talk" in html and "“Convergence of SGD” is not in the timetable." in html
    assert f'data-submission="{talk.code}"' in html
    assert "<script src=" in html and "style=" not in html


def test_organiser_creates_a_session_through_the_form(client, event, alice, room, chair):
    client.force_login(alice)
    response = client.post(
        url("manage_session_new", event),
        {
            "title": "Afternoon",
            "kind": SessionKind.TALKS,
            "start": "2020-09-07T14:00",
            "end": "2020-09-07T15:30",
            "room": room.pk,
            "chair": chair.pk,
            "description": "",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Afternoon")
    assert (session.start, session.end, session.chair) == (at(14), at(15, 30), chair)


def test_bad_session_form_keeps_what_was_typed(client, event, alice):
    client.force_login(alice)
    response = client.post(
        url("manage_session_new", event),
        {
            "title": "Backwards",
            "kind": "talks",
            "start": "2020-09-07T14:00",
            "end": "2020-09-07T13:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The session must end after it starts." in html
    assert 'value="Backwards"' in html
    assert not Session.objects.exists()


def test_place_an_accepted_contribution_with_the_form(client, event, alice, talk, morning):
    client.force_login(alice)
    response = client.post(
        url("manage_place", event, code=talk.code),
        {"session": morning.pk, "start": "2020-09-07T09:40"},
    )
    assert response.status_code == 302
    item = Item.objects.get(submission=talk)
    assert (item.session, item.start, item.end) == (morning, at(9, 40), at(10))


def test_place_outside_the_session_shows_the_reason(client, event, alice, talk, morning):
    client.force_login(alice)
    response = client.post(
        url("manage_place", event, code=talk.code),
        {"session": morning.pk, "start": "2020-09-07T10:20"},
    )
    assert "outside the session" in response.content.decode()
    assert not Item.objects.filter(submission=talk, session__isnull=False).exists()


def test_refused_move_on_the_item_page_keeps_the_typed_start(client, event, alice, talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9))
    client.force_login(alice)
    response = client.post(
        url("manage_item_move", event, pk=item.pk),
        {"session": morning.pk, "start": "2020-09-07T10:25", "next": "item"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "outside the session" in html
    assert 'value="2020-09-07T10:25"' in html
    item.refresh_from_db()
    assert item.start == at(9)


def test_drag_and_drop_move_answers_json(client, event, alice, talk, morning, room):
    later = domain.save_session(event, title="Later", start=at(11), end=at(12), room=room)
    item = domain.place_submission(talk, session=morning, start=at(9))
    client.force_login(alice)
    response = client.post(
        url("manage_item_move", event, pk=item.pk),
        {"session": later.pk, "start": "2020-09-07T11:15"},
        HTTP_ACCEPT="application/json",
    )
    assert json.loads(response.content) == {"ok": True, "message": "“Convergence of SGD” placed."}
    item.refresh_from_db()
    assert (item.session, item.start, item.end) == (later, at(11, 15), at(11, 35))
    refused = client.post(
        url("manage_item_move", event, pk=item.pk),
        {"session": later.pk, "start": "2020-09-07T11:50"},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert "outside the session" in json.loads(refused.content)["error"]


def test_drag_a_session_to_another_room_and_time(client, event, alice, talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9, 20))
    other = Room.objects.create(event=event, name="Seminar room", position=1)
    client.force_login(alice)
    response = client.post(
        url("manage_session_move", event, pk=morning.pk),
        {"start": "2020-09-07T13:00", "room": other.pk},
        HTTP_ACCEPT="application/json",
    )
    assert json.loads(response.content)["ok"] is True
    morning.refresh_from_db()
    item.refresh_from_db()
    assert (morning.start, morning.room, item.start) == (at(13), other, at(13, 20))


@pytest.mark.parametrize("start", ["9999-12-31T23:30", "0001-01-01T00:00"])
def test_times_centuries_away_are_refused_not_a_server_error(
    client, event, alice, talk, morning, start
):
    item = domain.place_submission(talk, session=morning, start=at(9))
    client.force_login(alice)
    moved = client.post(
        url("manage_session_move", event, pk=morning.pk),
        {"start": start},
        HTTP_ACCEPT="application/json",
    )
    assert moved.status_code == 400
    assert "between the years 1900 and 2999" in json.loads(moved.content)["error"]
    placed = client.post(
        url("manage_item_move", event, pk=item.pk),
        {"session": morning.pk, "start": start},
        HTTP_ACCEPT="application/json",
    )
    assert placed.status_code == 400
    created = client.post(
        url("manage_session_new", event),
        {"title": "Typo", "kind": SessionKind.TALKS, "start": start, "end": "9999-12-31T23:59"},
    )
    assert "between the years 1900 and 2999" in created.content.decode()
    morning.refresh_from_db()
    item.refresh_from_db()
    assert (morning.start, item.start) == (at(9), at(9))
    assert not Session.objects.filter(title="Typo").exists()


def test_ids_from_another_event_are_404(client, event, alice, talk):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other", timezone="UTC")
    foreign = domain.save_session(other, title="Foreign", start=at(9), end=at(10))
    client.force_login(alice)
    assert client.get(url("manage_session", event, pk=foreign.pk)).status_code == 404
    response = client.post(
        url("manage_place", event, code=talk.code),
        {"session": foreign.pk, "start": "2020-09-07T09:00"},
    )
    assert "Select a valid choice" in response.content.decode()


def test_invited_talk_created_then_placed(client, event, alice, speaker, morning):
    client.force_login(alice)
    response = client.post(
        url("manage_item_new", event),
        {
            "kind": ItemKind.INVITED,
            "title": "Double descent",
            "abstract": "$x$",
            "speakers": [speaker.pk],
        },
    )
    item = Item.objects.get(title="Double descent")
    assert response["Location"] == url("manage_item", event, pk=item.pk)
    client.post(
        url("manage_item_move", event, pk=item.pk),
        {"session": morning.pk, "start": "2020-09-07T09:00", "next": "item"},
    )
    item.refresh_from_db()
    assert (item.start, item.end, list(item.speakers.all())) == (at(9), at(9, 45), [speaker])


def test_publish_and_hide(client, event, alice):
    client.force_login(alice)
    client.post(url("manage_publish", event), {"note": "First"})
    assert Publication.objects.get(event=event).version == 1
    assert client.get(url("programme", event)).status_code == 200
    client.post(url("manage_unpublish", event))
    client.logout()
    assert client.get(url("programme", event)).status_code == 404


def test_import_people_button(client, event, alice):
    Page.objects.create(
        event=event, slug="index", body="# Organisers\n- Clarice Poon, University of Bath, UK\n"
    )
    client.force_login(alice)
    client.post(url("manage_people_import", event))
    client.post(url("manage_people_import", event))
    assert list(Person.objects.values_list("name", "role")) == [("Clarice Poon", "organiser")]


def test_group_posters_from_the_page(client, event, alice, petra, adam, posters_session):
    for n in range(3):
        make_submission(
            event, petra if n % 2 else adam, title=f"P{n}", state=SubmissionState.ACCEPTED_POSTER
        )
    client.force_login(alice)
    client.post(url("manage_posters", event), {"sessions": [posters_session.pk], "seed": "2"})
    boards = sorted(
        Item.objects.filter(kind=ItemKind.POSTER).values_list("board_number", flat=True)
    )
    assert boards == [1, 2, 3]


def test_rooms_page_refuses_a_duplicate_name(client, event, alice, room):
    client.force_login(alice)
    response = client.post(url("manage_rooms", event), {"name": "Lecture Theatre", "position": 1})
    assert "There is already a room called Lecture Theatre." in response.content.decode()
    assert Room.objects.count() == 1


# --- slides and video --------------------------------------------------------------------------


def pdf(name="Slides Zoë.pdf"):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


@pytest.fixture
def placed_talk(talk, morning):
    return domain.place_submission(talk, session=morning, start=at(9))


def test_speaker_attaches_slides_after_the_talk(client, event, adam, placed_talk, published):
    client.force_login(adam)
    media = url("media", event, pk=placed_talk.pk)
    with time_machine.travel(dt.datetime(2020, 9, 7, 7, 59, tzinfo=dt.UTC)):  # 08:59 BST
        assert client.get(media).status_code == 404
    with time_machine.travel(dt.datetime(2020, 9, 7, 8, 0, tzinfo=dt.UTC)):  # 09:00 BST
        response = client.post(
            media,
            {"slides": pdf(), "video_url": "https://video.example.org/7", "recorded": "on"},
        )
    assert response.status_code == 302
    placed_talk.refresh_from_db()
    assert (placed_talk.slides_name, placed_talk.video_url, placed_talk.recorded) == (
        "Slides Zoë.pdf",
        "https://video.example.org/7",
        True,
    )
    download = client.get(placed_talk.slides_download_url())
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_outsider_and_other_authors_cannot_attach(client, event, oscar, petra, placed_talk):
    for user in (oscar, petra):
        client.force_login(user)
        assert client.get(url("media", event, pk=placed_talk.pk)).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_and_links_are_kept(client, event, alice, placed_talk):
    client.force_login(alice)
    fake = SimpleUploadedFile(
        "slides.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = client.post(
        url("media", event, pk=placed_talk.pk),
        {"slides": fake, "video_url": "https://video.example.org/9"},
    )
    html = response.content.decode()
    assert "This file is not a PDF" in html
    assert 'value="https://video.example.org/9"' in html
    placed_talk.refresh_from_db()
    assert (placed_talk.slides.name, placed_talk.video_url) == ("", "")


def test_speaker_finds_the_slides_page_from_the_contribution(
    client, event, adam, petra, placed_talk, published
):
    page = reverse(
        "schedule:contribution", kwargs={"event": event.slug, "code": placed_talk.submission.code}
    )
    media = url("media", event, pk=placed_talk.pk)
    with time_machine.travel(dt.datetime(2020, 9, 7, 9, 0, tzinfo=dt.UTC)):
        assert media not in client.get(page).content.decode()
        client.force_login(petra)
        assert media not in client.get(page).content.decode()
        client.force_login(adam)
        assert media in client.get(page).content.decode()
