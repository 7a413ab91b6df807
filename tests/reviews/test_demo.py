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


def test_fill_leaves_settings_an_organiser_can_rerun(event):
    """The demo's loads are the settings' too: the first run from the page must not fail."""
    from symposia.reviews import assigning

    rng = random.Random(1)
    cfp_demo.fill(event, rng=rng, options={"submissions": 30}, log=lambda msg: None)
    demo.fill(event, rng=rng, options={"reviewers": 6}, log=lambda msg: None)

    params = assigning.Parameters.from_settings(event)
    run = assigning.start_run(event, params=params, by=None)

    assert params.max_load == 16  # 30 x 3 reviews among 6 reviewers, plus one
    assert run.status == "done", run.messages
