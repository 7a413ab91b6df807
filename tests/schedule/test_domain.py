"""Timetable changes: placing, moving, unscheduling, sessions, posters, publication, slides."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from symposia.cfp.enums import SubmissionState
from symposia.cfp.pdf import inspect_pdf
from symposia.schedule import domain
from symposia.schedule.enums import ItemKind, SessionKind
from symposia.schedule.models import Item, Person, Publication, Release

from .conftest import at, make_submission


def test_placing_an_accepted_talk_creates_its_item_with_the_presenter(talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9, 45))
    item.refresh_from_db()
    assert (item.kind, item.session, item.start, item.end) == (
        ItemKind.CONTRIBUTED,
        morning,
        at(9, 45),
        at(10, 5),  # the contribution type lasts 20 minutes
    )
    presenter = item.speakers.get()
    assert (presenter.name, presenter.email, presenter.affiliation) == (
        "Adam Author",
        "adam@imperial.ac.uk",
        "Imperial College London",
    )
    assert presenter.user == talk.owner


def test_placing_again_moves_the_same_item(talk, morning):
    first = domain.place_submission(talk, session=morning, start=at(9))
    second = domain.place_submission(talk, session=morning, start=at(10))
    assert first.pk == second.pk
    assert Item.objects.filter(submission=talk).count() == 1
    assert Person.objects.filter(email="adam@imperial.ac.uk").count() == 1


@pytest.mark.parametrize(
    "state",
    [SubmissionState.SUBMITTED, SubmissionState.REJECTED, SubmissionState.WAITLISTED],
)
def test_only_accepted_contributions_are_placed(event, adam, morning, state):
    submission = make_submission(event, adam, title="Not yet", state=state)
    with pytest.raises(domain.ScheduleError, match="Only accepted"):
        domain.place_submission(submission, session=morning, start=at(9))
    assert not Item.objects.exists()


def test_an_item_must_fit_in_its_session(talk, morning):
    with pytest.raises(domain.ScheduleError, match="outside the session"):
        domain.place_submission(talk, session=morning, start=at(10, 20))
    assert not Item.objects.filter(session=morning).exists()


def test_posters_only_go_to_poster_sessions_and_talks_never(poster, talk, morning, posters_session):
    with pytest.raises(domain.ScheduleError, match="poster sessions"):
        domain.place_submission(poster, session=morning, start=at(9))
    with pytest.raises(domain.ScheduleError, match="Only posters"):
        domain.place_submission(talk, session=posters_session, start=at(15, 30))
    item = domain.place_submission(poster, session=posters_session, start=at(16))
    assert (item.start, item.end) == (at(15, 30), at(17))  # a poster spans its session


def test_session_of_another_event_is_refused(talk, other_event_session):
    with pytest.raises(domain.ScheduleError, match="another event"):
        domain.place_submission(talk, session=other_event_session, start=at(9))


@pytest.fixture
def other_event_session(db):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other", timezone="Europe/London")
    return domain.save_session(other, title="Elsewhere", start=at(9), end=at(12))


def test_moving_keeps_the_length(event, speaker, morning, room, chair):
    item = domain.save_item(event, kind=ItemKind.INVITED, title="Interpolation", speakers=[speaker])
    domain.place_item(item, session=morning, start=at(9), end=at(9, 45))
    later = domain.save_session(event, title="Later", start=at(11), end=at(12, 30), room=room)
    domain.move_item(item, session=later, start=at(11, 30))
    item.refresh_from_db()
    assert (item.session, item.start, item.end) == (later, at(11, 30), at(12, 15))


def test_moving_a_session_moves_its_items_and_room(event, talk, morning, room):
    item = domain.place_submission(talk, session=morning, start=at(9, 20))
    other_room = domain.save_room(event, name="Seminar room 1", position=1)
    domain.move_session(morning, start=at(14), room=other_room)
    morning.refresh_from_db()
    item.refresh_from_db()
    assert (morning.start, morning.end, morning.room) == (at(14), at(15, 30), other_room)
    assert (item.start, item.end) == (at(14, 20), at(14, 40))


def test_moving_a_session_without_room_argument_keeps_the_room(morning, room):
    domain.move_session(morning, start=at(8))
    morning.refresh_from_db()
    assert (morning.start, morning.room) == (at(8), room)


def test_deleting_a_session_keeps_its_items_unscheduled(talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9))
    domain.delete_session(morning)
    item.refresh_from_db()
    assert (item.session, item.start, item.end) == (None, None, None)
    assert list(domain.unscheduled_submissions(talk.event)) == [talk]


def test_unschedule_and_delete(event, talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9))
    domain.unschedule(item)
    item.refresh_from_db()
    assert not item.is_scheduled
    with pytest.raises(domain.ScheduleError, match="not deleted"):
        domain.delete_item(item)
    invited = domain.save_item(event, kind=ItemKind.BREAK, title="Coffee")
    domain.delete_item(invited)
    assert not Item.objects.filter(pk=invited.pk).exists()


def test_session_must_end_after_it_starts(event):
    with pytest.raises(domain.ScheduleError, match="end after"):
        domain.save_session(event, title="Backwards", start=at(10), end=at(9))


def test_rooms_have_unique_names(event, room):
    with pytest.raises(domain.ScheduleError, match="already a room"):
        domain.save_room(event, name="lecture THEATRE")


def test_grouping_places_every_accepted_poster_with_boards(event, adam, petra, rita, room):
    first = domain.save_session(
        event, title="Posters I", kind=SessionKind.POSTERS, start=at(15), end=at(16), room=room
    )
    second = domain.save_session(
        event,
        title="Posters II",
        kind=SessionKind.POSTERS,
        start=at(15, day=dt.date(2020, 9, 8)),
        end=at(16, day=dt.date(2020, 9, 8)),
        room=room,
    )
    posters = [
        make_submission(event, owner, title=f"Poster {n}", state=SubmissionState.ACCEPTED_POSTER)
        for n, owner in enumerate([adam, petra, rita, adam, petra], start=1)
    ]
    # Adam gives a talk during the first poster session: his posters go to the second.
    talk_session = domain.save_session(event, title="Talks", start=at(15), end=at(16))
    talk = make_submission(event, adam, title="Adam's talk")
    domain.place_submission(talk, session=talk_session, start=at(15))
    domain.group_posters(event, sessions=[first, second])
    items = list(Item.objects.filter(kind=ItemKind.POSTER).order_by("board_number"))
    assert len(items) == len(posters)
    assert [i.board_number for i in items] == [1, 2, 3, 4, 5]
    sizes = sorted(Item.objects.filter(session=s).count() for s in (first, second))
    assert sizes == [2, 3]
    adams = Item.objects.filter(kind=ItemKind.POSTER, submission__owner=adam)
    assert {i.session_id for i in adams} == {second.pk}
    assert all(i.start == i.session.start and i.end == i.session.end for i in items)


def test_grouping_needs_poster_sessions(event, morning):
    with pytest.raises(domain.ScheduleError, match="not a poster session"):
        domain.group_posters(event, sessions=[morning])
    with pytest.raises(domain.ScheduleError, match="at least one"):
        domain.group_posters(event, sessions=[])


def test_board_numbers_by_hand_must_be_unique(event, poster, petra, posters_session):
    first = domain.place_submission(poster, session=posters_session, start=at(15, 30))
    other = make_submission(event, petra, title="Second", state=SubmissionState.ACCEPTED_POSTER)
    second = domain.place_submission(other, session=posters_session, start=at(15, 30))
    assert domain.assign_board_numbers(event) == 2
    first.refresh_from_db()
    with pytest.raises(domain.ScheduleError, match="already taken"):
        domain.set_board_number(second, number=first.board_number)
    domain.set_board_number(second, number=17)
    second.refresh_from_db()
    assert second.board_number == 17


def test_publish_records_versions_and_changes(event, alice, talk, morning):
    item = domain.place_submission(talk, session=morning, start=at(9))
    first = domain.publish(event, by=alice, note="First programme")
    assert (first.version, first.changes, first.note) == (1, [], "First programme")
    assert Publication.objects.get(event=event).is_public
    domain.move_item(item, session=morning, start=at(9, 40))
    assert domain.pending_changes(event) == [
        "Moved “Convergence of SGD” from Mon 07 Sep 09:00, Lecture theatre to "
        "Mon 07 Sep 09:40, Lecture theatre."
    ]
    second = domain.publish(event, by=alice)
    assert second.version == 2
    assert second.changes == [
        "Moved “Convergence of SGD” from Mon 07 Sep 09:00, Lecture theatre to "
        "Mon 07 Sep 09:40, Lecture theatre."
    ]
    assert domain.pending_changes(event) == []
    domain.unpublish(event, by=alice)
    publication = Publication.objects.get(event=event)
    assert (publication.is_public, publication.version) == (False, 2)
    assert Release.objects.filter(event=event).count() == 2


def test_timetable_warnings_from_the_database(event, speaker, morning, room):
    morning.chair = None
    morning.save()
    one = domain.save_item(event, kind=ItemKind.INVITED, title="One", speakers=[speaker])
    two = domain.save_item(event, kind=ItemKind.INVITED, title="Two", speakers=[speaker])
    parallel = domain.save_session(event, title="Parallel", start=at(9), end=at(10), chair=speaker)
    domain.place_item(one, session=morning, start=at(9), end=at(9, 45))
    domain.place_item(two, session=parallel, start=at(9), end=at(9, 45))
    codes = [w.code for w in domain.timetable_warnings(event)]
    assert codes == ["speaker-double-booked", "session-without-chair"]


def pdf_upload(name="Slides Zoë.pdf"):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def test_slides_replace_earlier_ones(event, speaker, morning):
    item = domain.save_item(event, kind=ItemKind.INVITED, title="Talk", speakers=[speaker])
    upload = pdf_upload()
    domain.attach_slides(item, upload=upload, info=inspect_pdf(upload, max_bytes=10**6))
    first = item.slides.name
    upload = pdf_upload("Zweite Fassung.pdf")
    domain.attach_slides(item, upload=upload, info=inspect_pdf(upload, max_bytes=10**6))
    item.refresh_from_db()
    assert (item.slides_name, item.slides_filename) == ("Zweite Fassung.pdf", "Zweite_Fassung.pdf")
    assert not item.slides.storage.exists(first)
    domain.remove_slides(item)
    item.refresh_from_db()
    assert (bool(item.slides), item.slides_name) == (False, "")
