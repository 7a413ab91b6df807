"""Registration: per-event settings, categories, custom questions, registrations and answers.

State changes live in `registration.domain`; these models hold fields, constraints and small
read-only helpers.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from .enums import ACTIVE, Diet, QuestionKind, Role, Status

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the venue desk
CODE_LENGTH = 8


def new_code() -> str:
    """A fresh registration code: 8 characters from a 32-letter alphabet (40 random bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RegistrationSettings(models.Model):
    """One per event: the registration window, capacity and waitlist rules.

    `opens_at`/`closes_at` are stored in UTC and entered in the event's time zone. The row is
    also the lock that serialises every capacity-changing transition of the event
    (`select_for_update` in `registration.domain`), and `next_sequence` hands out the
    monotonic numbers that order the waitlist.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="registration_settings"
    )
    opens_at = models.DateTimeField(
        null=True, blank=True, help_text="Registration opens at this time (event's time zone)."
    )
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text="Registration closes at this time; empty: stays open."
    )
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places for the whole event; empty: unlimited."
    )
    confirm_within_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text="How long someone promoted from the waitlist has to confirm their place.",
    )
    exempt_outside_capacity = models.BooleanField(
        "invited speakers and organisers do not count toward capacity",
        default=True,
        help_text="Applies to registrations that organisers add as invited speaker or organiser.",
    )
    information = models.TextField(
        blank=True, help_text="Shown above the registration form. Markdown and maths."
    )
    letter_signatory = models.TextField(
        blank=True,
        help_text="Who signs invitation letters: name, role and institution, one per line.",
    )
    next_sequence = models.PositiveBigIntegerField(default=1, editable=False)

    class Meta:
        verbose_name_plural = "registration settings"

    def __str__(self) -> str:
        return f"Registration settings of {self.event}"

    def is_open(self, now: dt.datetime) -> bool:
        """True when `now` (aware) is inside [opens_at, closes_at); never open without opens_at."""
        if self.opens_at is None or now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    @property
    def offer_period(self) -> dt.timedelta:
        return dt.timedelta(hours=self.confirm_within_hours)


class Category(models.Model):
    """A registration category (student, academic, industry...) with an optional capacity.

    The fee is recorded for information only: payment happens elsewhere and organisers tick
    'paid' by hand. Categories that are not public can only be chosen by organisers.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registration_categories"
    )
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    fee = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="For information; empty: no fee shown.",
    )
    currency = models.CharField(max_length=3, blank=True, help_text="e.g. GBP, EUR.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places in this category; empty: only the event's limit."
    )
    is_public = models.BooleanField(
        "offered on the public form",
        default=True,
        help_text="Untick for categories only organisers assign (e.g. invited speakers).",
    )
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="registration_category_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def fee_display(self) -> str:
        if self.fee is None:
            return ""
        return f"{self.fee:.2f} {self.currency}".strip()


class RegistrationQuestion(models.Model):
    """A custom question on the registration form (e.g. 'Will you join the dinner?')."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registration_questions"
    )
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    options = models.TextField(blank=True, help_text="For choices: one option per line.")
    required = models.BooleanField(default=False)
    order = models.IntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Registration(models.Model):
    """One person's registration for an event.

    `user` is set when the person was signed in; anyone else manages the registration through
    the signed link in their mail. `sequence` orders the waitlist (lower waits longer).
    `exempt` marks registrations organisers added for invited speakers and organisers; whether
    they count toward capacity is `RegistrationSettings.exempt_outside_capacity`.
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    name = models.CharField(max_length=200, help_text="As it should appear on your badge.")
    email = models.EmailField()
    affiliation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    exempt = models.BooleanField(default=False, editable=False)

    diet = models.CharField(
        "dietary requirements", max_length=20, choices=Diet.choices, default=Diet.NONE
    )
    dietary_notes = models.CharField(
        max_length=500, blank=True, help_text="Allergies or anything the caterer should know."
    )
    accessibility = models.TextField(
        "accessibility needs",
        blank=True,
        max_length=2000,
        help_text="Anything that would help you take part.",
    )
    presents_poster = models.BooleanField("I will present a poster", default=False)
    submission_code = models.CharField(
        max_length=40,
        blank=True,
        help_text="The code of your accepted submission, if you have one.",
    )
    consent_public_list = models.BooleanField(
        "show my name, affiliation and country in the public list of participants", default=False
    )
    needs_visa_letter = models.BooleanField("I need an invitation letter for a visa", default=False)
    passport_name = models.CharField(
        "name as in passport", max_length=200, blank=True, help_text="Only organisers see this."
    )
    nationality = models.CharField(
        max_length=100, blank=True, help_text="Only organisers see this."
    )

    status = models.CharField(max_length=12, choices=Status.choices, editable=False)
    sequence = models.PositiveBigIntegerField(editable=False)
    offered_at = models.DateTimeField(null=True, blank=True, editable=False)
    offer_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    paid = models.BooleanField(default=False, editable=False)
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=models.Q(status__in=ACTIVE),
                name="registration_one_active_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "sequence"], name="registration_unique_sequence"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "sequence"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def holds_place(self) -> bool:
        return self.status in (Status.CONFIRMED, Status.OFFERED)


class RegistrationAnswer(models.Model):
    """The answer to one custom question; `value` is a string, number, bool or list of strings."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="registration_answer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        """The answer as text: lists joined with '; ', booleans as Yes/No."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        return str(value)
