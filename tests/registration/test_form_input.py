"""What people type into the registration form is stored so that it cannot disturb the pages,
lists, mails and exports that show it."""

from symposia.common.models import OutboxMessage
from symposia.registration.enums import QuestionKind, Status
from symposia.registration.links import registration_path
from symposia.registration.models import Registration, RegistrationQuestion

from .test_views import URL, form_data


def test_bidi_overrides_are_removed_from_what_is_shown_to_others(client, open_event, student):
    question = RegistrationQuestion.objects.create(
        event=open_event, label="Institute", kind=QuestionKind.SHORT
    )

    client.post(
        URL,
        form_data(
            name="\u202eRLO Person",
            affiliation="Tel Aviv University אוניברסיטת תל אביב",
            dietary_notes="no\u2067 nuts",
            accessibility="line one\r\nline\u202e two",
            category=student.pk,
            **{f"q_{question.pk}": "\u202dInstitute\u202c"},
        ),
    )

    registration = Registration.objects.get()
    assert registration.name == "RLO Person"
    assert registration.affiliation == "Tel Aviv University אוניברסיטת תל אביב"
    assert registration.dietary_notes == "no nuts"
    assert registration.accessibility == "line one\nline two"
    assert registration.answers.get().value == "Institute"
    assert "\u202e" not in OutboxMessage.objects.get().body_text


def test_a_name_of_only_invisible_controls_is_refused(client, open_event, student):
    response = client.post(URL, form_data(name="\u202e\u202c", category=student.pk))

    assert "This field is required." in response.content.decode()
    assert Registration.objects.count() == 0


def test_line_breaks_in_a_one_line_field_become_spaces(client, open_event, student):
    client.post(URL, form_data(name="Zoë\r\nÅngström", country="Fr\tance", category=student.pk))

    registration = Registration.objects.get()
    assert (registration.name, registration.country) == ("Zoë Ångström", "Fr ance")


def test_accessibility_needs_are_limited_and_the_text_kept(client, open_event, student):
    long_text = "Step-free access, please." * 100  # 2,500 characters

    response = client.post(URL, form_data(accessibility=long_text, category=student.pk))

    html = response.content.decode()
    assert "Ensure this value has at most 2000 characters (it has 2500)." in html
    assert long_text in html
    assert Registration.objects.count() == 0


def test_editing_cleans_the_same_way(client, open_event, student):
    client.post(URL, form_data(category=student.pk))
    registration = Registration.objects.get()

    client.post(
        registration_path(registration, "edit"),
        form_data(name="Zoë \u202eÅngström", accessibility="x" * 2001),
    )
    client.post(registration_path(registration, "edit"), form_data(name="Zoë \u202eÅngström"))

    registration.refresh_from_db()
    assert registration.name == "Zoë Ångström"
    assert registration.status == Status.CONFIRMED
