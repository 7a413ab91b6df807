"""Who may see what in peer review. Every page, file, export, search, count and mail of the
reviews app starts from `visible_submissions` (or the per-role sets below it).

Roles on an event:

* organiser (events.rules.is_organiser): every submission that is not a draft, with authors,
  all reviews, conflicts and the discussion;
* reviewer (an active Reviewer row): every submission that is submitted or decided, minus each
  one they have a conflict of interest with. A conflict counts from the moment it exists
  (declared, detected or confirmed) until an organiser dismisses it; being listed among a
  submission's authors (or owning it) is always a conflict, before any detection has run and
  even if a detected one was dismissed. A conflicted submission is treated exactly like one
  that does not exist: 404 on its pages and files, absent from lists, searches, filters,
  counts, sorts and mails, never assigned; an author still sees it as its author;
* author (owner or co-author, see cfp.rules.author_submissions): their own submissions, with
  the comments to authors once the organisers release them, never who wrote them.

Inside what a reviewer may see: the review form and the PDF for every visible submission
they are assigned to; other reviews and the discussion only once their own review of that
submission is submitted (as in HotCRP's default). Organisers always see both.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from symposia.cfp import rules as cfp_rules
from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission, SubmissionAuthor
from symposia.events.rules import is_organiser

from .enums import ConflictStatus, ReviewerStatus, ReviewState
from .models import Assignment, Conflict, Review, Reviewer

#: States a reviewer may see: submitted or decided (drafts and withdrawn ones are not reviewed).
REVIEWABLE_STATES = [
    SubmissionState.SUBMITTED,
    SubmissionState.ACCEPTED_POSTER,
    SubmissionState.ACCEPTED_TALK,
    SubmissionState.REJECTED,
    SubmissionState.WAITLISTED,
]


def get_reviewer(user, event) -> Reviewer | None:
    """The user's active Reviewer row on `event`, or None."""
    if not user.is_authenticated:
        return None
    return (
        Reviewer.objects.filter(event=event, user=user, status=ReviewerStatus.ACTIVE)
        .select_related("user")
        .first()
    )


def is_reviewer(user, event) -> bool:
    return get_reviewer(user, event) is not None


def authored_ids(user, event) -> QuerySet:
    """Ids of the submissions of `event` that `user` owns or is listed among the authors of,
    by account or by address, verified or not (a subquery)."""
    return Submission.objects.filter(
        Q(owner=user) | Q(authors__user=user) | Q(authors__email__iexact=user.email),
        event=event,
    ).values("pk")


def conflicted_ids(user, event) -> QuerySet:
    """Submission ids `user` has a conflict of interest with on `event` (a subquery): the
    undismissed Conflict rows and every submission they are an author of."""
    declared = (
        Conflict.objects.filter(event=event, user=user)
        .exclude(status=ConflictStatus.DISMISSED)
        .values("submission_id")
    )
    return Submission.objects.filter(
        Q(pk__in=declared) | Q(pk__in=authored_ids(user, event)), event=event
    ).values("pk")


def is_conflicted(user, submission: Submission) -> bool:
    return (
        Conflict.objects.filter(submission=submission, user=user)
        .exclude(status=ConflictStatus.DISMISSED)
        .exists()
        or Submission.objects.filter(
            pk=submission.pk, pk__in=authored_ids(user, submission.event_id)
        ).exists()
    )


def author_pairs(event) -> set[tuple[int, int]]:
    """(submission id, user id) for every committee member (of any status) who owns a
    submission of `event` or is listed among its authors, by account or by address."""
    members = dict(Reviewer.objects.filter(event=event).values_list("user_id", "user__email"))
    by_email = {email.lower(): user_id for user_id, email in members.items()}
    pairs = set(
        Submission.objects.filter(event=event, owner_id__in=list(members)).values_list(
            "pk", "owner_id"
        )
    )
    for submission_id, user_id, email in SubmissionAuthor.objects.filter(
        submission__event=event
    ).values_list("submission_id", "user_id", "email"):
        if user_id in members:
            pairs.add((submission_id, user_id))
        if (email or "").lower() in by_email:
            pairs.add((submission_id, by_email[email.lower()]))
    return pairs


def reviewer_submissions(user, event, *, reviewer: Reviewer | None = None) -> QuerySet:
    """What `user` may see as a reviewer: reviewable and not conflicted (none if no role).

    `reviewer`, the user's active Reviewer row when the caller already has it, saves a query.
    """
    if reviewer is None and not is_reviewer(user, event):
        return Submission.objects.none()
    return Submission.objects.filter(event=event, state__in=REVIEWABLE_STATES).exclude(
        pk__in=conflicted_ids(user, event)
    )


def organiser_submissions(user, event) -> QuerySet:
    if not is_organiser(user, event):
        return Submission.objects.none()
    return Submission.objects.filter(event=event).exclude(state=SubmissionState.DRAFT)


def visible_submissions(user, event) -> QuerySet:
    """Every submission of `event` that `user` may know exists in the reviews app.

    Organisers: all but drafts. Reviewers: submitted or decided minus their conflicts.
    Authors: their own. Anyone else: none. Returns a queryset without duplicates.
    """
    if not user.is_authenticated:
        return Submission.objects.none()
    if is_organiser(user, event):
        return organiser_submissions(user, event)
    own = cfp_rules.author_submissions(user, event).values("pk")
    condition = Q(pk__in=own)
    if is_reviewer(user, event):
        condition |= Q(state__in=REVIEWABLE_STATES) & ~Q(pk__in=conflicted_ids(user, event))
    return Submission.objects.filter(condition, event=event)


def is_author(user, submission: Submission) -> bool:
    return cfp_rules.is_owner(user, submission) or cfp_rules.is_coauthor(user, submission)


class Access:
    """What one user may do with one submission in the reviews app (see module docstring)."""

    def __init__(self, user, submission: Submission, *, reviewer: Reviewer | None, role: str):
        self.user = user
        self.submission = submission
        self.reviewer = reviewer
        self.role = role  # "organiser", "reviewer" or "author"
        self.is_organiser = role == "organiser"
        self.is_author = role == "author"
        self.is_assigned = bool(
            reviewer
            and Assignment.objects.filter(submission=submission, reviewer=reviewer).exists()
        )
        self.own_review = (
            Review.objects.filter(submission=submission, reviewer=reviewer).first()
            if reviewer
            else None
        )

    @property
    def shows_authors(self) -> bool:
        """Organisers and authors always; reviewers unless the event reviews double-blind."""
        if self.role != "reviewer":
            return True
        settings = getattr(self.submission.event, "review_settings", None)
        return settings is not None and not settings.double_blind

    @property
    def may_review(self) -> bool:
        """Assigned reviewers; an organiser who also sits on the committee too, unless
        conflicted."""
        if self.role == "organiser":
            return self.is_assigned and not is_conflicted(self.user, self.submission)
        return self.role == "reviewer" and self.is_assigned

    @property
    def may_read_reviews(self) -> bool:
        """Other reviews and the discussion: organisers, and assigned reviewers after their
        own review of this submission is submitted."""
        if self.is_organiser:
            return True
        return (
            self.role == "reviewer"
            and self.is_assigned
            and self.own_review is not None
            and self.own_review.state == ReviewState.SUBMITTED
        )

    may_discuss = may_read_reviews

    @property
    def may_download(self) -> bool:
        return self.role in ("organiser", "reviewer", "author")


def get_access(user, event, code: str) -> Access:
    """The submission `code` of `event` with the user's role on it; Http404 when the user may
    not know it exists (conflicted, not visible, other event, no such code)."""
    submission = (
        visible_submissions(user, event)
        .select_related("event", "owner", "contribution_type", "track", "pdf")
        .filter(code=code)
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    reviewer = get_reviewer(user, event)
    if is_organiser(user, event):
        return Access(user, submission, reviewer=reviewer, role="organiser")
    if is_author(user, submission):
        # An author is conflicted with their own submission: they see it as its author only.
        return Access(user, submission, reviewer=None, role="author")
    if reviewer is None:  # pragma: no cover - visible_submissions already ruled this out
        raise Http404("No such submission.")
    return Access(user, submission, reviewer=reviewer, role="reviewer")


def committee_recipients(submission: Submission) -> QuerySet:
    """Reviewers of the submission's event who may read its discussion (for mails): assigned,
    active, not conflicted, own review submitted."""
    conflicted = (
        Conflict.objects.filter(submission=submission)
        .exclude(status=ConflictStatus.DISMISSED)
        .values("user_id")
    )
    submitted = Review.objects.filter(
        submission=submission, reviewer=OuterRef("pk"), state=ReviewState.SUBMITTED
    )
    return (
        Reviewer.objects.filter(
            event=submission.event_id,
            status=ReviewerStatus.ACTIVE,
            assignments__submission=submission,
        )
        .exclude(user_id__in=conflicted)
        .filter(Exists(submitted))
    )
