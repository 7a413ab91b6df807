"""What the reviews app adds to decision notifications (see cfp.notifications)."""

from .domain import get_settings
from .enums import ReviewState
from .models import Review


def released_reviews(submission) -> dict[str, object]:
    """`{"reviews": ["...", ...]}`: the comments to authors of the submitted reviews, as
    texts in the order they were submitted, without reviewer names; an empty list until
    organisers release reviews to authors. Confidential comments never appear.

    Texts, as cfp.notifications documents `reviews` and as its default templates print them
    (`{{ review }}`); `{{ forloop.counter }}` numbers them.
    """
    if not get_settings(submission.event).reviews_released_to_authors:
        return {"reviews": []}
    comments = (
        Review.objects.filter(submission=submission, state=ReviewState.SUBMITTED)
        .exclude(comments_to_authors="")
        .order_by("submitted_at", "pk")
        .values_list("comments_to_authors", flat=True)
    )
    return {"reviews": list(comments)}
