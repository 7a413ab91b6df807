"""The call for contributions: the call, its contribution types, tracks and questions, and the
submissions with their authors, answers, files, versions and deadline extensions.

State lives in `Submission.state` and is changed only by `cfp.domain`.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from . import deadlines
from .enums import (
    ACCEPTED_STATES,
    DECISION_STATES,
    Audience,
    DeadlineZone,
    LengthUnit,
    NotificationKind,
    Participation,
    PdfRequirement,
    QuestionKind,
    QuestionVisibility,
    SubmissionState,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed safely


def new_code() -> str:
    """An unguessable public id such as 'K7QX2MPA' (8 characters, 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Call(models.Model):
    """The call for contributions of one event."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="call")
    intro = models.TextField(blank=True, help_text="Shown on the call page; Markdown and maths.")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Last accepted second (inclusive)."
    )
    deadline_zone = models.CharField(
        max_length=8, choices=DeadlineZone.choices, default=DeadlineZone.AOE
    )
    grace_minutes = models.PositiveIntegerField(
        default=0, help_text="Silent grace period after the deadline; 0 (off) by default."
    )
    abstract_limit = models.PositiveIntegerField(default=300, help_text="0 for no limit.")
    abstract_unit = models.CharField(
        max_length=10, choices=LengthUnit.choices, default=LengthUnit.WORDS
    )
    pdf_requirement = models.CharField(
        max_length=10, choices=PdfRequirement.choices, default=PdfRequirement.OPTIONAL
    )
    pdf_label = models.CharField(max_length=100, default="Extended abstract (PDF)")
    pdf_max_mb = models.PositiveIntegerField(default=10)

    def __str__(self) -> str:
        return f"Call for contributions of {self.event}"

    @property
    def zone(self) -> dt.tzinfo:
        return deadlines.zone_for(self.deadline_zone, self.event.timezone)

    @property
    def zone_label(self) -> str:
        return "AoE" if self.deadline_zone == DeadlineZone.AOE else self.event.timezone

    @property
    def grace(self) -> dt.timedelta:
        """The grace period, at most `deadlines.MAX_GRACE_MINUTES` whatever was stored."""
        return dt.timedelta(minutes=min(self.grace_minutes, deadlines.MAX_GRACE_MINUTES))

    @property
    def pdf_max_bytes(self) -> int:
        return self.pdf_max_mb * 1024 * 1024

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Open for new submissions of at least the call's own deadline (types may differ)."""
        return deadlines.is_open(
            now or timezone.now(),
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            grace=self.grace,
        )

    def has_opened(self, now: dt.datetime | None = None) -> bool:
        return self.opens_at is not None and self.opens_at <= (now or timezone.now())

    def format(self, moment: dt.datetime | None) -> str:
        if moment is None:
            return ""
        return deadlines.format_deadline(
            moment, deadline_zone=self.deadline_zone, event_timezone=self.event.timezone
        )


class ContributionType(models.Model):
    """A kind of contribution (poster, contributed talk), optionally with its own deadline."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="contribution_types"
    )
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Own deadline; empty means the call's."
    )
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    reviewers_per_submission = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="cfp_type_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    """A topic or track submissions are filed under."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="cfp_track_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A custom question of the call, answered on the submission form."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    options = models.JSONField(default=list, blank=True, help_text="Options of a choice question.")
    required = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=12, choices=QuestionVisibility.choices, default=QuestionVisibility.REVIEWERS
    )
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Submission(models.Model):
    """A contribution proposed to the event; the current working copy of its fields.

    Every submitted version is kept as a SubmissionVersion snapshot.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="submissions")
    code = models.CharField(max_length=16, unique=True, default=new_code, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cfp_submissions"
    )
    title = models.CharField(max_length=300, blank=True)
    abstract = models.TextField(blank=True)
    keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated.")
    contribution_type = models.ForeignKey(
        ContributionType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    state = models.CharField(
        max_length=20, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    pdf = models.ForeignKey(
        "SubmissionFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="First submission.")
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set by cfp.decisions and cfp.notifications only: the decision the authors were told.
    notified_decision = models.CharField(max_length=20, choices=SubmissionState.choices, blank=True)
    decision_notified_at = models.DateTimeField(null=True, blank=True)
    participation = models.CharField(
        max_length=10, choices=Participation.choices, default=Participation.PENDING
    )
    participation_at = models.DateTimeField(null=True, blank=True)
    participation_by = models.CharField(
        max_length=300, blank=True, help_text="Who answered, as name and address."
    )

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self) -> str:
        return f"{self.code}: {self.title or 'Untitled draft'}"

    def get_absolute_url(self) -> str:
        return reverse("cfp:detail", kwargs={"event": self.event.slug, "code": self.code})

    @property
    def display_title(self) -> str:
        return self.title or "Untitled draft"

    @property
    def is_draft(self) -> bool:
        return self.state == SubmissionState.DRAFT

    @property
    def is_accepted(self) -> bool:
        return self.state in ACCEPTED_STATES

    @property
    def author_state(self) -> str:
        """The state its authors may see: a decision only once they were notified of it."""
        if self.state in DECISION_STATES:
            if self.notified_decision in DECISION_STATES:
                return self.notified_decision
            return SubmissionState.SUBMITTED
        return self.state

    def get_author_state_display(self) -> str:
        state = self.author_state
        if state == SubmissionState.SUBMITTED:
            return "Under review"
        return SubmissionState(state).label

    @property
    def needs_notification(self) -> bool:
        """Decided, and the authors have not been told this decision."""
        return self.state in DECISION_STATES and self.notified_decision != self.state

    @property
    def is_notified_acceptance(self) -> bool:
        """Accepted, and the authors were told so: the participation can be confirmed."""
        return self.state in ACCEPTED_STATES and self.notified_decision in ACCEPTED_STATES

    def public_authors(self) -> list[SubmissionAuthor]:
        """Authors as the public may see them: none until the contribution is accepted."""
        if not self.is_accepted:
            return []
        return list(self.authors.all())

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class SubmissionAuthor(models.Model):
    """One author of a submission, in order; needs no account."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    is_presenting = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """The answer to one custom question: text, one option, several options or a boolean."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="cfp_answer_unique"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        if isinstance(self.value, bool):
            return "Yes" if self.value else "No"
        if isinstance(self.value, list):
            return ", ".join(str(v) for v in self.value)
        return "" if self.value is None else str(self.value)


def _pdf_path(instance: SubmissionFile, filename: str) -> str:
    # A generated name: the author's file name is kept only as data, never as a path.
    return f"cfp/{instance.submission.event.slug}/{uuid.uuid4().hex}.pdf"


class SubmissionFile(models.Model):
    """An uploaded PDF, kept for as long as any version refers to it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_pdf_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class SubmissionVersion(models.Model):
    """A snapshot of a submission as submitted; the history shows the changes between them."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    abstract_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="cfp_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.submission.code} v{self.number}"


class Extension(models.Model):
    """A later deadline for one author, claimed through a signed access link.

    With `submission` set it applies to that submission only; otherwise to any submission of
    the author who claims it (the first signed-in user to open the link, whose address must be
    `email`).
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="extensions")
    email = models.EmailField()
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="extensions"
    )
    until = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Extension for {self.email} until {self.until:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """One decision on a submission, or its undoing: the log kept by cfp.decisions."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="decision_log"
    )
    from_state = models.CharField(max_length=20, choices=SubmissionState.choices)
    to_state = models.CharField(max_length=20, choices=SubmissionState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.submission.code}: {self.from_state} -> {self.to_state}"


class NotificationTemplate(models.Model):
    """The organisers' text of one kind of notification, in the sandboxed template language.

    See common.mail_templates for what the text may contain and cfp.notifications for its
    variables; the defaults come from templates/mail/decision_<kind>.txt.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="notification_templates"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="cfp_template_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.event})"


class NotificationBatch(models.Model):
    """One sending of notifications: the text used, who sent it, and the report.

    `report` is {"sent": [{"code", "title", "to": [addresses]}], "skipped": [{"code", "title",
    "reason"}]}. `idempotency_key` is the send form's token: a replayed form finds this batch
    instead of sending again.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="notification_batches"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    audience = models.CharField(max_length=12, choices=Audience.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    idempotency_key = models.UUIDField(unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mail_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mail_count} mails ({self.created:%Y-%m-%d %H:%M})"


class Notification(models.Model):
    """The notification of one submission within a batch: the decision told and to whom."""

    batch = models.ForeignKey(
        NotificationBatch, on_delete=models.CASCADE, related_name="notifications"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="notifications"
    )
    state = models.CharField(max_length=20, choices=SubmissionState.choices)
    recipients = models.JSONField(default=list)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.submission.code} -> {', '.join(self.recipients)}"
