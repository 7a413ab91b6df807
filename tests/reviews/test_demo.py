"""Demo data: showcase is idempotent, fill makes a committee, an assignment and reviews."""

import random

from symposia.cfp import demo as cfp_demo
from symposia.reviews import demo
from symposia.reviews.models import Assignment, AssignmentRun, Criterion, Review, Reviewer


def test_showcase_is_idempotent(event):
    demo.showcase(event, log=lambda msg: None)
    demo.showcase(event, log=lambda msg: None)
    assert list(Criterion.objects.values_list("label", flat=True)) == [
        "Originality",
        "Clarity",
        "Relevance",
    ]
    assert event.review_settings.review_deadline is not None


def test_fill(event):
    rng = random.Random(1)
    cfp_demo.fill(event, rng=rng, options={"submissions": 12}, log=lambda msg: None)
    demo.fill(event, rng=rng, options={"reviewers": 6}, log=lambda msg: None)
    assert Reviewer.objects.filter(event=event).count() == 6
    assert AssignmentRun.objects.get().status == "done"
    assert Assignment.objects.count() == 12 * 3
    assert Review.objects.filter(state="submitted").count() > 0
    assert all(r.versions.count() == 1 for r in Review.objects.all())
