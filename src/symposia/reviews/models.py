"""Peer review: the committee, the review form, reviews and their versions, conflicts of
interest, bids, text affinity, the assignment of reviewers and the committee's discussion.

Who may see what is decided in `reviews.rules`; every state change is a function of
`reviews.domain`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import (
    AssignmentSource,
    BidValue,
    ConflictSource,
    ConflictStatus,
    InvitationState,
    ReviewerStatus,
    ReviewState,
    RunStatus,
)


class ReviewSettings(models.Model):
    """How an event reviews: deadline, reviewers per submission, loads, blindness, bids."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="review_settings"
    )
    review_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Last second reviewers may change their reviews."
    )
    reviewers_per_submission = models.PositiveSmallIntegerField(
        default=3, help_text="Contribution types may override it."
    )
    min_load = models.PositiveSmallIntegerField(
        default=0, help_text="Fewest submissions each reviewer gets."
    )
    max_load = models.PositiveSmallIntegerField(
        default=6, help_text="Most submissions each reviewer gets."
    )
    double_blind = models.BooleanField(
        default=True,
        help_text="Hide authors' names and affiliations (and PDF metadata) from reviewers.",
    )
    bid_bonus_eager = models.FloatField(default=0.5)
    bid_bonus_willing = models.FloatField(default=0.2)
    bid_bonus_not_willing = models.FloatField(default=-1.0)
    top_n = models.PositiveIntegerField(
        default=200, help_text="Candidate reviewers per submission considered first."
    )
    fairness = models.BooleanField(
        default=False, help_text="Raise the worst-off submission's affinity first."
    )
    reviews_released_to_authors = models.BooleanField(
        default=False, help_text="Authors read the comments to authors (never who wrote them)."
    )
    guidelines = models.TextField(
        blank=True, help_text="Shown above the review form; Markdown and maths."
    )

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return f"Review settings of {self.event}"

    def deadline_passed(self, now=None) -> bool:
        """True once the review deadline (inclusive, to the second) is over."""
        if self.review_deadline is None:
            return False
        return (now or timezone.now()).replace(microsecond=0) > self.review_deadline


class Reviewer(models.Model):
    """A member of an event's programme committee, with what the affinity is computed from."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_roles"
    )
    status = models.CharField(
        max_length=10, choices=ReviewerStatus.choices, default=ReviewerStatus.ACTIVE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    keywords = models.TextField(blank=True, help_text="Your fields of expertise, comma-separated.")
    min_load = models.PositiveSmallIntegerField(null=True, blank=True)
    max_load = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="reviews_reviewer_unique"),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def is_active(self) -> bool:
        return self.status == ReviewerStatus.ACTIVE


class Invitation(models.Model):
    """An invitation to join the committee, answered once through a secret link.

    Only the SHA-256 of the link's token is stored; the token itself exists in the mail only.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="reviewer_invitations"
    )
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(
        max_length=10, choices=InvitationState.choices, default=InvitationState.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to review for {self.event}"


class ReviewerPaper(models.Model):
    """One of a reviewer's own papers (title and abstract), used for text affinity only."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One scored question of the review form, e.g. Originality on 1–5."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="review_criteria"
    )
    label = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    labels = models.JSONField(
        default=dict, blank=True, help_text='Names of values, e.g. {"1": "poor", "5": "excellent"}.'
    )
    weight = models.FloatField(default=1.0)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    def choices(self) -> list[tuple[int, str]]:
        """(value, text) for each point of the scale, its label appended when it has one."""
        out = []
        for value in range(self.scale_min, self.scale_max + 1):
            label = (self.labels or {}).get(str(value), "")
            out.append((value, f"{value}: {label}" if label else str(value)))
        return out


class Review(models.Model):
    """A reviewer's review of a submission: the current state; every save is a ReviewVersion."""

    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="reviews")
    scores = models.JSONField(default=dict, blank=True, help_text="Criterion id -> value.")
    recommendation = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    comments_to_authors = models.TextField(blank=True)
    confidential_comments = models.TextField(blank=True)
    weighted_score = models.FloatField(
        null=True, blank=True, help_text="Weighted mean of the criteria, scaled to 0–1."
    )
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="reviews_review_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.submission.code} by {self.reviewer}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ReviewState.SUBMITTED


class ReviewVersion(models.Model):
    """A snapshot of a review at one save (drafts included): no review is ever lost."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="reviews_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.review} v{self.number}"


class Conflict(models.Model):
    """A conflict of interest between a submission and a committee member (by account).

    One row per source; the pair is conflicted while any of its rows is not dismissed.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="conflicts")
    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="conflicts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_conflicts"
    )
    source = models.CharField(max_length=24, choices=ConflictSource.choices)
    status = models.CharField(
        max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.DETECTED
    )
    evidence = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "user", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "user", "source"], name="reviews_conflict_unique"
            ),
        ]
        indexes = [models.Index(fields=["event", "user", "status"])]

    def __str__(self) -> str:
        return f"Conflict {self.submission.code} / {self.user} ({self.source})"


class Bid(models.Model):
    """How much a reviewer wants to review a submission."""

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="bids")
    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="review_bids"
    )
    value = models.CharField(max_length=12, choices=BidValue.choices)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "submission"], name="reviews_bid_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} bids {self.value} on {self.submission.code}"


class AffinityScore(models.Model):
    """Cached text affinity of a reviewer to a submission, in [0, 1].

    `reviewer_hash` and `submission_hash` fingerprint the texts it was computed from, so only
    pairs whose texts changed are recomputed.
    """

    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="affinities")
    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="affinities"
    )
    score = models.FloatField()
    reviewer_hash = models.CharField(max_length=32)
    submission_hash = models.CharField(max_length=32)
    computed = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "submission"], name="reviews_affinity_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ~ {self.submission.code}: {self.score:.3f}"


class AssignmentRun(models.Model):
    """One run of the automatic assignment: its parameters, outcome and report."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="assignment_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parameters = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"Assignment run {self.pk} of {self.event} ({self.status})"


class Assignment(models.Model):
    """A reviewer assigned to review a submission."""

    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="assignments")
    source = models.CharField(
        max_length=8, choices=AssignmentSource.choices, default=AssignmentSource.AUTO
    )
    run = models.ForeignKey(
        AssignmentRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submission", "reviewer"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="reviews_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.submission.code}"


class ForbiddenPair(models.Model):
    """A pair an organiser removed by hand: no later run assigns it again."""

    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="forbidden_reviewers"
    )
    reviewer = models.ForeignKey(Reviewer, on_delete=models.CASCADE, related_name="forbidden")
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="reviews_forbidden_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} never reviews {self.submission.code}"


class Comment(models.Model):
    """A message in the committee's discussion of a submission (Markdown and maths)."""

    submission = models.ForeignKey(
        "cfp.Submission", on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.submission.code} by {self.author}"
