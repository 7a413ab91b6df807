"""The mail outbox: every email is stored first, then sent by a background task.

`queue_mail` writes an OutboxMessage and schedules the django-tasks task `deliver`. With the
database task backend the task row is written in the same transaction as the message, so the
two are committed (or rolled back) together; with the immediate backend (tests,
TASKS_IMMEDIATE=true) the mail is sent at once. `symposia worker` runs the task queue and
sweeps the table for anything due (`send_due`), so mail queued while no worker runs is sent
when one starts.

A failed attempt is stored on the message (`last_error`) and retried with exponential
back-off; after MAX_ATTEMPTS the message is marked "gave up" and waits for an organiser's
retry (`retry_message`). Each mail has a plain-text part and a subject that starts with the
event's name (or SITE_NAME for mail about the account itself).

Templates: `render_mail("accounts/verify", context)` renders `templates/mail/accounts/verify.txt`
(first line: the subject; the body follows) and, when it exists, `.../verify.html`.
`queue_templated_mail` does both steps.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long a sender may hold a message before another may take it over.
LEASE = dt.timedelta(minutes=10)
SWEEP_BATCH = 200
_RETRYABLE = (OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED)


def _single_line(value: object) -> str:
    # A header value never spans lines: CR, LF and other whitespace runs become one space.
    return " ".join(str(value).split())


def _checked_address(value: str) -> str:
    """`value` stripped, if it is one address ("a@b.org" or "Name <a@b.org>"); else ValueError.

    Internationalised local parts ("zoë@example.org", RFC 6531) are accepted; the domain must
    pass Django's EmailValidator. CR, LF and NUL are refused so no header can be injected.
    """
    value = str(value).strip()
    if not value or any(char in value for char in "\r\n\0"):
        raise ValueError(f"not a single email address: {value!r}")
    _name, address = parseaddr(value)
    local, _, domain = address.rpartition("@")
    if not local or any(char.isspace() or char in '<>(),;:"' for char in local):
        raise ValueError(f"not a valid email address: {value!r}")
    try:
        validate_email(address if local.isascii() else f"x@{domain}")
    except ValidationError:
        raise ValueError(f"not a valid email address: {value!r}") from None
    return value


def subject_prefix(event=None) -> str:
    """`[Event short title]`, or `[SITE_NAME]` for mail that belongs to no event."""
    name = (event.short_title or event.title) if event is not None else settings.SITE_NAME
    return f"[{_single_line(name)}]"


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
    """Store one email in the outbox and schedule its delivery.

    `to` is one address or a list (each "a@b.org" or "Name <a@b.org>"); `subject` is made one
    line and prefixed with `subject_prefix(event)`; `reply_to` defaults to the event's contact
    address. A malformed recipient does not raise: the message is stored as given up with the
    reason, for organisers to see. Raises ValueError for an empty plain-text body or no recipient
    (programming errors). Returns the saved message (status queued).
    Side effects: one OutboxMessage row and one `deliver` task (see the module docstring).
    """
    recipients, undeliverable = [], []
    for address in [to] if isinstance(to, str) else to:
        try:
            recipients.append(_checked_address(address))
        except ValueError:
            undeliverable.append(_single_line(address)[:254])
    if not recipients and not undeliverable:
        raise ValueError("a mail needs at least one recipient")
    if not body_text.strip():
        raise ValueError("every mail needs a plain-text body")
    if not reply_to and event is not None and event.contact_email:
        reply_to = event.contact_email
    if reply_to:
        reply_to = _checked_address(reply_to)
    message = OutboxMessage.objects.create(
        event=event,
        to=recipients,
        subject=f"{subject_prefix(event)} {_single_line(subject)}"[:300],
        body_text=body_text,
        body_html=body_html,
        kind=kind[:60],
        reply_to=reply_to,
        next_attempt_at=timezone.now(),
    )
    if undeliverable:
        # Kept, not raised: whatever triggered the mail was already acknowledged to someone.
        # Organisers see it in the outbox with the reason.
        message.to = recipients + undeliverable
        message.status = OutboxMessage.Status.GAVE_UP
        message.next_attempt_at = None
        message.last_error = "Not a valid email address: " + ", ".join(undeliverable)
        message.save(update_fields=["to", "status", "next_attempt_at", "last_error"])
        return message
    _schedule(message.pk)
    return message


def _schedule(message_id: int, run_after: dt.datetime | None = None) -> None:
    """Enqueue `deliver` for a message, now or at `run_after` where the backend can defer."""
    backend = deliver.get_backend()
    if run_after is not None and not backend.supports_defer:
        return  # the worker's sweep (`send_due`) picks the message up when it is due
    job = deliver.using(run_after=run_after) if run_after is not None else deliver
    if isinstance(backend, ImmediateBackend) or _is_database_backend(backend):
        # Database backend: the task row joins the current transaction, like the message row.
        job.enqueue(message_id)
        return

    def enqueue_after_commit() -> None:
        try:
            job.enqueue(message_id)
        except Exception:
            logger.exception(
                "Could not enqueue outbox message %s; the sweep will send it", message_id
            )

    transaction.on_commit(enqueue_after_commit)


def _is_database_backend(backend) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def backoff(attempts: int) -> dt.timedelta:
    """Delay before retry number `attempts` (1-based): 1, 2, 4, ... minutes, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=_single_line(message.subject),
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[_checked_address(address) for address in message.to],
        reply_to=[_checked_address(message.reply_to)] if message.reply_to else None,
        # RFC 3834: marks the mail as automatic, so that responders do not answer it.
        headers={"Auto-Submitted": "auto-generated"},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for one attempt if it is due and nobody holds it (one UPDATE)."""
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True)
    held_too_long = Q(status=OutboxMessage.Status.SENDING, next_attempt_at__lte=now)
    claimed = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter((Q(status__in=_RETRYABLE) & due) | held_too_long)
        .update(
            status=OutboxMessage.Status.SENDING,
            next_attempt_at=now + LEASE,
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def send_outbox_message(message: OutboxMessage) -> bool:
    """Make one attempt to send a stored message, if it is due and no other sender holds it.

    Returns True when the message is (now or already) sent. Never raises for a transport or
    address error: the error is stored in `last_error`, the status becomes "failed" with
    `next_attempt_at` set by `backoff` (and a deferred `deliver` task where the backend supports
    it), or "gave up" after MAX_ATTEMPTS. `message` is refreshed from the database.
    """
    now = timezone.now()
    if not _claim(message.pk, now):
        message.refresh_from_db()
        return message.status == OutboxMessage.Status.SENT
    message.refresh_from_db()
    try:
        _build_email(message).send()
    except Exception as exc:  # any error of the transport or the stored data: keep, retry later
        logger.warning("Sending outbox message %s failed: %s", message.pk, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxMessage.Status.GAVE_UP
            message.next_attempt_at = None
        else:
            message.status = OutboxMessage.Status.FAILED
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
        message.save(update_fields=["last_error", "status", "next_attempt_at"])
        if message.status == OutboxMessage.Status.FAILED:
            _schedule(message.pk, run_after=message.next_attempt_at)
        return False
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.next_attempt_at = None
    message.save(update_fields=["last_error", "status", "sent_at", "next_attempt_at"])
    return True


@task()
def deliver(message_id: int) -> bool:
    """Background task: one attempt at the outbox message with this id (no-op unless due)."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return False
    return send_outbox_message(message)


def send_due(now: dt.datetime | None = None, *, limit: int = SWEEP_BATCH) -> int:
    """One attempt at each message that is due (at most `limit`, oldest first); returns how many
    were sent. Due: queued or failed with `next_attempt_at` passed, or held past its lease."""
    now = now or timezone.now()
    due_ids = list(
        OutboxMessage.objects.filter(
            status__in=[*_RETRYABLE, OutboxMessage.Status.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=due_ids).order_by("next_attempt_at", "pk"):
        sent += send_outbox_message(message)
    return sent


def retry_message(message: OutboxMessage) -> bool:
    """Ask for a new attempt now (an organiser's "retry"); returns False if it cannot be retried.

    A message that gave up gets one more attempt (a new failure gives up again). Side effects:
    status "queued", `next_attempt_at` now, and a `deliver` task (sent at once in tests).
    """
    updated = OutboxMessage.objects.filter(
        pk=message.pk,
        status__in=[*_RETRYABLE, OutboxMessage.Status.GAVE_UP],
    ).update(status=OutboxMessage.Status.QUEUED, next_attempt_at=timezone.now())
    if updated:
        _schedule(message.pk)
    message.refresh_from_db()
    return bool(updated)


_BLANK_LINES = re.compile(r"\n{3,}")


def render_mail(template_name: str, context: dict) -> tuple[str, str, str]:
    """Render `mail/<template_name>.txt` (and `.html` if present) to (subject, text, html).

    The first line of the text template is the subject; the body follows. The text is
    rendered without HTML escaping (it is plain text) and runs of blank lines are folded; the
    HTML part, if any, is escaped as usual. `site_name` and `site_url` are added to the context.
    Raises TemplateDoesNotExist when the text template is missing.
    """
    full_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    text_template = get_template(f"mail/{template_name}.txt").template
    rendered = text_template.render(Context(full_context, autoescape=False))
    subject, _newline, body = rendered.strip().partition("\n")
    body = "\n".join(line.rstrip() for line in body.strip("\n").splitlines())
    body = _BLANK_LINES.sub("\n\n", body).strip() + "\n"
    try:
        html = get_template(f"mail/{template_name}.html").render(full_context)
    except TemplateDoesNotExist:
        html = ""
    return _single_line(subject), body, html


def queue_templated_mail(
    template_name: str,
    context: dict,
    *,
    to: list[str] | str,
    event=None,
    kind: str = "",
    reply_to: str = "",
) -> OutboxMessage:
    """`render_mail` then `queue_mail`; `event` is added to the context; `kind` defaults to the
    template name. Side effects as `queue_mail`."""
    subject, text, html = render_mail(template_name, {"event": event, **context})
    return queue_mail(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        event=event,
        kind=kind or template_name.replace("/", "."),
        reply_to=reply_to,
    )


def retry_failed(event) -> int:
    """`retry_message` for each failed or given-up message of `event`; returns how many."""
    failed = OutboxMessage.objects.filter(
        event=event, status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.GAVE_UP]
    )
    return sum(retry_message(message) for message in failed)
