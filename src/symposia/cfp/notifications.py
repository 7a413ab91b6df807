"""Notifying authors of decisions with templates the organisers edit.

A `NotificationTemplate` per event and kind (accept_poster, accept_talk, reject, waitlist,
custom) holds a subject and a body in the sandboxed template language of
common.mail_templates; the defaults come from templates/mail/decision_<kind>.txt (first line:
the subject). The context holds only the documented `VARIABLES`, as plain strings, lists and
mappings, never model instances.

Other apps add variables through `register_extra_context` (the reviews app, for instance,
provides `reviews`: the texts of the reviews the organisers released to the authors). Until
one does, `reviews` is an empty list.

`send_notifications` queues one mail per recipient through the outbox, marks the decisions as
notified, and keeps a `NotificationBatch` with the report; its idempotency key makes a
replayed form (double click) find the first batch instead of sending again.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import get_template as get_django_template
from django.urls import reverse
from django.utils import timezone

from symposia.accounts.models import User
from symposia.common import mail_templates as sandbox
from symposia.common.mail import queue_mail, subject_prefix
from symposia.common.mail_templates import MailTemplateError, TemplateVariable

from .decisions import participation_url
from .domain import CfpError, _site_url
from .enums import (
    ACCEPTED_STATES,
    DECISION_FOR_KIND,
    Audience,
    NotificationKind,
    SubmissionState,
)
from .models import (
    Notification,
    NotificationBatch,
    NotificationTemplate,
    Submission,
    SubmissionAuthor,
)

VARIABLES = [
    TemplateVariable("event.title", "The event's title.", "Mathematics of Machine Learning 2020"),
    TemplateVariable("event.short_title", "The event's short title.", "MathML 2020"),
    TemplateVariable("event.url", "The address of the event's web site.", "https://example.org/"),
    TemplateVariable("event.venue", "Where the event takes place.", "University of Bath"),
    TemplateVariable("event.dates", "The event's dates in words.", "1–3 September 2020"),
    TemplateVariable(
        "event.contact_email", "The organisers' contact address.", "mathml@example.org"
    ),
    TemplateVariable(
        "submission.title", "The title, as typed (maths in LaTeX).", "Gradient flows in $W_2$"
    ),
    TemplateVariable("submission.code", "The submission's code.", "K7QX2MPA"),
    TemplateVariable(
        "submission.url",
        "The submission's page, where its authors read the decision once notified.",
        "https://example.org/mathml2020/cfp/submissions/K7QX2MPA/",
    ),
    TemplateVariable("submission.type", "The contribution type chosen.", "Poster"),
    TemplateVariable("submission.track", "The track chosen (may be empty).", "Optimisation"),
    TemplateVariable(
        "submission.authors",
        "The authors' names, a list ({{ submission.authors }} separates them by commas).",
        ["Ada Lovelace", "Alan Turing"],
    ),
    TemplateVariable("author.name", "The recipient's name.", "Ada Lovelace"),
    TemplateVariable("author.email", "The recipient's address.", "ada@example.org"),
    TemplateVariable(
        "author.is_presenting", "True when the recipient is the presenting author.", True
    ),
    TemplateVariable("presenting_author.name", "The presenting author's name.", "Ada Lovelace"),
    TemplateVariable(
        "decision",
        "The decision in words (in a custom message: what the authors were last told, or "
        "“Under review”).",
        "Accepted as poster",
    ),
    TemplateVariable("accepted", "True for an acceptance (poster or talk).", True),
    TemplateVariable(
        "confirm_url",
        "For an accepted contribution: the presenting author's personal link to confirm or "
        "decline participation (the submitting account gets the page's address); empty for "
        "the other authors, so wrap it in {% if confirm_url %}…{% endif %}.",
        "https://example.org/mathml2020/cfp/submissions/K7QX2MPA/confirm/?token=…",
    ),
    TemplateVariable(
        "reviews",
        "The reviews released to the authors, a list of texts; empty unless the organisers "
        "release reviews. Loop over it with {% for review in reviews %}…{% endfor %}.",
        ["The poster is clearly motivated.", "Please compare with the earlier estimate."],
    ),
]

ExtraContext = Callable[[Submission], Mapping[str, object]]
_extra_context: list[tuple[ExtraContext, list[TemplateVariable]]] = []


def register_extra_context(
    provider: ExtraContext, *, variables: Iterable[TemplateVariable] = ()
) -> ExtraContext:
    """Let another app add variables to notification templates (call it from AppConfig.ready).

    `provider(submission)` returns a mapping of plain data (see common.mail_templates.
    plain_data) merged into the context of each mail of that submission; `variables` documents
    the names it adds (they are listed on the template editor). The reviews app provides
    `reviews` here, only when the organisers have released them. Returns `provider`.
    """
    _extra_context.append((provider, list(variables)))
    return provider


def documented_variables() -> list[TemplateVariable]:
    """Every variable a notification template may use, the registered ones included."""
    extra = [v for _, variables in _extra_context for v in variables]
    known = {v.name for v in VARIABLES}
    return VARIABLES + [v for v in extra if v.name not in known]


def extra_context(submission: Submission) -> dict[str, object]:
    """The variables the registered providers add for `submission`."""
    data: dict[str, object] = {}
    for provider, _variables in _extra_context:
        data.update(provider(submission))
    return data


class NotificationError(CfpError):
    """Sending refused as a whole (bad template, foreign form token); nothing was sent."""


# --- Templates --------------------------------------------------------------------------------


def default_text(kind: str) -> tuple[str, str]:
    """(subject, body) of the default template of `kind`, from mail/decision_<kind>.txt."""
    source = get_django_template(f"mail/decision_{kind}.txt").template.source
    subject, _newline, body = source.strip().partition("\n")
    return subject.strip(), body.strip("\n") + "\n"


def get_template(event, kind: str) -> NotificationTemplate:
    """The event's template of `kind`, created from the default text on first use."""
    kind = NotificationKind(kind)
    template = NotificationTemplate.objects.filter(event=event, kind=kind).first()
    if template is not None:
        return template
    subject, body = default_text(kind)
    try:
        with transaction.atomic():
            return NotificationTemplate.objects.create(
                event=event, kind=kind, subject=subject, body=body
            )
    except IntegrityError:  # created by a concurrent request
        return NotificationTemplate.objects.get(event=event, kind=kind)


def check_text(subject: str, body: str) -> None:
    """Render both parts against the documented examples; raises MailTemplateError."""
    sandbox.render_mail(subject, body, sandbox.sample_data(documented_variables()))


# --- Recipients and context -------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """One address a notification goes to."""

    name: str
    email: str
    author: SubmissionAuthor | None
    is_owner: bool

    @property
    def is_presenting(self) -> bool:
        return self.author is not None and self.author.is_presenting


def recipients(submission: Submission, audience: str) -> list[Recipient]:
    """Who receives the notification: the presenting author (or every author, with
    Audience.ALL), then the submitting account if not already listed; one entry per address.
    Uses `submission.authors.all()` (prefetch it) and `submission.owner`."""
    authors = list(submission.authors.all())
    chosen = authors if audience == Audience.ALL else [a for a in authors if a.is_presenting]
    owner_email = submission.owner.email.lower()
    result: list[Recipient] = []
    seen: set[str] = set()
    for author in sorted(chosen, key=lambda a: (not a.is_presenting, a.position, a.pk)):
        if author.email.lower() in seen:
            continue
        seen.add(author.email.lower())
        result.append(
            Recipient(author.name, author.email, author, author.email.lower() == owner_email)
        )
    if owner_email not in seen:
        match = next((a for a in authors if a.email.lower() == owner_email), None)
        result.append(Recipient(submission.owner.display_name, submission.owner.email, match, True))
    return result


def _event_dates(event) -> str:
    start, end = event.start_date, event.end_date
    if not start:
        return ""
    if not end or end == start:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def _confirm_url(submission: Submission, recipient: Recipient, *, state: str) -> str:
    if state not in ACCEPTED_STATES:
        return ""
    if recipient.is_presenting:
        return participation_url(recipient.author, submission)
    if recipient.is_owner:
        return _site_url(
            reverse("cfp:confirm", kwargs={"event": submission.event.slug, "code": submission.code})
        )
    return ""


def context_for(
    submission: Submission,
    recipient: Recipient,
    *,
    kind: str,
    extra: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The template context of one mail: the documented variables as plain data only.

    For a decision kind, `decision` is the decision announced; for the custom message it is
    what the authors may already see (cfp.models.Submission.author_state), so a custom
    message never reveals a decision by accident. `extra` (default: the registered providers'
    variables) is merged last.
    """
    event = submission.event
    authors = list(submission.authors.all())
    presenting = next((a for a in authors if a.is_presenting), None)
    state = DECISION_FOR_KIND.get(kind) or submission.author_state
    if state == SubmissionState.SUBMITTED:
        decision = "Under review"
    else:
        decision = SubmissionState(state).label
    data: dict[str, object] = {
        "event": {
            "title": event.title,
            "short_title": event.short_title or event.title,
            "url": _site_url(event.get_absolute_url()),
            "venue": event.venue,
            "dates": _event_dates(event),
            "contact_email": event.contact_email,
        },
        "submission": {
            "title": submission.title,
            "code": submission.code,
            "url": _site_url(submission.get_absolute_url()),
            "type": submission.contribution_type.name if submission.contribution_type else "",
            "track": submission.track.name if submission.track else "",
            "authors": [a.name for a in authors],
        },
        "author": {
            "name": recipient.name,
            "email": recipient.email,
            "is_presenting": recipient.is_presenting,
        },
        "presenting_author": {"name": presenting.name if presenting else ""},
        "decision": decision,
        "accepted": state in ACCEPTED_STATES,
        "confirm_url": _confirm_url(submission, recipient, state=state),
        "reviews": [],
    }
    data.update(extra_context(submission) if extra is None else extra)
    return data


@dataclass(frozen=True)
class OutgoingMail:
    """One mail as it will be queued: `subject` without the event prefix queue_mail adds."""

    submission: Submission
    recipient: Recipient
    subject: str
    body: str

    @property
    def subject_as_sent(self) -> str:
        return f"{subject_prefix(self.submission.event)} {self.subject}"


def render_for(
    submission: Submission, recipient: Recipient, *, kind: str, subject: str, body: str
) -> OutgoingMail:
    """Render the template text for one recipient; raises MailTemplateError."""
    data = context_for(submission, recipient, kind=kind)
    rendered = sandbox.render_mail(subject, body, data)
    return OutgoingMail(submission, recipient, rendered.subject, rendered.body)


# --- Which submissions ------------------------------------------------------------------------


def with_authors(queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """`queryset` with its event, owner, type, track and ordered authors in a fixed number of
    queries. Earlier prefetches are dropped: a second `authors` prefetch with another queryset
    (as the submissions list's filters add) makes Django raise ValueError."""
    return (
        queryset.prefetch_related(None)
        .select_related("event", "owner", "contribution_type", "track")
        .prefetch_related(
            Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("position", "pk"))
        )
    )


def candidates(event, kind: str) -> QuerySet[Submission]:
    """Submissions a template of `kind` may be sent for: those with its decision, or (custom
    message) every submitted or decided one."""
    qs = Submission.objects.filter(event=event)
    if kind in DECISION_FOR_KIND:
        return qs.filter(state=DECISION_FOR_KIND[kind])
    return qs.exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])


def already_notified(submission: Submission, kind: str) -> bool:
    """Whether the authors were already told the decision a template of `kind` announces."""
    return kind in DECISION_FOR_KIND and submission.notified_decision == DECISION_FOR_KIND[kind]


def _skip_reason(submission: Submission, kind: str, *, resend: bool) -> str | None:
    if submission.state in (SubmissionState.DRAFT, SubmissionState.WITHDRAWN):
        return f"it is {submission.get_state_display().lower()}"
    wanted = DECISION_FOR_KIND.get(kind)
    if wanted is not None and submission.state != wanted:
        return (
            f"its decision is “{submission.get_state_display()}”, "
            f"not “{SubmissionState(wanted).label}”"
        )
    if not resend and already_notified(submission, kind):
        when = submission.decision_notified_at
        stamp = f" on {when.astimezone(submission.event.tzinfo):%Y-%m-%d %H:%M}" if when else ""
        return f"its authors were already notified{stamp}"
    return None


# --- Sending ----------------------------------------------------------------------------------


def send_notifications(
    event,
    *,
    kind: str,
    submissions: Iterable[Submission],
    audience: str,
    by: User,
    idempotency_key: uuid.UUID,
    resend: bool = False,
    now: dt.datetime | None = None,
) -> NotificationBatch:
    """Mail the event's template of `kind` to the authors of `submissions` (of `event`).

    Each recipient (see `recipients`) gets their own mail through the outbox. Skipped, with
    the reason in the report: drafts and withdrawn submissions, submissions whose decision is
    not the one the template announces, and (unless `resend`) those already notified of it.
    For a decision kind the submissions mailed get `notified_decision` and
    `decision_notified_at`; the custom message changes no submission.

    Every mail is rendered before any is queued: a template error raises NotificationError and
    nothing is sent. A second call with the same `idempotency_key` returns the first batch and
    sends nothing. Side effects: one NotificationBatch, a Notification per submission mailed,
    one OutboxMessage per mail, the submissions' notification fields, all in one transaction.
    """
    kind = NotificationKind(kind)
    audience = Audience(audience)
    now = now or timezone.now()
    ids = [s.pk for s in submissions]
    with transaction.atomic():
        replay = NotificationBatch.objects.filter(idempotency_key=idempotency_key).first()
        if replay is not None:
            if replay.event_id != event.pk:
                raise NotificationError("This form was already used for another event.")
            return replay
        template = get_template(event, kind)
        rows = list(
            with_authors(
                Submission.objects.filter(event=event, pk__in=ids)
                .order_by("code")
                .select_for_update(of=("self",))
            )
        )
        outgoing: list[tuple[Submission, list[OutgoingMail]]] = []
        skipped: list[dict] = []
        for submission in rows:
            reason = _skip_reason(submission, kind, resend=resend)
            if reason is not None:
                skipped.append(
                    {"code": submission.code, "title": submission.title, "reason": reason}
                )
                continue
            try:
                mails = [
                    render_for(
                        submission,
                        recipient,
                        kind=kind,
                        subject=template.subject,
                        body=template.body,
                    )
                    for recipient in recipients(submission, audience)
                ]
            except MailTemplateError as exc:
                raise NotificationError(
                    f"The template cannot be used for {submission.code}: {exc}"
                ) from None
            outgoing.append((submission, mails))
        try:
            with transaction.atomic():
                batch = NotificationBatch.objects.create(
                    event=event,
                    kind=kind,
                    audience=audience,
                    subject=template.subject,
                    body=template.body,
                    idempotency_key=idempotency_key,
                    created=now,
                    by=by,
                )
        except IntegrityError:  # the same form, sent twice at once: the first one wins
            return NotificationBatch.objects.get(idempotency_key=idempotency_key)
        sent: list[dict] = []
        count = 0
        for submission, mails in outgoing:
            addresses = []
            for mail in mails:
                try:
                    queue_mail(
                        to=mail.recipient.email,
                        subject=mail.subject,
                        body_text=mail.body,
                        event=event,
                        kind=f"cfp.notify.{kind}",
                    )
                except ValueError:
                    skipped.append(
                        {
                            "code": submission.code,
                            "title": submission.title,
                            "reason": f"the address {mail.recipient.email!r} is not valid",
                        }
                    )
                    continue
                addresses.append(mail.recipient.email)
            if not addresses:
                continue
            count += len(addresses)
            sent.append({"code": submission.code, "title": submission.title, "to": addresses})
            Notification.objects.create(
                batch=batch,
                submission=submission,
                state=submission.state,
                recipients=addresses,
                created=now,
            )
            if kind in DECISION_FOR_KIND:
                Submission.objects.filter(pk=submission.pk).update(
                    notified_decision=submission.state, decision_notified_at=now
                )
        missing = sorted(set(ids) - {s.pk for s in rows})
        if missing:
            skipped.append(
                {"code": "", "title": "", "reason": f"{len(missing)} not found in this event"}
            )
        batch.mail_count = count
        batch.report = {"sent": sent, "skipped": skipped}
        batch.save(update_fields=["mail_count", "report"])
    return batch
