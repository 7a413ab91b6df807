from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from symposia.common.mail import queue_mail
from symposia.common.models import OutboxMessage
from symposia.events.models import Event

BROKEN = "tests.common.backends.BrokenSMTPBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
URL = "/mathml2020/mail/"


def _queue(event, subject="Receipt", to="adam@imperial.ac.uk"):
    return queue_mail(to=to, subject=subject, body_text="Hello.", event=event, kind="cfp.receipt")


def test_organiser_sees_the_events_messages_with_errors(client, alice, event, settings):
    settings.EMAIL_BACKEND = BROKEN
    _queue(event, subject="Failed one")
    other = Event.objects.create(slug="other", title="Other event")
    _queue(other, subject="Not ours")
    client.force_login(alice)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Failed one" in html
    assert "Not ours" not in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "Failed (will retry)" in html
    assert "Retry all 1 failed" in html


def test_filter_by_status(client, alice, event, settings):
    _queue(event, subject="Went out")
    settings.EMAIL_BACKEND = BROKEN
    _queue(event, subject="Stuck")
    client.force_login(alice)

    html = client.get(URL + "?status=failed").content.decode()

    assert "Stuck" in html
    assert "Went out" not in html


def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(client, oscar, event):
    _queue(event)
    client.force_login(oscar)

    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL)["Location"] == "/accounts/login/?next=/mathml2020/mail/"


def test_retry_button_sends_a_failed_message(client, alice, event, settings):
    settings.EMAIL_BACKEND = BROKEN
    message = _queue(event)
    settings.EMAIL_BACKEND = LOCMEM
    client.force_login(alice)

    response = client.post(f"{URL}{message.pk}/retry/")

    assert response["Location"] == URL
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_retry_needs_post(client, alice, event):
    message = _queue(event)
    client.force_login(alice)

    assert client.get(f"{URL}{message.pk}/retry/").status_code == 405


def test_retry_of_another_events_message_is_404(client, alice, event, settings):
    settings.EMAIL_BACKEND = BROKEN
    other = Event.objects.create(slug="other", title="Other event")
    message = _queue(other)
    client.force_login(alice)

    response = client.post(f"{URL}{message.pk}/retry/")

    assert response.status_code == 404
    message.refresh_from_db()
    assert message.attempts == 1


def test_outsider_cannot_retry(client, oscar, event, settings):
    settings.EMAIL_BACKEND = BROKEN
    message = _queue(event)
    client.force_login(oscar)

    assert client.post(f"{URL}{message.pk}/retry/").status_code == 404
    assert client.post(f"{URL}retry-failed/").status_code == 404
    message.refresh_from_db()
    assert message.attempts == 1


def test_retry_all_failed(client, alice, event, settings):
    settings.EMAIL_BACKEND = BROKEN
    for number in range(3):
        _queue(event, subject=f"Message {number}")
    settings.EMAIL_BACKEND = LOCMEM
    client.force_login(alice)

    client.post(f"{URL}retry-failed/")

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 3


def test_list_query_count_does_not_grow_with_messages(
    client, alice, event, django_assert_num_queries
):
    client.force_login(alice)
    _queue(event, subject="First")
    with CaptureQueriesContext(connection) as one_item:
        assert client.get(URL).status_code == 200

    _queue(event, subject="Second")
    _queue(event, subject="Third")
    with django_assert_num_queries(len(one_item.captured_queries)):
        response = client.get(URL)

    assert response.content.decode().count('class="status-sent"') == 3
