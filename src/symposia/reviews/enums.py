"""Choices of peer review (TextChoices/IntegerChoices, stored as their value)."""

from django.db import models


class ReviewerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Removed from the committee"


class InvitationState(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Revoked"


class BidValue(models.TextChoices):
    EAGER = "eager", "Eager"
    WILLING = "willing", "Willing"
    NOT_WILLING = "not_willing", "Not willing"
    CONFLICT = "conflict", "Conflict of interest"


class ConflictSource(models.TextChoices):
    DECLARED_BY_AUTHOR = "declared_by_author", "Declared by an author"
    DECLARED_BY_REVIEWER = "declared_by_reviewer", "Declared by the reviewer"
    AFFILIATION = "affiliation", "Same affiliation"
    EMAIL_DOMAIN = "email_domain", "Same email domain"
    COAUTHOR = "coauthor", "Co-authors in this event"
    AUTHOR = "author", "Reviewer is an author"
    ORGANISER = "organiser", "Added by the organisers"


DETECTED_SOURCES = frozenset(
    {
        ConflictSource.AFFILIATION,
        ConflictSource.EMAIL_DOMAIN,
        ConflictSource.COAUTHOR,
        ConflictSource.AUTHOR,
    }
)


class ConflictStatus(models.TextChoices):
    DETECTED = "detected", "Detected, not yet reviewed"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Recommendation(models.IntegerChoices):
    STRONG_REJECT = 1, "Strong reject"
    REJECT = 2, "Reject"
    BORDERLINE = 3, "Borderline"
    ACCEPT = 4, "Accept"
    STRONG_ACCEPT = 5, "Strong accept"


class Confidence(models.IntegerChoices):
    LOW = 1, "Low: an educated guess"
    MEDIUM = 2, "Medium: familiar with the area"
    HIGH = 3, "High: I work in this area"
    EXPERT = 4, "Expert: I know the literature in detail"


class AssignmentSource(models.TextChoices):
    AUTO = "auto", "Automatic"
    PINNED = "pinned", "Pinned by the organisers"
    MANUAL = "manual", "Added by hand"


KEPT_SOURCES = frozenset({AssignmentSource.PINNED, AssignmentSource.MANUAL})


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    INFEASIBLE = "infeasible", "No assignment possible"
    FAILED = "failed", "Failed"
