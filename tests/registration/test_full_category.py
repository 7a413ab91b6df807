"""A category can be full while the event still has places: the form says so before anyone
registers, and the waitlist page and mail name the category instead of 'all places'."""

import pytest

from symposia.common.models import OutboxMessage
from symposia.registration import domain
from symposia.registration.enums import Status
from symposia.registration.models import Registration

from .conftest import details
from .test_views import URL, form_data


@pytest.fixture
def full_student(open_event, student, academic):
    domain.set_capacity(open_event, capacity=10)
    student.capacity = 1
    student.save()
    domain.register(open_event, details=details("Sam Student", category=student))
    return student


def test_form_labels_the_full_category(client, full_student, academic):
    html = client.get(URL).content.decode()

    assert "9 places left." in html
    assert "Student — full: you would join the waitlist" in html
    assert "Academic (150.00 GBP)</label>" in html


def test_waitlisted_in_a_full_category_is_told_which(client, full_student):
    response = client.post(URL, form_data(category=full_student.pk), follow=True)

    html = response.content.decode()
    zoe = Registration.objects.get(email="zoe@example.org")
    assert zoe.status == Status.WAITLISTED
    assert "All places in the Student category are taken: you are on the waitlist." in html
    assert "All places in the Student category are taken. You are number" in html
    mail = OutboxMessage.objects.get(kind="registration.waitlisted")
    assert "All places in the\nStudent category are taken at the moment" in mail.body_text


def test_when_the_event_is_full_the_wording_stays_all_places(client, open_event, student):
    domain.set_capacity(open_event, capacity=1)
    domain.register(open_event, details=details("Sam Student", category=student))

    page = client.get(URL).content.decode()
    response = client.post(URL, form_data(category=student.pk), follow=True)

    assert "full: you would join the waitlist" not in page
    assert "All places are taken: you are on the waitlist." in response.content.decode()
    mail = OutboxMessage.objects.get(kind="registration.waitlisted")
    assert "All places are taken at the moment" in mail.body_text
