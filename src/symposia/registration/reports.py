"""Counts and tables for organisers: per status and category, the caterer's summary, exports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from .enums import HOLDING, Diet, Status
from .models import Category, Registration


@dataclass
class CategoryCount:
    category: Category | None
    by_status: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return self.category.name if self.category else "No category"

    @property
    def holding(self) -> int:
        return self.by_status[Status.CONFIRMED] + self.by_status[Status.OFFERED]


def status_counts(event) -> Counter:
    """How many registrations of `event` are in each status (one query)."""
    rows = Registration.objects.filter(event=event).values_list("status").annotate(n=Count("id"))
    return Counter(dict(rows))


def category_counts(event) -> list[CategoryCount]:
    """Per category (in the categories' order, then 'No category' if any), counts per status
    (two queries)."""
    rows = (
        Registration.objects.filter(event=event)
        .values_list("category", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int | None, Counter] = {}
    for category_id, status, n in rows:
        counts.setdefault(category_id, Counter())[status] = n
    result = [
        CategoryCount(category, counts.get(category.pk, Counter()))
        for category in Category.objects.filter(event=event)
    ]
    if None in counts:
        result.append(CategoryCount(None, counts[None]))
    return result


def diet_summary(event) -> list[tuple[str, int]]:
    """(diet label, number of people) among those who hold a place, largest first, for the
    caterer (one query)."""
    rows = (
        Registration.objects.filter(event=event, status__in=HOLDING)
        .values_list("diet")
        .annotate(n=Count("id"))
        .order_by("-n", "diet")
    )
    labels = dict(Diet.choices)
    return [(labels.get(diet, diet), n) for diet, n in rows]


EXPORT_COLUMNS = [
    "Code",
    "Status",
    "Waitlist position",
    "Name",
    "Email",
    "Affiliation",
    "Country",
    "Category",
    "Fee",
    "Currency",
    "Role",
    "Outside capacity",
    "Diet",
    "Dietary notes",
    "Accessibility needs",
    "Presents a poster",
    "Submission code",
    "Listed publicly",
    "Needs visa letter",
    "Name as in passport",
    "Nationality",
    "Paid",
    "Checked in at",
    "Registered at",
]


def export_table(event, registrations, questions) -> tuple[list[str], list[list]]:
    """Header and rows for a CSV/XLSX export: one row per registration (answers of
    `questions` as extra columns); times in the event's zone as 'YYYY-MM-DD HH:MM'.

    `registrations` should prefetch `answers` and select `category`."""
    positions = {
        sequence: index
        for index, sequence in enumerate(
            Registration.objects.filter(event=event, status=Status.WAITLISTED)
            .order_by("sequence")
            .values_list("sequence", flat=True),
            start=1,
        )
    }
    zone = event.tzinfo

    def when(value):
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M") if value else ""

    header = EXPORT_COLUMNS + [question.label for question in questions]
    rows = []
    for r in registrations:
        answers = {answer.question_id: answer.display for answer in r.answers.all()}
        category = r.category
        rows.append(
            [
                r.code,
                r.get_status_display(),
                positions.get(r.sequence, "") if r.status == Status.WAITLISTED else "",
                r.name,
                r.email,
                r.affiliation,
                r.country,
                category.name if category else "",
                f"{category.fee:.2f}" if category and category.fee is not None else "",
                category.currency if category else "",
                r.get_role_display(),
                "yes" if r.exempt else "no",
                r.get_diet_display(),
                r.dietary_notes,
                r.accessibility,
                "yes" if r.presents_poster else "no",
                r.submission_code,
                "yes" if r.consent_public_list else "no",
                "yes" if r.needs_visa_letter else "no",
                r.passport_name,
                r.nationality,
                "yes" if r.paid else "no",
                when(r.checked_in_at),
                when(r.created),
            ]
            + [answers.get(question.pk, "") for question in questions]
        )
    return header, rows
