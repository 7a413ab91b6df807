"""Organisers' pages: who may see them, lists, counts, actions, check-in, exports, set-up."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from symposia.common.models import OutboxMessage
from symposia.registration import domain
from symposia.registration.enums import Diet, QuestionKind, Role, Status
from symposia.registration.models import Category, Registration, RegistrationQuestion

from .conftest import details

BASE = "/mathml2020/registration/manage/"


@pytest.fixture
def petras(open_event, student):
    return domain.register(
        open_event,
        details=details(
            "Petra Participant",
            "petra@kaist.ac.kr",
            category=student,
            needs_visa_letter=True,
            passport_name="PETRA PARTICIPANT",
            nationality="Korean",
        ),
    )


@pytest.fixture
def question(open_event):
    return RegistrationQuestion.objects.create(
        event=open_event, label="Dinner?", kind=QuestionKind.YES_NO
    )


def manage_urls(event, registration, category, question) -> list[str]:
    slug = event.slug
    code = registration.code
    names = [
        ("manage", {}),
        ("manage_catering", {}),
        ("manage_checkin", {}),
        ("manage_export_csv", {}),
        ("manage_export_xlsx", {}),
        ("manage_badges", {}),
        ("manage_letters", {}),
        ("manage_settings", {}),
        ("manage_categories", {}),
        ("manage_category_new", {}),
        ("manage_category", {"pk": category.pk}),
        ("manage_category_delete", {"pk": category.pk}),
        ("manage_questions", {}),
        ("manage_question_new", {}),
        ("manage_question", {"pk": question.pk}),
        ("manage_question_delete", {"pk": question.pk}),
        ("manage_add", {}),
        ("manage_detail", {"code": code}),
        ("manage_promote", {"code": code}),
        ("manage_cancel", {"code": code}),
        ("manage_paid", {"code": code}),
        ("manage_check_in", {"code": code}),
        ("manage_resend", {"code": code}),
    ]
    return [reverse(f"registration:{name}", kwargs={"event": slug, **kw}) for name, kw in names]


def test_outsider_is_refused_everywhere(client, oscar, petras, student, question):
    client.force_login(oscar)

    for url in manage_urls(petras.event, petras, student, question):
        for method in (client.get, client.post):
            response = method(url, {"paid": "on", "name": "Hacked", "capacity": "0"})
            assert response.status_code == 404, url
            assert b"Petra" not in response.content

    petras.refresh_from_db()
    assert (petras.status, petras.paid, petras.checked_in_at) == (Status.CONFIRMED, False, None)
    assert Category.objects.filter(pk=student.pk).exists()
    assert RegistrationQuestion.objects.filter(pk=question.pk).exists()
    assert OutboxMessage.objects.filter(kind="registration.link").count() == 0


def test_attendee_is_refused_too(client, petra, petras, student, question):
    client.force_login(petra)

    for url in manage_urls(petras.event, petras, student, question):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitor_is_sent_to_log_in(client, petras, student, question):
    for url in manage_urls(petras.event, petras, student, question):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


def test_code_from_another_event_is_a_404(client, alice, petras):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    other.organisers.add(alice)
    client.force_login(alice)

    response = client.get(f"/other/registration/manage/{petras.code}/")

    assert response.status_code == 404


# --- list, counts, filters -----------------------------------------------------------------------


def test_list_shows_counts_per_status_category_and_diet(
    client, alice, open_event, student, academic
):
    domain.set_capacity(open_event, capacity=2)
    domain.register(open_event, details=details("Sam", category=student, diet=Diet.VEGAN))
    domain.register(open_event, details=details("Abe", category=academic, diet=Diet.VEGAN))
    domain.register(open_event, details=details("Wes", category=student))
    client.force_login(alice)

    html = client.get(BASE).content.decode()

    assert "<strong>2</strong> confirmed" in html
    assert "<strong>1</strong> on the waitlist" in html
    assert "Capacity 2: 0 places free." in html
    assert "<tr><td>Student</td><td>1</td><td>1</td><td>—</td></tr>" in html
    assert "<tr><td>Vegan</td><td>2</td></tr>" in html
    assert "#1</small>" in html  # Wes's place on the waitlist


def test_list_says_over_capacity_instead_of_negative_places(client, alice, open_event):
    domain.set_capacity(open_event, capacity=1)
    domain.register(open_event, details=details("Sam"))
    waiting = domain.register(open_event, details=details("Wes"))
    domain.promote(waiting, confirm_now=True)
    client.force_login(alice)

    html = client.get(BASE).content.decode()

    assert "Capacity 1: full, 1 over capacity (promoted by hand or capacity lowered)." in html
    assert "-1 place" not in html


def test_list_filters(client, alice, open_event, student, academic):
    domain.register(open_event, details=details("Sam Student", category=student))
    domain.register(open_event, details=details("Abe Academic", category=academic))
    client.force_login(alice)

    by_category = client.get(BASE, {"category": student.pk}).content.decode()
    by_search = client.get(BASE, {"q": "abe"}).content.decode()

    assert "Sam Student" in by_category and "Abe Academic" not in by_category
    assert "Abe Academic" in by_search and "Sam Student" not in by_search


def test_list_hides_cancelled_unless_asked(client, alice, open_event):
    gone = domain.register(open_event, details=details("Gone Gina"))
    domain.cancel(gone)
    client.force_login(alice)

    assert "Gone Gina" not in client.get(BASE).content.decode()
    assert "Gone Gina" in client.get(BASE, {"status": "all"}).content.decode()


def make(event, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        domain.register(
            event,
            details=details(
                f"Person {i}", f"p{i}@example.org", dietary_notes="nuts", accessibility="ramp"
            ),
        )


@pytest.mark.parametrize(
    ("path", "queries"),
    [("", 19), ("checkin/", 8), ("catering/", 11)],
)
def test_pages_query_count_does_not_grow(
    client, alice, open_event, student, path, queries, django_assert_num_queries
):
    client.force_login(alice)
    make(open_event, 1)
    with django_assert_num_queries(queries):
        one = client.get(BASE + path)
    make(open_event, 2, start=1)
    with django_assert_num_queries(queries):
        three = client.get(BASE + path)

    assert one.content.decode().count("Person 0") >= 1
    assert all(f"Person {i}" in three.content.decode() for i in range(3))


# --- one registration and its actions ------------------------------------------------------------


def test_detail_shows_passport_data_to_organisers(client, alice, petras):
    client.force_login(alice)

    html = client.get(f"{BASE}{petras.code}/").content.decode()

    assert "PETRA PARTICIPANT" in html and "Korean" in html


def test_promote_by_hand(client, alice, open_event):
    domain.set_capacity(open_event, capacity=0)
    waiting = domain.register(open_event, details=details("Wanda"))
    client.force_login(alice)

    html = client.get(f"{BASE}{waiting.code}/").content.decode()
    response = client.post(f"{BASE}{waiting.code}/promote/", {"confirm_now": "on"}, follow=True)

    waiting.refresh_from_db()
    assert "and beyond capacity" in html
    assert "Wanda is confirmed." in response.content.decode()
    assert waiting.status == Status.CONFIRMED


def test_cancel_by_organiser_promotes_and_says_whom(client, alice, open_event):
    domain.set_capacity(open_event, capacity=1)
    holder = domain.register(open_event, details=details("Holder Hal"))
    domain.register(open_event, details=details("Wanda Waiting"))
    client.force_login(alice)

    response = client.post(f"{BASE}{holder.code}/cancel/", follow=True)

    assert "Cancelled. Offered the place to: Wanda Waiting." in response.content.decode()
    message = OutboxMessage.objects.get(kind="registration.cancelled")
    assert "the organisers have cancelled your registration" in message.body_text


def test_paid_tick_and_untick(client, alice, petras):
    client.force_login(alice)

    client.post(f"{BASE}{petras.code}/paid/", {"paid": "on"})
    petras.refresh_from_db()
    assert petras.paid is True

    client.post(f"{BASE}{petras.code}/paid/", {})
    petras.refresh_from_db()
    assert petras.paid is False


def test_resend_link(client, alice, petras):
    client.force_login(alice)

    client.post(f"{BASE}{petras.code}/resend/")

    assert OutboxMessage.objects.filter(kind="registration.link").get().to == [petras.email]


# --- check-in desk -------------------------------------------------------------------------------


def test_checkin_search_ignores_accents_and_case(client, alice, open_event):
    domain.register(open_event, details=details("Zoë Ångström", "zoe@example.org"))
    domain.register(open_event, details=details("Dmitri Ivanov", "dmitri@example.org"))
    client.force_login(alice)

    html = client.get(f"{BASE}checkin/", {"q": "zoe angs"}).content.decode()

    assert "Zoë Ångström" in html
    assert "Dmitri Ivanov" not in html


def test_checkin_search_by_code(client, alice, petras):
    client.force_login(alice)

    html = client.get(f"{BASE}checkin/", {"q": petras.code.lower()}).content.decode()

    assert "Petra Participant" in html


def test_checkin_marks_arrival_and_returns_to_the_search(client, alice, petras):
    client.force_login(alice)
    next_url = f"{BASE}checkin/?q=petra"

    response = client.post(f"{BASE}{petras.code}/checkin/", {"next": next_url})

    petras.refresh_from_db()
    assert response["Location"] == next_url
    assert petras.checked_in_at is not None
    html = client.get(next_url).content.decode()
    assert "Arrived" in html
    assert "<strong>1</strong> of 1 confirmed participants have arrived." in html


def test_checkin_refuses_foreign_redirects(client, alice, petras):
    client.force_login(alice)

    response = client.post(f"{BASE}{petras.code}/checkin/", {"next": "https://evil.example/"})

    assert response["Location"] == f"{BASE}{petras.code}/"


def test_checkin_of_a_waitlisted_person_is_refused(client, alice, open_event):
    domain.set_capacity(open_event, capacity=0)
    waiting = domain.register(open_event, details=details("Wanda"))
    client.force_login(alice)

    response = client.post(f"{BASE}{waiting.code}/checkin/", follow=True)

    waiting.refresh_from_db()
    assert "Only confirmed participants can check in." in response.content.decode()
    assert waiting.checked_in_at is None


# --- exports -------------------------------------------------------------------------------------


@pytest.fixture
def tricky(open_event, question):
    registration = domain.register(
        open_event,
        details=details(
            '=HYPERLINK("http://evil")',
            "t@example.org",
            affiliation="李小龍 大学",
            dietary_notes="+1 nuts",
        ),
        answers={question: True},
    )
    return registration


def test_csv_export_is_utf8_with_bom_and_formula_safe(client, alice, tricky):
    client.force_login(alice)

    response = client.get(f"{BASE}export.csv")

    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, row = rows
    assert header[-1] == "Dinner?"
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == '\'=HYPERLINK("http://evil")'
    assert record["Affiliation"] == "李小龍 大学"
    assert record["Dietary notes"] == "'+1 nuts"
    assert record["Dinner?"] == "Yes"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="mathml2020-registrations-'
    )


def test_xlsx_export_is_formula_safe(client, alice, tricky):
    client.force_login(alice)

    response = client.get(f"{BASE}export.xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    record = dict(zip(header, row, strict=True))
    assert record["Name"] == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=header.index("Name") + 1).data_type == "s"
    assert record["Affiliation"] == "李小龍 大学"


def test_export_follows_the_filters(client, alice, open_event, student, academic):
    domain.register(open_event, details=details("Sam", category=student))
    domain.register(open_event, details=details("Abe", category=academic))
    client.force_login(alice)

    content = client.get(f"{BASE}export.csv", {"category": academic.pk}).content.decode("utf-8-sig")

    assert "Abe" in content and "Sam" not in content


# --- set-up --------------------------------------------------------------------------------------


def test_settings_are_entered_in_the_event_zone(client, alice, event):
    client.force_login(alice)

    response = client.post(
        f"{BASE}settings/",
        {
            "opens_at": "2030-07-01T09:00",
            "closes_at": "2030-08-01T17:30",
            "capacity": "80",
            "confirm_within_hours": "24",
            "exempt_outside_capacity": "on",
        },
    )

    settings = domain.get_settings(event)
    assert response.status_code == 302
    assert settings.opens_at == dt.datetime(2030, 7, 1, 8, 0, tzinfo=dt.UTC)
    assert settings.closes_at == dt.datetime(2030, 8, 1, 16, 30, tzinfo=dt.UTC)
    assert (settings.capacity, settings.confirm_within_hours) == (80, 24)
    page = client.get(f"{BASE}settings/").content.decode()
    assert 'value="2030-07-01T09:00"' in page


def test_settings_errors_keep_the_input(client, alice, event):
    client.force_login(alice)

    response = client.post(
        f"{BASE}settings/",
        {
            "opens_at": "2030-07-01T09:00",
            "closes_at": "2030-06-01T09:00",
            "capacity": "-3",
            "confirm_within_hours": "0",
        },
    )

    html = response.content.decode()
    assert "Registration must close after it opens." in html
    assert "Ensure this value is greater than or equal to" in html
    assert 'value="2030-07-01T09:00"' in html
    assert domain.get_settings(event).opens_at is None


def test_settings_nonexistent_local_time_is_an_error_not_a_crash(client, alice, event):
    client.force_login(alice)

    # 01:30 on 29 March 2020 does not exist in London (clocks jump from 01:00 to 02:00).
    response = client.post(
        f"{BASE}settings/", {"opens_at": "2020-03-29T01:30", "confirm_within_hours": "48"}
    )

    assert response.status_code == 200
    assert "couldn’t be interpreted in time zone Europe/London" in response.content.decode()


@pytest.mark.parametrize(
    ("zone", "field", "value"),
    [
        ("Asia/Tokyo", "opens_at", "0001-01-01T00:00"),
        ("Europe/London", "opens_at", "9999-12-31T23:59"),
        ("Pacific/Kiritimati", "closes_at", "0001-01-01T05:00"),
    ],
)
def test_settings_far_off_years_are_an_error_not_a_crash(client, alice, event, zone, field, value):
    event.timezone = zone
    event.save()
    client.force_login(alice)
    data = {"opens_at": "2030-07-01T09:00", "confirm_within_hours": "48", field: value}

    response = client.post(f"{BASE}settings/", data)

    assert response.status_code == 200
    assert "Enter a date between 1970 and 2200." in response.content.decode()
    assert f'value="{value}"' in response.content.decode()
    assert domain.get_settings(event).opens_at is None


def test_raising_capacity_in_the_settings_promotes(client, alice, open_event):
    domain.set_capacity(open_event, capacity=0)
    waiting = domain.register(open_event, details=details("Wanda"))
    client.force_login(alice)

    response = client.post(
        f"{BASE}settings/",
        {"opens_at": "2020-01-01T09:00", "capacity": "1", "confirm_within_hours": "48"},
        follow=True,
    )

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED
    assert "1 person on the waitlist was offered a place." in response.content.decode()


def test_categories_add_change_and_refuse_duplicates(client, alice, open_event, student):
    client.force_login(alice)

    client.post(
        f"{BASE}categories/new/",
        {"name": "Industry", "fee": "300", "currency": "gbp", "order": "3", "is_public": "on"},
    )
    duplicate = client.post(f"{BASE}categories/new/", {"name": "student", "order": "1"})
    client.post(
        f"{BASE}categories/{student.pk}/", {"name": "Student", "capacity": "20", "order": "1"}
    )

    industry = Category.objects.get(name="Industry")
    student.refresh_from_db()
    assert (industry.fee_display, industry.event) == ("300.00 GBP", open_event)
    assert "There is already a category with this name." in duplicate.content.decode()
    assert (student.capacity, student.is_public) == (20, False)


def test_category_with_registrations_is_not_deleted(client, alice, petras, student):
    client.force_login(alice)

    response = client.post(f"{BASE}categories/{student.pk}/delete/", follow=True)

    assert Category.objects.filter(pk=student.pk).exists()
    assert "has registrations" in response.content.decode()


def test_questions_add_and_validate_options(client, alice, open_event):
    client.force_login(alice)

    bad = client.post(
        f"{BASE}questions/new/",
        {"label": "T-shirt", "kind": QuestionKind.CHOICE, "options": "M", "order": "0"},
    )
    client.post(
        f"{BASE}questions/new/",
        {"label": "T-shirt", "kind": QuestionKind.CHOICE, "options": "S\nM\nL", "order": "0"},
    )

    assert "Give at least two options, one per line." in bad.content.decode()
    assert RegistrationQuestion.objects.get(event=open_event).option_list == ["S", "M", "L"]


def test_questions_refuse_an_option_given_twice(client, alice, open_event):
    client.force_login(alice)

    response = client.post(
        f"{BASE}questions/new/",
        {"label": "T-shirt", "kind": QuestionKind.MULTIPLE, "options": "S\nM\n M \nL\nS"},
    )

    html = response.content.decode()
    assert "Give each option once: M, S." in html
    assert "S\nM\n M \nL\nS</textarea>" in html
    assert not RegistrationQuestion.objects.filter(event=open_event).exists()


def test_add_invited_speaker_outside_capacity(client, alice, open_event):
    domain.set_capacity(open_event, capacity=0)
    client.force_login(alice)

    client.post(
        f"{BASE}add/",
        {
            "role": Role.INVITED_SPEAKER,
            "name": "Jong Chul Ye",
            "email": "ye@kaist.ac.kr",
            "diet": Diet.NONE,
            "notify": "on",
        },
    )

    speaker = Registration.objects.get()
    assert (speaker.status, speaker.exempt, speaker.role) == (
        Status.CONFIRMED,
        True,
        Role.INVITED_SPEAKER,
    )
    assert OutboxMessage.objects.get().kind == "registration.confirmed"


def test_add_invited_speaker_without_a_category(client, alice, open_event, student):
    client.force_login(alice)
    data = {"name": "Jong Chul Ye", "email": "ye@kaist.ac.kr", "diet": Diet.NONE}

    page = client.get(f"{BASE}add/").content.decode()
    refused = client.post(f"{BASE}add/", {**data, "role": Role.PARTICIPANT})
    client.post(f"{BASE}add/", {**data, "role": Role.INVITED_SPEAKER})

    assert f'name="category" value="{student.pk}" required' not in page
    assert "Choose a category for a participant." in refused.content.decode()
    speaker = Registration.objects.get()
    assert (speaker.role, speaker.category, speaker.status) == (
        Role.INVITED_SPEAKER,
        None,
        Status.CONFIRMED,
    )


def test_add_participant_by_hand_counts_and_may_wait(client, alice, event):
    domain.configure(event, values={"capacity": 0})  # registration not even open
    client.force_login(alice)

    client.post(
        f"{BASE}add/",
        {
            "role": Role.PARTICIPANT,
            "name": "Late Lucy",
            "email": "lucy@example.org",
            "diet": Diet.NONE,
        },
    )

    lucy = Registration.objects.get()
    assert (lucy.status, lucy.exempt) == (Status.WAITLISTED, False)
    assert OutboxMessage.objects.count() == 0


def test_add_refuses_an_email_already_registered(client, alice, petras, student):
    client.force_login(alice)

    response = client.post(
        f"{BASE}add/",
        {
            "role": Role.ORGANISER,
            "name": "Petra",
            "email": "PETRA@kaist.ac.kr",
            "diet": Diet.NONE,
            "category": student.pk,
        },
    )

    assert "This email address is already registered for this event." in response.content.decode()
    assert Registration.objects.count() == 1


def test_garbage_in_filters_and_searches_is_no_error(client, alice, petras):
    client.force_login(alice)
    garbage = {"category": "abc", "status": "zzz", "page": "x' OR 1=1", "diet": "\x00", "q": "%_"}

    listing = client.get(BASE, garbage)
    export = client.get(f"{BASE}export.csv", garbage)
    desk = client.get(f"{BASE}checkin/", {"q": "x" * 500})
    badges = client.get(f"{BASE}badges.pdf", {"code": ["nonsense", "' OR 1=1"]}, follow=True)

    assert listing.status_code == 200 and "Petra Participant" in listing.content.decode()
    assert export.status_code == 200
    assert desk.status_code == 200
    assert "none chosen" in badges.content.decode()
