"""Every state change of peer review, one function per transition.

Views call these functions and never set a `state` or `status` themselves. Mails go through
the outbox (`common.mail.queue_mail`) and are sent after commit. Functions raise ReviewError
with a message for the user when a rule refuses the action.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from symposia.accounts.models import User
from symposia.cfp.models import Submission, SubmissionAuthor
from symposia.common.mail import queue_mail
from symposia.common.models import OutboxMessage

from . import conflicts as detection
from . import rules
from .enums import (
    DETECTED_SOURCES,
    AssignmentSource,
    BidValue,
    ConflictSource,
    ConflictStatus,
    InvitationState,
    ReviewerStatus,
    ReviewState,
)
from .models import (
    Assignment,
    Bid,
    Comment,
    Conflict,
    Criterion,
    ForbiddenPair,
    Invitation,
    Review,
    Reviewer,
    ReviewerPaper,
    ReviewSettings,
    ReviewVersion,
)


class ReviewError(Exception):
    """A rule of peer review refuses the action; the message is shown to the user."""


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def get_settings(event) -> ReviewSettings:
    """The event's review settings, created with the defaults on first use."""
    obj, _ = ReviewSettings.objects.get_or_create(event=event)
    return obj


def format_moment(event, moment: dt.datetime | None) -> str:
    """'2020-06-30 23:59 BST (Europe/London)': a moment in the event's zone, for pages and mails."""
    if moment is None:
        return ""
    local = moment.astimezone(event.tzinfo)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({event.timezone})"


# --- Committee --------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    """SHA-256 (hex) of an invitation token; only this is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_url(event, token: str) -> str:
    return _site_url(reverse("reviews:invitation", kwargs={"event": event.slug, "token": token}))


@dataclass
class Invited:
    sent: list[Invitation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why an address got no invitation


def invite_reviewers(event, *, people: list[tuple[str, str]], by: User) -> Invited:
    """Invite each `(email, name)` to the committee with a single-use link.

    Addresses of active reviewers and of pending invitations are skipped (with a reason).
    Side effects: one Invitation per address (token hash only), one mail each with the link.
    """
    result = Invited()
    active = {
        e.lower()
        for e in Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE).values_list(
            "user__email", flat=True
        )
    }
    pending = {
        e.lower()
        for e in Invitation.objects.filter(event=event, state=InvitationState.PENDING).values_list(
            "email", flat=True
        )
    }
    with transaction.atomic():
        for email, name in people:
            key = email.lower()
            if key in active:
                result.skipped.append(f"{email} is already on the committee.")
                continue
            if key in pending:
                result.skipped.append(f"{email} already has a pending invitation.")
                continue
            pending.add(key)
            token = secrets.token_urlsafe(32)
            invitation = Invitation.objects.create(
                event=event, email=email, name=name, token_hash=token_hash(token), invited_by=by
            )
            _send_invitation(invitation, token, by=by)
            result.sent.append(invitation)
    return result


def _send_invitation(invitation: Invitation, token: str, *, by: User) -> None:
    event = invitation.event
    body = render_to_string(
        "mail/reviews_invitation.txt",
        {
            "invitation": invitation,
            "event": event,
            "inviter": by,
            "link": invitation_url(event, token),
            "deadline": format_moment(event, get_settings(event).review_deadline),
        },
    )
    queue_mail(
        to=invitation.email,
        subject="Invitation to the programme committee",
        body_text=body,
        event=event,
        kind="reviews.invitation",
        reply_to=event.contact_email,
    )


def resend_invitation(invitation: Invitation, *, by: User) -> Invitation:
    """Mail a pending invitation again with a fresh link; the old link stops working.

    Side effects: new token hash saved, one mail.
    """
    if invitation.state != InvitationState.PENDING:
        raise ReviewError("Only pending invitations can be sent again.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash(token))
        _send_invitation(invitation, token, by=by)
    return invitation


def find_invitation(event, token: str) -> Invitation | None:
    """The invitation of `event` behind `token`, whatever its state (None if unknown)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.filter(event=event, token_hash=token_hash(token))
        .select_related("event")
        .first()
    )


def _answer(invitation: Invitation, state: str, *, user: User | None) -> bool:
    """Move a pending invitation to `state` with one conditional UPDATE; False if it was no
    longer pending. Concurrent answers therefore give exactly one winner."""
    now = timezone.now()
    changed = Invitation.objects.filter(pk=invitation.pk, state=InvitationState.PENDING).update(
        state=state, responded_at=now, accepted_by=user
    )
    return changed == 1


def accept_invitation(invitation: Invitation, *, user: User) -> Reviewer:
    """Accept an invitation as the signed-in `user` (whose address may differ from the one
    invited; the invitation records who accepted).

    Side effects: invitation -> accepted (only once, even under concurrent clicks), an active
    Reviewer row for `user`. Raises ReviewError when the invitation was already answered.
    """
    with transaction.atomic():
        if not _answer(invitation, InvitationState.ACCEPTED, user=user):
            raise ReviewError("This invitation has already been answered or withdrawn.")
        reviewer, _ = Reviewer.objects.get_or_create(
            event=invitation.event, user=user, defaults={"invited_by": invitation.invited_by}
        )
        if reviewer.status != ReviewerStatus.ACTIVE:
            reviewer.status = ReviewerStatus.ACTIVE
            reviewer.save(update_fields=["status"])
    return reviewer


def decline_invitation(invitation: Invitation, *, user: User | None = None) -> None:
    """Decline an invitation (no account needed). Side effects: invitation -> declined."""
    if not _answer(invitation, InvitationState.DECLINED, user=None):
        raise ReviewError("This invitation has already been answered or withdrawn.")


def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    """Withdraw a pending invitation; its link stops working."""
    if not _answer(invitation, InvitationState.REVOKED, user=None):
        raise ReviewError("Only pending invitations can be withdrawn.")


def set_reviewer_status(reviewer: Reviewer, status: str, *, by: User) -> Reviewer:
    """Remove a reviewer from the committee or bring them back. Their reviews are kept.

    Side effects: saves the status.
    """
    if status not in ReviewerStatus.values:
        raise ReviewError("Unknown status.")
    reviewer.status = status
    reviewer.save(update_fields=["status"])
    return reviewer


def set_reviewer_loads(
    reviewer: Reviewer, *, min_load: int | None, max_load: int | None, by: User
) -> Reviewer:
    """Per-reviewer load bounds replacing the event's (None: the event's)."""
    if min_load is not None and max_load is not None and min_load > max_load:
        raise ReviewError("The minimum load cannot exceed the maximum load.")
    reviewer.min_load, reviewer.max_load = min_load, max_load
    reviewer.save(update_fields=["min_load", "max_load"])
    return reviewer


def update_profile(
    reviewer: Reviewer,
    *,
    keywords: str,
    add_papers: list[tuple[str, str]] = (),
    remove_paper_ids: list[int] = (),
) -> Reviewer:
    """Change a reviewer's keywords and papers (the text their affinity is computed from).

    Papers are (title, abstract); a paper with the same title (ignoring case) is replaced.
    Side effects: saves keywords, adds and deletes ReviewerPaper rows.
    """
    with transaction.atomic():
        reviewer.keywords = keywords.strip()
        reviewer.save(update_fields=["keywords"])
        if remove_paper_ids:
            ReviewerPaper.objects.filter(reviewer=reviewer, pk__in=list(remove_paper_ids)).delete()
        existing = {p.title.casefold(): p for p in ReviewerPaper.objects.filter(reviewer=reviewer)}
        new = []
        for title, abstract in add_papers:
            title = title.strip()[:500]
            if not title:
                continue
            if title.casefold() in existing:
                paper = existing[title.casefold()]
                if abstract.strip():
                    paper.abstract = abstract.strip()
                    paper.save(update_fields=["abstract"])
                continue
            paper = ReviewerPaper(reviewer=reviewer, title=title, abstract=abstract.strip())
            existing[title.casefold()] = paper
            new.append(paper)
        ReviewerPaper.objects.bulk_create(new)
    return reviewer


# --- Bids and conflicts ------------------------------------------------------------------------


def set_bids(reviewer: Reviewer, bids: dict[Submission, str]) -> int:
    """Record the reviewer's bids; '' removes a bid. A 'conflict' bid also declares a conflict
    of interest (confirmed), after which the submission disappears from the reviewer's view.

    Only submissions the reviewer may see are accepted (ReviewError otherwise).
    Side effects: Bid rows saved or deleted, Conflict rows. Returns how many bids changed.
    """
    visible = set(
        rules.reviewer_submissions(reviewer.user, reviewer.event)
        .filter(pk__in=[s.pk for s in bids])
        .values_list("pk", flat=True)
    )
    changed = 0
    with transaction.atomic():
        current = {
            b.submission_id: b
            for b in Bid.objects.filter(reviewer=reviewer, submission__in=list(visible))
        }
        for submission, value in bids.items():
            if submission.pk not in visible:
                raise ReviewError("No such submission.")
            old = current.get(submission.pk)
            if not value:
                if old is not None:
                    old.delete()
                    changed += 1
                continue
            if value not in BidValue.values:
                raise ReviewError("Unknown bid.")
            if old is not None and old.value == value:
                continue
            Bid.objects.update_or_create(
                reviewer=reviewer, submission=submission, defaults={"value": value}
            )
            changed += 1
            if value == BidValue.CONFLICT:
                _add_conflict(
                    submission,
                    reviewer.user,
                    source=ConflictSource.DECLARED_BY_REVIEWER,
                    status=ConflictStatus.CONFIRMED,
                    by=reviewer.user,
                    evidence="conflict bid",
                )
    return changed


def _add_conflict(
    submission: Submission, user: User, *, source: str, status: str, by: User | None, evidence=""
) -> Conflict:
    conflict, created = Conflict.objects.get_or_create(
        submission=submission,
        user=user,
        source=source,
        defaults={
            "event_id": submission.event_id,
            "status": status,
            "created_by": by,
            "evidence": evidence[:300],
        },
    )
    if (
        not created
        and conflict.status == ConflictStatus.DISMISSED
        and source not in DETECTED_SOURCES
    ):
        # A new declaration overrides an earlier dismissal.
        conflict.status = status
        conflict.save(update_fields=["status"])
    return conflict


def committee_members(event):
    """Active reviewers of `event` with their accounts, ordered by name."""
    return Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE).select_related("user")


def declare_author_conflicts(submission: Submission, *, users: list[User], by: User) -> None:
    """Set the committee members the authors declare a conflict with (replacing the earlier
    declaration). Only active committee members of the event can be named.

    Side effects: Conflict rows with source declared_by_author added (confirmed) or deleted.
    """
    members = set(committee_members(submission.event).values_list("user_id", flat=True))
    wanted = {u.pk for u in users}
    if wanted - members:
        raise ReviewError("Choose members of the committee only.")
    with transaction.atomic():
        existing = Conflict.objects.filter(
            submission=submission, source=ConflictSource.DECLARED_BY_AUTHOR
        )
        existing.exclude(user_id__in=wanted).delete()
        have = set(existing.values_list("user_id", flat=True))
        for user in users:
            if user.pk not in have:
                _add_conflict(
                    submission,
                    user,
                    source=ConflictSource.DECLARED_BY_AUTHOR,
                    status=ConflictStatus.CONFIRMED,
                    by=by,
                    evidence=f"declared by {by.display_name}",
                )


def add_conflict(submission: Submission, *, user: User, by: User, note: str = "") -> Conflict:
    """An organiser records a conflict of interest (confirmed)."""
    return _add_conflict(
        submission,
        user,
        source=ConflictSource.ORGANISER,
        status=ConflictStatus.CONFIRMED,
        by=by,
        evidence=note,
    )


def decide_conflict(conflict: Conflict, *, status: str, by: User) -> Conflict:
    """An organiser confirms or dismisses a conflict. A dismissed conflict no longer hides the
    submission from the reviewer. Side effects: saves status, decided_by, decided_at."""
    if status not in (ConflictStatus.CONFIRMED, ConflictStatus.DISMISSED):
        raise ReviewError("A conflict is confirmed or dismissed.")
    conflict.status = status
    conflict.decided_by = by
    conflict.decided_at = timezone.now()
    conflict.save(update_fields=["status", "decided_by", "decided_at"])
    return conflict


@dataclass
class Detection:
    created: int = 0
    removed: int = 0
    total: int = 0


def detect_conflicts(event) -> Detection:
    """Run the automatic rules (reviews.conflicts) for every committee member and every
    submitted submission of `event`.

    New findings are saved as 'detected'; findings that no longer hold and were not yet
    reviewed are deleted; confirmed and dismissed ones are kept as decided.
    Side effects: Conflict rows created and deleted.
    """
    members = [
        (r.user_id, detection.Person(r.user.email, r.user.affiliation, r.user_id))
        for r in committee_members(event)
    ]
    author_rows = [
        detection.AuthorRow(
            a["submission_id"], detection.Person(a["email"], a["affiliation"], a["user_id"])
        )
        for a in SubmissionAuthor.objects.filter(
            submission__event=event, submission__state__in=rules.REVIEWABLE_STATES
        ).values("submission_id", "email", "affiliation", "user_id")
    ]
    # Owners without an author row with their address still count as authors.
    for s in Submission.objects.filter(event=event, state__in=rules.REVIEWABLE_STATES).values(
        "pk", "owner_id", "owner__email", "owner__affiliation"
    ):
        author_rows.append(
            detection.AuthorRow(
                s["pk"], detection.Person(s["owner__email"], s["owner__affiliation"], s["owner_id"])
            )
        )
    found = detection.detect(members, author_rows)
    keys = {(f.submission_id, f.user_id, f.source) for f in found}
    result = Detection(total=len(found))
    with transaction.atomic():
        existing = {
            (c.submission_id, c.user_id, c.source): c
            for c in Conflict.objects.filter(event=event, source__in=list(DETECTED_SOURCES))
        }
        stale = [
            c.pk
            for key, c in existing.items()
            if key not in keys and c.status == ConflictStatus.DETECTED
        ]
        result.removed = Conflict.objects.filter(pk__in=stale).delete()[0]
        new = [
            Conflict(
                event=event,
                submission_id=f.submission_id,
                user_id=f.user_id,
                source=f.source,
                status=ConflictStatus.DETECTED,
                evidence=f.evidence[:300],
            )
            for f in found
            if (f.submission_id, f.user_id, f.source) not in existing
        ]
        Conflict.objects.bulk_create(new, ignore_conflicts=True)
        result.created = len(new)
    return result


# --- Reviews -----------------------------------------------------------------------------------


@dataclass
class ReviewData:
    """The fields of the review form, as cleaned by reviews.forms.ReviewForm."""

    scores: dict[int, int | None] = field(default_factory=dict)  # criterion id -> value
    recommendation: int | None = None
    confidence: int | None = None
    comments_to_authors: str = ""
    confidential_comments: str = ""


def weighted_score(scores: dict, criteria: list[Criterion]) -> float | None:
    """Weighted mean of the criteria's scores, each scaled to [0, 1] by its scale:
    sum(w * (s - min) / (max - min)) / sum(w) over scored criteria with weight > 0.

    None when no weighted criterion is scored. `scores` maps criterion id (int or str) to value.
    """
    total = weights = 0.0
    for criterion in criteria:
        value = scores.get(str(criterion.pk), scores.get(criterion.pk))
        if value is None or criterion.weight <= 0:
            continue
        span = criterion.scale_max - criterion.scale_min
        scaled = (int(value) - criterion.scale_min) / span if span else 1.0
        total += criterion.weight * scaled
        weights += criterion.weight
    return round(total / weights, 4) if weights else None


def recompute_weighted_scores(event) -> int:
    """Store again the weighted score of every review of `event` after its criteria changed
    (a weight, a scale, a criterion added or deleted), so that lists, means and exports agree
    with the review form. Scores themselves are not touched. Returns the reviews updated.

    Side effects: Review.weighted_score saved where it changed.
    """
    criteria = list(Criterion.objects.filter(event=event))
    changed = []
    for review in Review.objects.filter(submission__event=event).only(
        "pk", "scores", "weighted_score"
    ):
        score = weighted_score(review.scores or {}, criteria)
        if score != review.weighted_score:
            review.weighted_score = score
            changed.append(review)
    Review.objects.bulk_update(changed, ["weighted_score"], batch_size=1000)
    return len(changed)


def missing_fields(data: ReviewData, criteria: list[Criterion]) -> list[str]:
    """What a review still lacks before it can be submitted."""
    missing = [c.label for c in criteria if data.scores.get(c.pk) is None]
    if data.recommendation is None:
        missing.append("Overall recommendation")
    if data.confidence is None:
        missing.append("Confidence")
    return missing


def check_review_open(event, *, now: dt.datetime | None = None) -> None:
    """Raise ReviewError once the review deadline (inclusive, to the second) has passed."""
    config = get_settings(event)
    if config.deadline_passed(now):
        raise ReviewError(
            f"The review deadline ({format_moment(event, config.review_deadline)}) has passed."
        )


def save_review(
    submission: Submission,
    *,
    reviewer: Reviewer,
    data: ReviewData,
    submit: bool,
    now: dt.datetime | None = None,
) -> Review:
    """Save a reviewer's review of an assigned submission, as a draft or submitted.

    A submitted review stays submitted when edited again. Every call keeps a ReviewVersion, so
    no text is ever lost. Raises ReviewError after the review deadline, for a submission the
    reviewer is not assigned to (or is conflicted with), or when submitting an incomplete review.
    Side effects: Review saved (weighted score computed), one ReviewVersion.
    """
    now = now or timezone.now()
    event = submission.event
    check_review_open(event, now=now)
    if not Assignment.objects.filter(submission=submission, reviewer=reviewer).exists():
        raise ReviewError("You are not assigned to review this submission.")
    if not rules.reviewer_submissions(reviewer.user, event).filter(pk=submission.pk).exists():
        raise ReviewError("You are not assigned to review this submission.")
    criteria = list(Criterion.objects.filter(event=event))
    with transaction.atomic():
        try:
            with transaction.atomic():
                review, _ = Review.objects.get_or_create(submission=submission, reviewer=reviewer)
        except IntegrityError:
            review = Review.objects.get(submission=submission, reviewer=reviewer)
        review = Review.objects.select_for_update().get(pk=review.pk)
        submitting = submit or review.state == ReviewState.SUBMITTED
        if submitting:
            missing = missing_fields(data, criteria)
            if missing:
                raise ReviewError("To submit, fill in: " + ", ".join(missing) + ".")
        known = {c.pk for c in criteria}
        review.scores = {str(k): v for k, v in data.scores.items() if k in known and v is not None}
        review.recommendation = data.recommendation
        review.confidence = data.confidence
        review.comments_to_authors = data.comments_to_authors
        review.confidential_comments = data.confidential_comments
        review.weighted_score = weighted_score(review.scores, criteria)
        if submitting and review.state != ReviewState.SUBMITTED:
            review.state = ReviewState.SUBMITTED
            review.submitted_at = now
        review.save()
        number = (
            review.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        ReviewVersion.objects.create(
            review=review,
            number=number,
            data=_review_snapshot(review),
            created=now,
            created_by=reviewer.user,
        )
    return review


def _review_snapshot(review: Review) -> dict:
    return {
        "state": review.state,
        "scores": review.scores,
        "recommendation": review.recommendation,
        "confidence": review.confidence,
        "comments_to_authors": review.comments_to_authors,
        "confidential_comments": review.confidential_comments,
        "weighted_score": review.weighted_score,
    }


def post_comment(submission: Submission, *, by: User, text: str) -> Comment:
    """Add a message to the committee's discussion of `submission` (the view checks that `by`
    may discuss it). Side effects: one Comment."""
    text = text.strip()
    if not text:
        raise ReviewError("Write a message first.")
    return Comment.objects.create(submission=submission, author=by, text=text)


# --- Assignment by hand ------------------------------------------------------------------------


def add_assignment(submission: Submission, *, reviewer: Reviewer, by: User) -> Assignment:
    """Assign a reviewer by hand; the pair is kept by every later automatic run.

    Raises ReviewError for a conflicted pair or an inactive reviewer. Side effects: an
    Assignment (source manual, or an automatic one turned manual); the pair is no longer
    forbidden.
    """
    if reviewer.event_id != submission.event_id or not reviewer.is_active:
        raise ReviewError("Choose an active member of this event's committee.")
    if rules.is_conflicted(reviewer.user, submission):
        raise ReviewError(f"{reviewer} has a conflict of interest with this submission.")
    with transaction.atomic():
        ForbiddenPair.objects.filter(submission=submission, reviewer=reviewer).delete()
        assignment, created = Assignment.objects.get_or_create(
            submission=submission,
            reviewer=reviewer,
            defaults={"source": AssignmentSource.MANUAL, "created_by": by},
        )
        if not created and assignment.source == AssignmentSource.AUTO:
            assignment.source = AssignmentSource.PINNED
            assignment.save(update_fields=["source"])
    return assignment


def remove_assignment(assignment: Assignment, *, by: User) -> None:
    """Remove an assignment by hand; later automatic runs never assign the pair again.
    A review already written stays (never lost) and is still shown to organisers.

    Side effects: Assignment deleted, ForbiddenPair created.
    """
    with transaction.atomic():
        ForbiddenPair.objects.get_or_create(
            submission=assignment.submission,
            reviewer=assignment.reviewer,
            defaults={"created_by": by},
        )
        assignment.delete()


# --- Reminders ---------------------------------------------------------------------------------


def missing_reviews(event) -> dict[Reviewer, list[Submission]]:
    """Each active reviewer's assigned submissions without a submitted review, leaving out
    every submission the reviewer may not see (conflicts, withdrawn)."""
    submitted = Review.objects.filter(state=ReviewState.SUBMITTED).values_list(
        "submission_id", "reviewer_id"
    )
    done = set(submitted.filter(submission__event=event))
    conflicts = set(
        Conflict.objects.filter(event=event)
        .exclude(status=ConflictStatus.DISMISSED)
        .values_list("submission_id", "user_id")
    ) | rules.author_pairs(event)
    out: dict[Reviewer, list[Submission]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(
            submission__event=event,
            submission__state__in=rules.REVIEWABLE_STATES,
            reviewer__status=ReviewerStatus.ACTIVE,
        )
        .select_related("submission", "reviewer__user")
        .order_by("reviewer__user__name", "submission__code")
    ):
        if (a.submission_id, a.reviewer_id) in done:
            continue
        if (a.submission_id, a.reviewer.user_id) in conflicts:
            continue
        out[a.reviewer].append(a.submission)
    return dict(out)


#: A reviewer reminded less than this long ago is not reminded again: a double click, a
#: reload or the back button must not send everyone a second mail.
REMINDER_PAUSE = dt.timedelta(minutes=10)


@dataclass
class Reminded:
    sent: int = 0
    skipped: int = 0  # reminded less than REMINDER_PAUSE ago


def send_reminders(
    event, *, by: User, reviewers: list[Reviewer] | None = None, now: dt.datetime | None = None
) -> Reminded:
    """Mail each reviewer (or each of `reviewers`) one reminder listing their missing reviews,
    unless they got one less than REMINDER_PAUSE ago.

    The list comes from `missing_reviews`, so a mail never names a submission its reader may
    not see. Concurrent calls are serialised on the event's review settings, so two clicks
    at the same moment send one mail each. Side effects: one mail per reviewer with
    something missing. Returns how many were sent and skipped.
    """
    now = now or timezone.now()
    wanted = {r.pk for r in reviewers} if reviewers is not None else None
    result = Reminded()
    with transaction.atomic():
        config = ReviewSettings.objects.select_for_update().get(pk=get_settings(event).pk)
        recent = {
            parseaddr(address)[1].lower()
            for to in OutboxMessage.objects.filter(
                event=event, kind="reviews.reminder", created__gte=now - REMINDER_PAUSE
            ).values_list("to", flat=True)
            for address in to
        }
        for reviewer, submissions in missing_reviews(event).items():
            if wanted is not None and reviewer.pk not in wanted:
                continue
            if reviewer.user.email.lower() in recent:
                result.skipped += 1
                continue
            plural = "s" if len(submissions) != 1 else ""
            body = render_to_string(
                "mail/reviews_reminder.txt",
                {
                    "event": event,
                    "reviewer": reviewer,
                    "items": [
                        (
                            s,
                            _site_url(
                                reverse(
                                    "reviews:submission",
                                    kwargs={"event": event.slug, "code": s.code},
                                )
                            ),
                        )
                        for s in submissions
                    ],
                    "deadline": format_moment(event, config.review_deadline),
                    "home": _site_url(reverse("reviews:home", kwargs={"event": event.slug})),
                },
            )
            queue_mail(
                to=reviewer.user.email,
                subject=f"Reminder: {len(submissions)} review{plural} to write",
                body_text=body,
                event=event,
                kind="reviews.reminder",
                reply_to=event.contact_email,
            )
            result.sent += 1
    return result
