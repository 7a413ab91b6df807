"""Public pages: the registration form, the participants list, "my registration"."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from symposia.common.models import OutboxMessage
from symposia.registration import domain
from symposia.registration.enums import Diet, QuestionKind, Status
from symposia.registration.links import registration_from_token
from symposia.registration.models import Registration, RegistrationQuestion

from .conftest import details

URL = "/mathml2020/registration/"


def links_to(text: str, registration) -> bool:
    """True if `text` holds a signed link to `registration` (the tokens embed the second they
    were made, so two links to one registration may differ: compare what they name)."""
    for token in re.findall(r"/registration/r/([^/\"']+)/", text):
        if registration_from_token(registration.event, token) == registration:
            return True
    return False


def form_data(**extra) -> dict:
    return {
        "name": "Zoë Ångström",
        "email": "zoe@example.org",
        "affiliation": "Université de Lyon",
        "country": "France",
        "diet": Diet.VEGETARIAN,
        "dietary_notes": "",
        "accessibility": "",
        "consent_public_list": "on",
        **extra,
    }


def test_form_is_shown_while_open(client, open_event, student, academic):
    response = client.get(URL)

    html = response.content.decode()
    assert '<form method="post" class="reg-form">' in html
    assert "Academic (150.00 GBP)" in html
    assert "I need an invitation letter for a visa" in html


def test_form_before_opening_says_when_in_the_event_zone(client, event):
    opens = dt.datetime(2030, 7, 1, 9, 0, tzinfo=event.tzinfo)  # BST: 08:00 UTC
    domain.configure(event, values={"opens_at": opens})

    with time_machine.travel(opens - dt.timedelta(minutes=1), tick=False):
        response = client.get(URL)

    html = response.content.decode()
    assert "Registration opens on 1 July 2030, 09:00 (Europe/London)." in html
    assert 'class="reg-form"' not in html


def test_form_after_closing(client, event):
    closes = dt.datetime(2020, 6, 1, 17, 0, tzinfo=event.tzinfo)
    domain.configure(
        event, values={"opens_at": closes - dt.timedelta(days=30), "closes_at": closes}
    )

    response = client.get(URL)

    assert "Registration closed on 1 June 2020, 17:00 (Europe/London)." in response.content.decode()


def test_event_without_registration_settings_is_closed(client, event):
    response = client.get(URL)

    assert "Registration is not open." in response.content.decode()


def test_posting_while_closed_registers_nobody(client, event):
    response = client.post(URL, form_data())

    assert response.status_code == 200
    assert Registration.objects.count() == 0


def test_register_confirms_and_redirects_to_the_signed_page(client, open_event, academic):
    response = client.post(URL, form_data(category=academic.pk), follow=True)

    registration = Registration.objects.get()
    assert (registration.name, registration.status, registration.category) == (
        "Zoë Ångström",
        Status.CONFIRMED,
        academic,
    )
    assert links_to(response.redirect_chain[0][0], registration)
    html = response.content.decode()
    assert "You are registered." in html
    assert "Your place at Mathematics of Machine Learning 2020 is confirmed." in html
    assert OutboxMessage.objects.get().kind == "registration.confirmed"


def test_register_when_full_joins_the_waitlist(client, open_event):
    domain.set_capacity(open_event, capacity=1)
    domain.register(open_event, details=details("Petra"))

    page = client.get(URL).content.decode()
    response = client.post(URL, form_data(), follow=True)

    assert "Join the waitlist" in page
    html = response.content.decode()
    assert "You are number <strong>1</strong> on the waitlist." in html
    assert Registration.objects.get(email="zoe@example.org").status == Status.WAITLISTED


def test_missing_fields_are_reported_and_input_kept(client, open_event, student):
    response = client.post(
        URL, form_data(name="", category=student.pk, needs_visa_letter="on", nationality="")
    )

    html = response.content.decode()
    assert "Please check the fields marked below." in html
    assert html.count("This field is required.") == 1
    assert html.count("Needed for the invitation letter.") == 2
    assert 'value="Université de Lyon"' in html
    assert Registration.objects.count() == 0


def test_category_is_required_when_there_are_categories(client, open_event, student):
    response = client.post(URL, form_data())

    assert "This field is required." in response.content.decode()
    assert Registration.objects.count() == 0


def test_hidden_category_cannot_be_chosen_on_the_public_form(client, open_event, student):
    student.is_public = False
    student.save()
    from symposia.registration.models import Category

    Category.objects.create(event=open_event, name="Academic")

    response = client.post(URL, form_data(category=student.pk))

    assert "Select a valid choice." in response.content.decode()


def test_duplicate_email_resends_the_link_instead(client, open_event):
    existing = domain.register(open_event, details=details("Zoë", "ZOE@example.org"))

    response = client.post(URL, form_data(), follow=True)

    assert "we have sent the link to that registration" in response.content.decode()
    assert Registration.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="registration.link").get().to == [existing.email]


def test_custom_questions_are_asked_and_answered(client, open_event):
    dinner = RegistrationQuestion.objects.create(
        event=open_event, label="Dinner?", kind=QuestionKind.YES_NO, required=True
    )
    talks = RegistrationQuestion.objects.create(
        event=open_event,
        label="Sessions",
        kind=QuestionKind.MULTIPLE,
        options="Morning\nAfternoon",
    )

    missing = client.post(URL, form_data())
    client.post(
        URL, form_data(**{f"q_{dinner.pk}": "no", f"q_{talks.pk}": ["Morning", "Afternoon"]})
    )

    assert "Dinner?" in missing.content.decode()
    answers = {a.question.label: a.value for a in Registration.objects.get().answers.all()}
    assert answers == {"Dinner?": False, "Sessions": ["Morning", "Afternoon"]}


def test_signed_in_person_registers_with_the_account(client, open_event, petra):
    client.force_login(petra)

    page = client.get(URL).content.decode()
    client.post(URL, form_data(email="someone-else@example.org"))

    registration = Registration.objects.get()
    assert 'value="Petra Participant"' in page
    assert (registration.user, registration.email) == (petra, "petra@kaist.ac.kr")


def test_signed_in_person_with_a_registration_sees_it_instead_of_the_form(
    client, open_event, petra
):
    registration = domain.register(open_event, details=details("Petra", petra.email), user=petra)
    client.force_login(petra)

    html = client.get(URL).content.decode()

    assert 'class="reg-form"' not in html
    assert links_to(html, registration)


def test_lapsed_offers_expire_when_the_form_is_read(client, open_event):
    domain.set_capacity(open_event, capacity=1)
    holder = domain.register(open_event, details=details("Holder"))
    first = domain.register(open_event, details=details("First"))
    second = domain.register(open_event, details=details("Second"))
    domain.cancel(holder)
    first.refresh_from_db()

    with time_machine.travel(first.offer_expires_at + dt.timedelta(seconds=1), tick=False):
        client.get(URL)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.EXPIRED, Status.OFFERED)


# --- participants --------------------------------------------------------------------------------


def test_participants_list_shows_only_confirmed_people_who_consented(client, open_event):
    domain.set_capacity(open_event, capacity=2)
    domain.register(
        open_event,
        details=details("李小龍", "li@example.org", consent_public_list=True, country="China"),
    )
    domain.register(open_event, details=details("Hidden Harry", "harry@example.org"))
    domain.register(
        open_event, details=details("Waiting Wanda", "wanda@example.org", consent_public_list=True)
    )

    html = client.get(f"{URL}participants/").content.decode()

    assert "<td>李小龍</td><td>University of Bath</td><td>China</td>" in html
    assert "Hidden Harry" not in html
    assert "Waiting Wanda" not in html
    assert "harry@example.org" not in html and "li@example.org" not in html


def test_participants_list_escapes_markup(client, open_event):
    domain.register(
        open_event,
        details=details("<script>alert(1)</script>", "x@example.org", consent_public_list=True),
    )

    html = client.get(f"{URL}participants/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _listed(event, count: int) -> None:
    for i in range(count):
        domain.register(
            event, details=details(f"Person {i}", f"p{i}@example.org", consent_public_list=True)
        )


def test_participants_list_query_count_is_constant(client, open_event, django_assert_num_queries):
    _listed(open_event, 1)
    with django_assert_num_queries(4):
        client.get(f"{URL}participants/")
    for i in range(2):
        domain.register(
            open_event, details=details(f"More {i}", f"m{i}@example.org", consent_public_list=True)
        )
    with django_assert_num_queries(4):
        response = client.get(f"{URL}participants/")
    assert response.content.decode().count("<tr><td>") == 3


# --- my registration -----------------------------------------------------------------------------


def test_mine_redirects_a_signed_in_person_to_their_registration(client, open_event, petra):
    registration = domain.register(open_event, details=details("Petra", petra.email), user=petra)
    client.force_login(petra)

    response = client.get(f"{URL}mine/")

    assert response.status_code == 302
    assert links_to(response["Location"], registration)


def test_mine_for_the_outsider_shows_nothing_of_others(client, open_event, oscar):
    domain.register(open_event, details=details("Petra", "petra@example.org"))
    client.force_login(oscar)

    html = client.get(f"{URL}mine/").content.decode()

    assert "Your account has no registration for this event." in html
    assert "Petra" not in html


def test_mine_mails_the_link_once_and_reveals_nothing(client, open_event):
    domain.register(open_event, details=details("Petra", "petra@example.org"), notify=False)

    first = client.post(f"{URL}mine/", {"email": "PETRA@example.org"}, follow=True)
    client.post(f"{URL}mine/", {"email": "petra@example.org"})
    unknown = client.post(f"{URL}mine/", {"email": "nobody@example.org"}, follow=True)

    message = "If this address has a registration for this event, its link is on its way."
    assert message in first.content.decode()
    assert message in unknown.content.decode()
    assert list(OutboxMessage.objects.values_list("kind", "to")) == [
        ("registration.link", ["petra@example.org"])
    ]


def test_hidden_event_registration_is_a_404_for_the_outsider(client, open_event, oscar):
    open_event.is_public = False
    open_event.save()
    client.force_login(oscar)

    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}participants/").status_code == 404


def test_time_on_the_page_is_in_the_event_zone(client, open_event):
    domain.configure(
        open_event,
        values={"closes_at": dt.datetime(2030, 7, 15, 22, 30, tzinfo=dt.UTC)},
    )

    html = client.get(URL).content.decode()

    # 22:30 UTC in July is 23:30 British Summer Time; the zone is named next to it.
    assert "Registration closes on 15 July 2030, 23:30 (Europe/London)." in html
    assert timezone.get_current_timezone_name() == "UTC"


def test_hostile_form_input_gets_errors_not_a_crash(client, open_event, student):
    number = RegistrationQuestion.objects.create(
        event=open_event, label="Age", kind=QuestionKind.NUMBER
    )

    response = client.post(
        URL,
        form_data(
            name="Zoë\x00",
            email="not an email",
            category="abc",
            diet="caviar",
            **{f"q_{number.pk}": "inf"},
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Null characters are not allowed." in html
    assert "Enter a valid email address." in html
    assert html.count("Select a valid choice.") == 2
    assert "Enter a number." in html
    assert Registration.objects.count() == 0


def test_signed_in_person_who_cancelled_may_register_again(client, open_event, petra):
    old = domain.register(open_event, details=details("Petra", petra.email), user=petra)
    domain.cancel(old)
    client.force_login(petra)

    html = client.get(URL).content.decode()
    client.post(URL, form_data())

    assert 'class="reg-form"' in html
    assert Registration.objects.filter(user=petra, status=Status.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    ("kind", "options", "posted", "stored"),
    [
        (QuestionKind.SHORT, "", "Lemon cake", "Lemon cake"),
        (QuestionKind.LONG, "", "Line one\nLine two", "Line one\nLine two"),
        (QuestionKind.CHOICE, "S\nM\nL", "M", "M"),
        (QuestionKind.MULTIPLE, "Mon\nTue", ["Mon", "Tue"], ["Mon", "Tue"]),
        (QuestionKind.CHECKBOX, "", "on", True),
        (QuestionKind.YES_NO, "", "yes", True),
        (QuestionKind.NUMBER, "", "2.5", 2.5),
        (QuestionKind.URL, "", "example.org/me", "https://example.org/me"),
    ],
)
def test_every_question_kind_is_asked_and_stored(client, open_event, kind, options, posted, stored):
    question = RegistrationQuestion.objects.create(
        event=open_event, label="The question", kind=kind, options=options, required=True
    )

    client.post(URL, form_data(**{f"q_{question.pk}": posted}))

    assert Registration.objects.get().answers.get(question=question).value == stored
