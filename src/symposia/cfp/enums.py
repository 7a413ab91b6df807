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
