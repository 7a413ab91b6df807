"""The mail outbox: every email is stored first, then sent by a background task.

`queue_mail` writes an OutboxMessage and enqueues `deliver` (django-tasks) once the surrounding
transaction commits; `symposia worker` runs the queue. Each mail has a plain-text part and a
subject prefixed with the event's name.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage

MAX_ATTEMPTS = 8


def _clean_header(value: str) -> str:
    # Header injection: a subject never spans lines.
    return " ".join(str(value).split())


def queue_mail(
    *,
    to: list[str] | str,
    subject: str,
    body_text: str,
    body_html: str = "",
    event=None,
    kind: str = "",
    reply_to: str = "",
) -> OutboxMessage:
    """Store one email in the outbox and schedule its delivery after commit.

    `to` is one address or a list; the subject gets the event's title as prefix when `event` is
    given. Returns the saved OutboxMessage (status queued). Side effects: one row, one task.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject = _clean_header(subject)
    if event is not None:
        subject = f"[{_clean_header(event.short_title or event.title)}] {subject}"
    message = OutboxMessage.objects.create(
        event=event,
        to=recipients,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        reply_to=_clean_header(reply_to),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: deliver.enqueue(message.pk))
    return message


def backoff(attempts: int) -> dt.timedelta:
    """Delay before retry number `attempts` (1-based): 1, 2, 4, ... minutes, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def send_outbox_message(message: OutboxMessage) -> bool:
    """Send one stored message now; record success or the error and the next retry time.

    Returns True when sent. Never raises on SMTP errors: they are stored on the message.
    """
    if message.status == OutboxMessage.Status.SENT:
        return True
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    message.attempts += 1
    try:
        email.send()
    except Exception as exc:  # any transport error: keep the message, retry later
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxMessage.Status.GAVE_UP
            message.next_attempt_at = None
        else:
            message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.next_attempt_at = None
    message.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])
    return True


@task()
def deliver(message_id: int) -> bool:
    """Background task: send the outbox message with this id (no-op if already sent)."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return False
    return send_outbox_message(message)


def send_due(now: dt.datetime | None = None) -> int:
    """Send every queued or failed message whose retry time has come; returns how many sent."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED],
        next_attempt_at__lte=now,
    )
    return sum(send_outbox_message(message) for message in due)
