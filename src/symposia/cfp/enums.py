"""Choices of the call for contributions (TextChoices, stored as their value)."""

from django.db import models


class SubmissionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # Set by the review process (reviews app) through domain.set_decision_state.
    ACCEPTED_POSTER = "accepted_poster", "Accepted as poster"
    ACCEPTED_TALK = "accepted_talk", "Accepted as talk"
    REJECTED = "rejected", "Rejected"
    WAITLISTED = "waitlisted", "Waitlisted"


DECISION_STATES = frozenset(
    {
        SubmissionState.ACCEPTED_POSTER,
        SubmissionState.ACCEPTED_TALK,
        SubmissionState.REJECTED,
        SubmissionState.WAITLISTED,
    }
)
ACCEPTED_STATES = frozenset({SubmissionState.ACCEPTED_POSTER, SubmissionState.ACCEPTED_TALK})


class DeadlineZone(models.TextChoices):
    EVENT = "event", "The event's time zone"
    AOE = "aoe", "Anywhere on Earth (AoE, UTC−12)"


class LengthUnit(models.TextChoices):
    WORDS = "words", "words"
    CHARACTERS = "characters", "characters"


class PdfRequirement(models.TextChoices):
    NONE = "none", "No PDF"
    OPTIONAL = "optional", "Optional"
    REQUIRED = "required", "Required"


class QuestionKind(models.TextChoices):
    SHORT = "short", "Short text"
    LONG = "long", "Long text"
    CHOICE = "choice", "Choice (one option)"
    MULTIPLE = "multiple", "Multiple choice"
    CHECKBOX = "checkbox", "Checkbox"


class QuestionVisibility(models.TextChoices):
    REVIEWERS = "reviewers", "Reviewers and organisers"
    ORGANISERS = "organisers", "Organisers only"


class NotificationKind(models.TextChoices):
    """Which notification template: one per decision, and one free message."""

    ACCEPT_POSTER = "accept_poster", "Accepted as poster"
    ACCEPT_TALK = "accept_talk", "Accepted as talk"
    REJECT = "reject", "Rejected"
    WAITLIST = "waitlist", "Waitlisted"
    CUSTOM = "custom", "Custom message"


# The decision each notification template announces (the custom message announces none).
KIND_FOR_DECISION = {
    SubmissionState.ACCEPTED_POSTER: NotificationKind.ACCEPT_POSTER,
    SubmissionState.ACCEPTED_TALK: NotificationKind.ACCEPT_TALK,
    SubmissionState.REJECTED: NotificationKind.REJECT,
    SubmissionState.WAITLISTED: NotificationKind.WAITLIST,
}
DECISION_FOR_KIND = {kind: state for state, kind in KIND_FOR_DECISION.items()}


class Audience(models.TextChoices):
    """Who receives a notification of a submission (the submitting account always does)."""

    PRESENTING = "presenting", "The presenting author (and the submitting account)"
    ALL = "all", "All authors (and the submitting account)"


class Participation(models.TextChoices):
    """The presenting author's answer after an acceptance."""

    PENDING = "pending", "Not confirmed yet"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class BulkAction(models.TextChoices):
    """Actions of the decisions list; each maps to one function of cfp.decisions."""

    ACCEPT_POSTER = "accepted_poster", "Accept as poster"
    ACCEPT_TALK = "accepted_talk", "Accept as talk"
    REJECT = "rejected", "Reject"
    WAITLIST = "waitlisted", "Waitlist"
    UNDO = "submitted", "Undo the decision (back to submitted)"
