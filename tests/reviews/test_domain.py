"""Bids, the review deadline (frozen time on both sides), versions and weighted scores."""

import datetime as dt

import pytest
import time_machine

from symposia.reviews import domain
from symposia.reviews.enums import BidValue, ReviewState
from symposia.reviews.models import Bid, Conflict, Criterion, Review, ReviewVersion
from tests.reviews.conftest import assign

DEADLINE = dt.datetime(2026, 7, 1, 21, 59, 59, tzinfo=dt.UTC)  # 22:59:59 BST


def data(criteria, **extra):
    values = {
        "scores": {c.pk: 3 for c in criteria},
        "recommendation": 3,
        "confidence": 2,
        "comments_to_authors": "Text",
    }
    values.update(extra)
    return domain.ReviewData(**values)


@pytest.fixture
def assigned(subs, committee, config, criteria):
    config.review_deadline = DEADLINE
    config.save()
    assign(subs["B"], committee["rita"])
    return subs["B"], committee["rita"]


def test_review_until_deadline_to_the_second(assigned, criteria):
    submission, reviewer = assigned
    with time_machine.travel(DEADLINE + dt.timedelta(microseconds=900_000), tick=False):
        review = domain.save_review(submission, reviewer=reviewer, data=data(criteria), submit=True)
    assert review.state == ReviewState.SUBMITTED
    late = time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False)
    with late, pytest.raises(domain.ReviewError, match="deadline .* has passed"):
        domain.save_review(
            submission,
            reviewer=reviewer,
            data=data(criteria, comments_to_authors="late"),
            submit=True,
        )
    assert Review.objects.get().comments_to_authors == "Text"


def test_review_page_closed_after_deadline(client, assigned, criteria, rita):
    from django.urls import reverse

    submission, _ = assigned
    link = reverse("reviews:review", kwargs={"event": "mathml2020", "code": submission.code})
    client.force_login(rita)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=1), tick=False):
        page = client.get(link).content.decode()
        assert "The review deadline has passed" in page
        response = client.post(link, {"comments_to_authors": "late", "action": "draft"})
        assert "has passed" in response.content.decode()
    assert Review.objects.count() == 0


def test_every_save_is_a_version(assigned, criteria):
    submission, reviewer = assigned
    with time_machine.travel(DEADLINE - dt.timedelta(days=2), tick=False):
        domain.save_review(
            submission,
            reviewer=reviewer,
            data=domain.ReviewData(comments_to_authors="v1"),
            submit=False,
        )
        domain.save_review(submission, reviewer=reviewer, data=data(criteria), submit=True)
        domain.save_review(
            submission,
            reviewer=reviewer,
            data=data(criteria, comments_to_authors="v3"),
            submit=False,
        )
    review = Review.objects.get()
    assert review.state == ReviewState.SUBMITTED  # a submitted review stays submitted
    assert list(
        ReviewVersion.objects.order_by("number").values_list(
            "number", "data__state", "data__comments_to_authors"
        )
    ) == [(1, "draft", "v1"), (2, "submitted", "Text"), (3, "submitted", "v3")]


def test_submit_incomplete_is_refused(assigned, criteria):
    submission, reviewer = assigned
    before = time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False)
    with before, pytest.raises(domain.ReviewError, match="Originality, Clarity, Overall"):
        domain.save_review(submission, reviewer=reviewer, data=domain.ReviewData(), submit=True)


def test_unassigned_and_conflicted_cannot_review(subs, committee, config, criteria):
    with pytest.raises(domain.ReviewError):
        domain.save_review(subs["B"], reviewer=committee["rita"], data=data(criteria), submit=False)
    from symposia.reviews.models import Assignment

    Assignment.objects.create(submission=subs["A"], reviewer=committee["cora"])
    with pytest.raises(domain.ReviewError):
        domain.save_review(subs["A"], reviewer=committee["cora"], data=data(criteria), submit=False)


def test_weighted_score(event):
    a = Criterion.objects.create(event=event, label="A", scale_min=1, scale_max=5, weight=3)
    b = Criterion.objects.create(event=event, label="B", scale_min=0, scale_max=10, weight=1)
    z = Criterion.objects.create(event=event, label="Z", scale_min=1, scale_max=5, weight=0)
    assert domain.weighted_score({str(a.pk): 5, str(b.pk): 0, str(z.pk): 1}, [a, b, z]) == 0.75
    assert domain.weighted_score({}, [a, b]) is None


def test_bids_and_conflict_bid(subs, committee, rita):
    reviewer = committee["rita"]
    assert domain.set_bids(reviewer, {subs["A"]: BidValue.EAGER, subs["B"]: BidValue.WILLING}) == 2
    assert domain.set_bids(reviewer, {subs["A"]: BidValue.EAGER}) == 0
    assert domain.set_bids(reviewer, {subs["A"]: ""}) == 1
    domain.set_bids(reviewer, {subs["B"]: BidValue.CONFLICT})
    assert list(Bid.objects.values_list("submission__code", "value")) == [
        (subs["B"].code, "conflict")
    ]
    assert Conflict.objects.filter(user=rita, submission=subs["B"]).exists()
    with pytest.raises(domain.ReviewError):
        domain.set_bids(reviewer, {subs["B"]: BidValue.EAGER})  # hidden now


def test_cannot_bid_on_drafts_or_conflicts(subs, committee):
    for code in ("C", "D"):
        with pytest.raises(domain.ReviewError):
            domain.set_bids(committee["rita"], {subs[code]: BidValue.EAGER})
    with pytest.raises(domain.ReviewError):
        domain.set_bids(committee["cora"], {subs["A"]: BidValue.EAGER})
