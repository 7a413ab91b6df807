"""Template filters of the reviews pages."""

from django import template

from ..enums import Confidence, Recommendation

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
