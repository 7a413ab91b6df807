"""Every state change of the call for contributions, one function per transition.

Views call these functions and never set `Submission.state` themselves. Each function runs in a
transaction; mails go through the outbox (`common.mail.queue_mail`) and are sent after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from symposia.accounts.models import User
from symposia.common.mail import queue_mail

from . import deadlines
from .enums import DECISION_STATES, SubmissionState
from .models import (
    Answer,
    Call,
    ContributionType,
    Extension,
    Question,
    Submission,
    SubmissionAuthor,
    SubmissionFile,
    SubmissionVersion,
    Track,
)
from .pdf import PdfInfo, display_name

EXTENSION_SALT = "symposia.cfp.extension"


class CfpError(Exception):
    """A rule of the call refuses the action; the message is shown to the user."""


class DeadlineError(CfpError):
    pass


class StateError(CfpError):
    pass


@dataclass
class AuthorData:
    name: str
    email: str
    affiliation: str = ""
    country: str = ""
    is_presenting: bool = False


@dataclass
class SubmissionContent:
    """The editable fields of a submission, as cleaned by the submission form."""

    title: str = ""
    abstract: str = ""
    keywords: str = ""
    contribution_type: ContributionType | None = None
    track: Track | None = None
    authors: list[AuthorData] = field(default_factory=list)
    answers: dict[int, object] = field(default_factory=dict)  # question id -> value


# --- Deadlines --------------------------------------------------------------------------------


def get_call(event) -> Call | None:
    """The event's call, or None when the organisers have not set one up."""
    return Call.objects.filter(event=event).select_related("event").first()


def _extension_for(call: Call, *, user, submission: Submission | None) -> Extension | None:
    if user is None or not user.is_authenticated:
        return None
    candidates = Extension.objects.filter(event=call.event, user=user, revoked=False)
    best = None
    for extension in candidates:
        if extension.submission_id and (
            submission is None or extension.submission_id != submission.pk
        ):
            continue
        if best is None or extension.until > best.until:
            best = extension
    return best


def deadline_for(
    call: Call,
    *,
    contribution_type: ContributionType | None = None,
    user=None,
    submission: Submission | None = None,
) -> dt.datetime | None:
    """The last accepted second for this author, type and submission (grace not included).

    The type's own deadline replaces the call's; without a type the latest deadline of any
    active type counts (a draft may still become any of them). A claimed extension later than
    that wins.
    """
    if contribution_type is not None and contribution_type.closes_at:
        base = contribution_type.closes_at
    elif contribution_type is not None:
        base = call.closes_at
    else:
        own = [
            t.closes_at
            for t in ContributionType.objects.filter(event=call.event, is_active=True)
            if t.closes_at
        ]
        base = max([d for d in [call.closes_at, *own] if d is not None], default=None)
    extension = _extension_for(call, user=user, submission=submission)
    if extension is not None and (base is None or extension.until > base):
        base = extension.until
    return base


def check_open(
    call: Call | None,
    *,
    contribution_type: ContributionType | None = None,
    user=None,
    submission: Submission | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Raise DeadlineError unless the call accepts this author's change now (to the second)."""
    now = now or timezone.now()
    if call is None or call.opens_at is None or call.closes_at is None:
        raise DeadlineError("This event has no open call for contributions.")
    if now < call.opens_at:
        raise DeadlineError(f"The call opens on {call.format(call.opens_at)}.")
    closes = deadline_for(
        call, contribution_type=contribution_type, user=user, submission=submission
    )
    if not deadlines.is_open(now, opens_at=call.opens_at, closes_at=closes, grace=call.grace):
        raise DeadlineError(f"The deadline ({call.format(closes)}) has passed.")


# --- Drafts and files -------------------------------------------------------------------------


def _apply_content(submission: Submission, content: SubmissionContent) -> None:
    submission.title = content.title
    submission.abstract = content.abstract
    submission.keywords = content.keywords
    submission.contribution_type = content.contribution_type
    submission.track = content.track
    submission.save()
    if content.authors or submission.authors.exists():
        _replace_authors(submission, content.authors)
    _replace_answers(submission, content.answers)


def _replace_authors(submission: Submission, authors: list[AuthorData]) -> None:
    previous = {a.email.lower(): a.notified_at for a in submission.authors.all()}
    emails = {a.email.lower() for a in authors}
    users = {
        u.email.lower(): u for u in User.objects.filter(email__in=list(emails), email_verified=True)
    }
    submission.authors.all().delete()
    SubmissionAuthor.objects.bulk_create(
        SubmissionAuthor(
            submission=submission,
            position=position,
            name=author.name,
            email=author.email,
            affiliation=author.affiliation,
            country=author.country,
            is_presenting=author.is_presenting,
            user=users.get(author.email.lower()),
            notified_at=previous.get(author.email.lower()),
        )
        for position, author in enumerate(authors)
    )


def _replace_answers(submission: Submission, answers: dict[int, object]) -> None:
    submission.answers.exclude(question_id__in=list(answers)).delete()
    for question_id, value in answers.items():
        Answer.objects.update_or_create(
            submission=submission, question_id=question_id, defaults={"value": value}
        )


def save_draft(
    event,
    *,
    by: User,
    content: SubmissionContent,
    submission: Submission | None = None,
    idempotency_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Create or update a draft; drafts may be incomplete.

    Without `submission`, the draft created earlier with the same `idempotency_key` (the form's
    token) is reused, so autosave and a replayed POST never make a second submission. If that
    submission was already submitted in the meantime, it is returned unchanged.
    Side effects: saves Submission, its authors and answers. Raises DeadlineError when closed,
    StateError for a submission that is not a draft.
    """
    call = get_call(event)
    with transaction.atomic():
        if submission is None and idempotency_key is not None:
            submission = Submission.objects.filter(
                event=event, owner=by, idempotency_key=idempotency_key
            ).first()
            if submission is not None and not submission.is_draft:
                return submission
        if submission is not None:
            submission = Submission.objects.select_for_update().get(pk=submission.pk)
            if not submission.is_draft:
                raise StateError("Only drafts are saved this way; submit to change a submission.")
        check_open(
            call,
            contribution_type=content.contribution_type,
            user=by,
            submission=submission,
            now=now,
        )
        if submission is None:
            try:
                with transaction.atomic():
                    submission = Submission.objects.create(
                        event=event, owner=by, idempotency_key=idempotency_key
                    )
            except IntegrityError:
                # A concurrent request with the same token created it first.
                return Submission.objects.get(idempotency_key=idempotency_key, owner=by)
        _apply_content(submission, content)
    return submission


def attach_file(
    submission: Submission, *, upload, info: PdfInfo, by: User, make_current: bool
) -> SubmissionFile:
    """Store a checked PDF (see cfp.pdf.inspect_pdf) under a generated name.

    With `make_current` it becomes the submission's file at once (drafts); otherwise it waits
    to be confirmed by `submit(..., pdf=...)`. Side effects: one file on storage, one row.
    """
    stored = SubmissionFile(
        submission=submission,
        original_name=display_name(getattr(upload, "name", "") or "file.pdf"),
        size=info.size,
        sha256=info.sha256,
        pages=info.pages,
        uploaded_by=by,
    )
    upload.seek(0)
    stored.file.save("upload.pdf", File(upload), save=False)
    stored.save()
    if make_current:
        Submission.objects.filter(pk=submission.pk).update(pdf=stored, updated=timezone.now())
        submission.pdf = stored
    return stored


def remove_file(submission: Submission, *, by: User) -> None:
    """Detach the PDF from a draft (the stored file stays for earlier versions)."""
    if not submission.is_draft:
        raise StateError("Submit the change to remove the file of a submitted contribution.")
    Submission.objects.filter(pk=submission.pk).update(pdf=None, updated=timezone.now())
    submission.pdf = None


# --- Submitting -------------------------------------------------------------------------------


def abstract_sha256(abstract: str) -> str:
    """SHA-256 (hex) of the abstract's UTF-8 text with LF line ends, as shown on receipts."""
    return hashlib.sha256(abstract.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def snapshot(submission: Submission) -> dict:
    """The submission's content as plain JSON, the unit of its history."""
    pdf = submission.pdf
    return {
        "title": submission.title,
        "abstract": submission.abstract,
        "keywords": submission.keywords,
        "contribution_type": submission.contribution_type.name
        if submission.contribution_type
        else "",
        "track": submission.track.name if submission.track else "",
        "authors": [
            {
                "name": a.name,
                "email": a.email,
                "affiliation": a.affiliation,
                "country": a.country,
                "is_presenting": a.is_presenting,
            }
            for a in submission.authors.all()
        ],
        "answers": [
            {"question": a.question.label, "value": a.value}
            for a in submission.answers.select_related("question").order_by(
                "question__position", "question_id"
            )
        ],
        "pdf": {"name": pdf.original_name, "sha256": pdf.sha256, "size": pdf.size} if pdf else None,
    }


def completeness_errors(submission: Submission) -> list[str]:
    """What stops `submission` from being submitted (empty list when complete)."""
    call = get_call(submission.event)
    errors = []
    if not submission.title.strip():
        errors.append("A title is required.")
    if not submission.abstract.strip():
        errors.append("An abstract is required.")
    if submission.contribution_type is None:
        errors.append("Choose a contribution type.")
    if Track.objects.filter(event=submission.event).exists() and submission.track is None:
        errors.append("Choose a track.")
    authors = list(submission.authors.all())
    if not authors:
        errors.append("List at least one author.")
    elif sum(a.is_presenting for a in authors) != 1:
        errors.append("Mark exactly one presenting author.")
    if call is not None and call.pdf_requirement == "required" and submission.pdf_id is None:
        errors.append("A PDF is required.")
    answered = {a.question_id: a.value for a in submission.answers.all()}
    for question in Question.objects.filter(event=submission.event, is_active=True, required=True):
        if answered.get(question.pk) in (None, "", [], False):
            errors.append(f"Answer the question “{question.label}”.")
    return errors


def submit(
    submission: Submission,
    *,
    by: User,
    idempotency_key: uuid.UUID,
    content: SubmissionContent | None = None,
    pdf: SubmissionFile | None = None,
    now: dt.datetime | None = None,
) -> SubmissionVersion:
    """Submit a draft, or a new version of a submitted contribution, before its deadline.

    A second call with the same `idempotency_key` (double click, replayed POST) returns the
    version the first made and changes nothing. Side effects: applies `content` and `pdf`,
    state -> submitted, a SubmissionVersion snapshot, receipt mail to the owner, a mail to
    each co-author not told before. Raises DeadlineError, StateError, CfpError (incomplete).
    """
    now = now or timezone.now()
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        replay = SubmissionVersion.objects.filter(idempotency_key=idempotency_key).first()
        if replay is not None:
            if replay.submission_id != submission.pk:
                raise StateError("This form was already used for another submission.")
            return replay
        if submission.state not in (SubmissionState.DRAFT, SubmissionState.SUBMITTED):
            raise StateError(
                f"A submission that is {submission.get_state_display().lower()} cannot be changed."
            )
        new_type = content.contribution_type if content else submission.contribution_type
        check_open(
            get_call(submission.event),
            contribution_type=new_type,
            user=by,
            submission=submission,
            now=now,
        )
        if content is not None:
            _apply_content(submission, content)
        if pdf is not None:
            if pdf.submission_id != submission.pk:
                raise StateError("That file belongs to another submission.")
            submission.pdf = pdf
        errors = completeness_errors(submission)
        if errors:
            raise CfpError(" ".join(errors))
        first = submission.submitted_at is None
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = submission.submitted_at or now
        submission.last_submitted_at = now
        submission.withdrawn_at = None
        submission.save()
        number = submission.versions.count() + 1
        version = SubmissionVersion.objects.create(
            submission=submission,
            number=number,
            snapshot=snapshot(submission),
            abstract_sha256=abstract_sha256(submission.abstract),
            pdf_sha256=submission.pdf.sha256 if submission.pdf else "",
            created=now,
            created_by=by,
            idempotency_key=idempotency_key,
        )
        _send_receipt(submission, version, first=first)
        _notify_new_coauthors(submission, now=now)
    return version


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send_receipt(submission: Submission, version: SubmissionVersion, *, first: bool) -> None:
    call = get_call(submission.event)
    receipt_path = reverse(
        "cfp:receipt",
        kwargs={"event": submission.event.slug, "code": submission.code, "number": version.number},
    )
    body = render_to_string(
        "mail/cfp_receipt.txt",
        {
            "submission": submission,
            "version": version,
            "first": first,
            "event": submission.event,
            "submitted_local": call.format(version.created) if call else "",
            "receipt_url": _site_url(receipt_path),
            "submission_url": _site_url(submission.get_absolute_url()),
        },
    )
    verb = "received" if first else f"updated (version {version.number})"
    queue_mail(
        to=submission.owner.email,
        subject=f"Submission {submission.code} {verb}",
        body_text=body,
        event=submission.event,
        kind="cfp.receipt",
    )


def _notify_new_coauthors(submission: Submission, *, now: dt.datetime) -> None:
    owner_email = submission.owner.email.lower()
    for author in submission.authors.filter(notified_at__isnull=True):
        if author.email.lower() == owner_email:
            continue
        body = render_to_string(
            "mail/cfp_coauthor.txt",
            {
                "author": author,
                "submission": submission,
                "event": submission.event,
                "owner": submission.owner,
                "cfp_url": _site_url(reverse("cfp:call", kwargs={"event": submission.event.slug})),
            },
        )
        queue_mail(
            to=author.email,
            subject=f"You are listed as an author of submission {submission.code}",
            body_text=body,
            event=submission.event,
            kind="cfp.coauthor",
        )
    submission.authors.filter(notified_at__isnull=True).update(notified_at=now)


def withdraw(submission: Submission, *, by: User, now: dt.datetime | None = None) -> Submission:
    """Withdraw a draft or a submitted contribution (also after the deadline).

    Side effects: state -> withdrawn, withdrawn_at; a confirmation mail to the owner if it had
    been submitted. Raises StateError once a decision has been made.
    """
    now = now or timezone.now()
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.state == SubmissionState.WITHDRAWN:
            return submission
        if submission.state not in (SubmissionState.DRAFT, SubmissionState.SUBMITTED):
            raise StateError("After a decision, write to the organisers to withdraw.")
        was_submitted = submission.state == SubmissionState.SUBMITTED
        submission.state = SubmissionState.WITHDRAWN
        submission.withdrawn_at = now
        submission.save(update_fields=["state", "withdrawn_at", "updated"])
        if was_submitted:
            queue_mail(
                to=submission.owner.email,
                subject=f"Submission {submission.code} withdrawn",
                body_text=render_to_string(
                    "mail/cfp_withdrawn.txt",
                    {"submission": submission, "event": submission.event},
                ),
                event=submission.event,
                kind="cfp.withdrawn",
            )
    return submission


def set_decision_state(submission: Submission, state: str, *, by: User) -> Submission:
    """Record a review decision (accepted as poster/talk, rejected, waitlisted).

    Used by the review process; only submitted (or already decided) contributions qualify.
    Side effects: saves the state. Mails about decisions belong to the review process.
    """
    if state not in DECISION_STATES:
        raise StateError(f"{state!r} is not a decision.")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.state in (SubmissionState.DRAFT, SubmissionState.WITHDRAWN):
            raise StateError("Only submitted contributions receive decisions.")
        submission.state = state
        submission.save(update_fields=["state", "updated"])
    return submission


# --- Extensions -------------------------------------------------------------------------------


def extension_token(extension: Extension) -> str:
    """The signed token of an extension's access link (django.core.signing, salted)."""
    return signing.dumps({"x": extension.pk}, salt=EXTENSION_SALT, compress=True)


def extension_url(extension: Extension) -> str:
    path = reverse(
        "cfp:extension", kwargs={"event": extension.event.slug, "token": extension_token(extension)}
    )
    return _site_url(path)


def grant_extension(
    event,
    *,
    email: str,
    until: dt.datetime,
    by: User,
    submission: Submission | None = None,
    note: str = "",
) -> Extension:
    """Give one author a later deadline and mail them the access link.

    Side effects: one Extension row, one mail to `email` with the link.
    """
    if submission is not None and submission.event_id != event.pk:
        raise CfpError("That submission belongs to another event.")
    with transaction.atomic():
        extension = Extension.objects.create(
            event=event, email=email, until=until, submission=submission, note=note, created_by=by
        )
        call = get_call(event)
        queue_mail(
            to=email,
            subject="Your extended deadline",
            body_text=render_to_string(
                "mail/cfp_extension.txt",
                {
                    "event": event,
                    "extension": extension,
                    "until_local": call.format(until) if call else until.isoformat(),
                    "link": extension_url(extension),
                },
            ),
            event=event,
            kind="cfp.extension",
        )
    return extension


def claim_extension(event, token: str, *, user: User) -> Extension:
    """Bind the extension behind an access link to the signed-in `user` (first come).

    Raises CfpError for a forged or foreign token, a revoked extension, one already claimed by
    someone else, or one for a submission `user` does not own. Side effects: sets Extension.user.
    """
    try:
        data = signing.loads(token, salt=EXTENSION_SALT)
        pk = int(data["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise CfpError("This extension link is not valid.") from None
    with transaction.atomic():
        extension = Extension.objects.select_for_update().filter(pk=pk, event=event).first()
        if extension is None or extension.revoked:
            raise CfpError("This extension link is not valid.")
        if extension.user_id not in (None, user.pk):
            raise CfpError("This extension link has already been used by another account.")
        if extension.submission_id and extension.submission.owner_id != user.pk:
            raise CfpError("This extension is for a submission of another account.")
        if extension.user_id is None:
            extension.user = user
            extension.save(update_fields=["user"])
    return extension


def revoke_extension(extension: Extension, *, by: User) -> None:
    """Withdraw an extension; its link stops working. Side effects: saves `revoked`."""
    Extension.objects.filter(pk=extension.pk).update(revoked=True)
    extension.revoked = True
