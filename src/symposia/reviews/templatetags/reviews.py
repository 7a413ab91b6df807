"""Template filters of the reviews pages."""

from django import template

from ..domain import get_settings
from ..enums import Confidence, Recommendation, ReviewState
from ..models import Review

register = template.Library()


@register.filter
def get_score(scores, criterion_id) -> str:
    """The score given to a criterion, '—' when none."""
    value = (scores or {}).get(str(criterion_id))
    return "—" if value is None else str(value)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{100 * float(value):.0f} %"


@register.filter
def recommendation_label(value) -> str:
    return dict(Recommendation.choices).get(value, "—")


@register.filter
def confidence_label(value) -> str:
    return dict(Confidence.choices).get(value, "—")


@register.simple_tag
def released_review_count(submission) -> int:
    """How many reviews of `submission` its authors may read: submitted ones with comments to
    the authors, once the organisers have released reviews; 0 before (for the call's pages,
    which link to the reviews page only when there is something to read)."""
    if submission.is_draft or not get_settings(submission.event).reviews_released_to_authors:
        return 0
    return (
        Review.objects.filter(submission=submission, state=ReviewState.SUBMITTED)
        .exclude(comments_to_authors="")
        .count()
    )
