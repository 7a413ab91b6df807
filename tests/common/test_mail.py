import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from symposia.common.mail import (
    LEASE,
    MAX_ATTEMPTS,
    queue_mail,
    queue_templated_mail,
    render_mail,
    retry_message,
    send_due,
    send_outbox_message,
)
from symposia.common.models import OutboxMessage
from symposia.events.models import Event

BROKEN = "tests.common.backends.BrokenSMTPBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _queue(**extra):
    return queue_mail(
        **{"to": "adam@imperial.ac.uk", "subject": "Receipt", "body_text": "Hello.", **extra}
    )


def test_queue_mail_stores_a_row_and_sends_it(db):
    message = _queue(kind="cfp.receipt")

    message.refresh_from_db()
    assert (message.status, message.attempts, message.kind, message.to) == (
        OutboxMessage.Status.SENT,
        1,
        "cfp.receipt",
        ["adam@imperial.ac.uk"],
    )
    assert message.sent_at is not None
    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_subject_carries_the_event_name(event):
    event.short_title = "MathML 2020"
    event.save()

    _queue(event=event)

    assert mail.outbox[0].subject == "[MathML 2020] Receipt"


def test_subject_uses_the_title_without_a_short_title_and_reply_to_the_contact(event):
    _queue(event=event)

    assert mail.outbox[0].subject == "[Mathematics of Machine Learning 2020] Receipt"
    assert mail.outbox[0].reply_to == ["MathML2020@bath.ac.uk"]


def test_mail_without_event_carries_the_site_name(db, settings):
    settings.SITE_NAME = "Conferences of Bath"

    _queue()

    assert mail.outbox[0].subject == "[Conferences of Bath] Receipt"


def test_every_mail_has_a_plain_text_part(db):
    _queue(body_text="Plain words.", body_html="<p>Rich words.</p>")

    sent = mail.outbox[0]
    message = sent.message()
    assert sent.body == "Plain words."
    assert sent.alternatives[0][1] == "text/html"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_payload(0).get_content_type() == "text/plain"


@pytest.mark.parametrize("body", ["", "   \n"])
def test_mail_without_plain_text_is_refused(db, body):
    with pytest.raises(ValueError):
        _queue(body_text=body, body_html="<p>Only HTML</p>")

    assert OutboxMessage.objects.count() == 0


def test_no_header_injection_through_the_subject(event):
    _queue(subject="Hello\r\nBcc: victim@example.org\nX-Evil: 1", event=event)

    sent = mail.outbox[0]
    raw = sent.message().as_string()
    assert (
        sent.subject
        == "[Mathematics of Machine Learning 2020] Hello Bcc: victim@example.org X-Evil: 1"
    )
    assert sent.bcc == []
    assert "\nBcc:" not in raw
    assert "\nX-Evil:" not in raw


@pytest.mark.parametrize(
    "to",
    [
        "adam@imperial.ac.uk\nBcc: victim@example.org",
        ["adam@imperial.ac.uk", "not an address"],
    ],
)
def test_bad_recipient_is_kept_as_given_up_and_never_sent(db, to):
    message = _queue(to=to)

    message.refresh_from_db()
    assert mail.outbox == []
    assert message.status == OutboxMessage.Status.GAVE_UP
    assert message.last_error.startswith("Not a valid email address")
    assert all("\n" not in address for address in message.to)


@pytest.mark.parametrize(
    "field",
    [{"to": []}, {"reply_to": "x@example.org\r\nBcc: victim@example.org"}],
)
def test_no_recipient_or_injected_reply_to_is_refused(db, field):
    with pytest.raises(ValueError):
        _queue(**field)

    assert mail.outbox == []


def test_internationalised_address_is_delivered(db):
    _queue(to="zoë@example.org")

    assert mail.outbox[0].to == ["zoë@example.org"]


def test_failure_is_stored_and_retried_with_back_off(db, settings):
    settings.EMAIL_BACKEND = BROKEN
    with time_machine.travel(T0, tick=False):
        message = _queue()

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 1)
    assert message.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert message.next_attempt_at == T0 + dt.timedelta(minutes=1)

    with time_machine.travel(T0 + dt.timedelta(seconds=59), tick=False):
        assert send_due() == 0
    message.refresh_from_db()
    assert message.attempts == 1  # not due yet

    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        send_due()
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (
        2,
        T0 + dt.timedelta(minutes=1) + dt.timedelta(minutes=2),
    )


def test_gives_up_after_max_attempts_and_an_organisers_retry_sends_it(db, settings):
    settings.EMAIL_BACKEND = BROKEN
    message = _queue()
    for _ in range(MAX_ATTEMPTS - 1):
        message.refresh_from_db()
        with time_machine.travel(message.next_attempt_at, tick=False):
            send_due()
    message.refresh_from_db()

    assert (message.status, message.attempts, message.next_attempt_at) == (
        OutboxMessage.Status.GAVE_UP,
        MAX_ATTEMPTS,
        None,
    )
    assert send_due(dt.datetime(2100, 1, 1, tzinfo=dt.UTC)) == 0

    settings.EMAIL_BACKEND = LOCMEM
    assert retry_message(message) is True

    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_nothing_is_lost_while_the_mail_server_is_down(db, settings):
    settings.EMAIL_BACKEND = BROKEN
    with time_machine.travel(T0, tick=False):
        for number in range(3):
            _queue(subject=f"Message {number}")
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count() == 3

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        sent = send_due()

    assert sent == 3
    assert sorted(m.subject for m in mail.outbox) == [
        "[Symposia] Message 0",
        "[Symposia] Message 1",
        "[Symposia] Message 2",
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_message_held_by_another_sender_is_not_sent_twice(db):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING, next_attempt_at=T0 + LEASE, attempts=1
    )
    mail.outbox.clear()

    with time_machine.travel(T0, tick=False):
        assert send_outbox_message(message) is False
    assert mail.outbox == []

    with time_machine.travel(T0 + LEASE, tick=False):
        assert send_due() == 1  # the holder died: after the lease, the sweep takes it over
    assert len(mail.outbox) == 1


def test_a_sent_message_is_not_sent_again(db):
    message = _queue()

    assert send_outbox_message(message) is True
    assert retry_message(message) is False
    assert len(mail.outbox) == 1


def test_render_mail_takes_the_subject_from_the_first_line(db, tmp_path, settings):
    templates = tmp_path / "templates"
    (templates / "mail").mkdir(parents=True)
    (templates / "mail" / "probe.txt").write_text(
        "Your paper “{{ title }}”\n\nDear {{ name }},\n\n\n\nQ&A: {{ title }} <b>\n"
    )
    (templates / "mail" / "probe.html").write_text("<p>{{ title }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    subject, text, html = render_mail("probe", {"title": "A & B <i>", "name": "Ada"})

    assert subject == "Your paper “A & B <i>”"
    assert text == "Dear Ada,\n\nQ&A: A & B <i> <b>\n"  # plain text is not HTML-escaped
    assert html == "<p>A &amp; B &lt;i&gt;</p>"


def test_queue_templated_mail_renders_and_queues(db):
    queue_templated_mail(
        "accounts/password_changed",
        {"user": type("U", (), {"email": "adam@imperial.ac.uk"})(), "reset_url": "https://x/"},
        to="adam@imperial.ac.uk",
    )

    message = OutboxMessage.objects.get()
    assert message.kind == "accounts.password_changed"
    assert message.subject == "[Symposia] Your password has changed"
    assert message.body_text.startswith("Hello,\n\nthe password of your account")


@pytest.mark.django_db(transaction=True)
def test_worker_sends_mail_queued_while_it_was_down(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = Event.objects.create(slug="w", title="Workshop")
    queue_mail(to="adam@imperial.ac.uk", subject="One", body_text="1", event=event)
    queue_mail(to="rita@ox.ac.uk", subject="Two", body_text="2", event=event)
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"queued"}

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    assert sorted(m.subject for m in mail.outbox) == ["[Workshop] One", "[Workshop] Two"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_worker_retries_a_failed_message_through_a_deferred_task(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = BROKEN
    message = queue_mail(to="adam@imperial.ac.uk", subject="One", body_text="1")
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    retry_task = DBTaskResult.objects.get(status="READY")
    assert retry_task.run_after == message.next_attempt_at

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel(message.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_rolled_back_mail_is_never_sent(db, settings):
    from django.db import transaction

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(to="adam@imperial.ac.uk", subject="One", body_text="1")
        raise RuntimeError("the surrounding change failed")

    from django_tasks_db.models import DBTaskResult

    assert OutboxMessage.objects.count() == DBTaskResult.objects.count() == 0
