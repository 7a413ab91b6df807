"""What the reviews app adds to decision notifications (see cfp.notifications)."""

from .domain import get_settings
from .enums import ReviewState
from .models import Review


def released_reviews(submission) -> dict[str, object]:
    """`{"reviews": [{"number": 1, "comments": "..."}, ...]}` with the comments to authors of
    the submitted reviews, numbered, without reviewer names; an empty list until organisers
    release reviews to authors. Confidential comments never appear."""
    if not get_settings(submission.event).reviews_released_to_authors:
        return {"reviews": []}
    comments = (
        Review.objects.filter(submission=submission, state=ReviewState.SUBMITTED)
        .exclude(comments_to_authors="")
        .order_by("submitted_at", "pk")
        .values_list("comments_to_authors", flat=True)
    )
    return {
        "reviews": [
            {"number": number, "comments": text} for number, text in enumerate(comments, 1)
        ]
    }
