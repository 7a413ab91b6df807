"""Demo data for peer review: `showcase` sets up the review form of the served demo event;
`fill` adds a committee with expertise, bids, conflicts, an assignment and some reviews
(`symposia demo SLUG --reviewers M`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from symposia.accounts.models import User
from symposia.cfp.demo import FIRST, LAST, PLACES
from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission

from . import assigning, domain
from .enums import BidValue, Confidence, Recommendation, ReviewState
from .models import (
    Assignment,
    Bid,
    Criterion,
    Review,
    Reviewer,
    ReviewerPaper,
    ReviewVersion,
)

CRITERIA = [
    ("Originality", "Is the question or the method new?"),
    ("Clarity", "Is the abstract clear and the result well stated?"),
    ("Relevance", "Does it fit the mathematics of machine learning?"),
]
LABELS = {"1": "poor", "2": "weak", "3": "fair", "4": "good", "5": "excellent"}
EXPERTISE = [
    ("optimisation", "Stochastic gradient methods for nonconvex problems"),
    ("optimal transport", "Entropic optimal transport and Sinkhorn iterations"),
    ("inverse problems", "Variational regularisation for imaging inverse problems"),
    ("statistics", "Concentration inequalities for empirical processes"),
    ("numerical analysis", "Stability of explicit schemes for neural ODEs"),
    ("dynamical systems", "Mean-field limits of interacting particle systems"),
]
# Reviewers mostly come from other places than the authors, so that a few conflicts of
# interest are detected without making small demo committees infeasible.
REVIEWER_PLACES = [
    ("University of Oxford", "UK"),
    ("EPFL", "Switzerland"),
    ("Sorbonne Université", "France"),
    ("University of Tokyo", "Japan"),
    ("McGill University", "Canada"),
    ("Universität Bonn", "Germany"),
]
COMMENTS = [
    "Clear statement; the rate $O(n^{-1/2})$ deserves a comparison with known lower bounds.",
    "A nice poster topic. Please define $\\mathcal{F}$ before using it.",
    "The assumptions on $f$ (convexity, $L$-smoothness) should be stated in the abstract.",
]


@transaction.atomic
def showcase(event, *, log=print) -> None:
    """Review settings (deadline in 45 days, 3 reviewers per submission, double-blind) and
    the criteria Originality, Clarity, Relevance on 1–5, each only if missing. Idempotent."""
    config = domain.get_settings(event)
    if config.review_deadline is None:
        local = (timezone.now() + dt.timedelta(days=45)).astimezone(event.tzinfo)
        config.review_deadline = local.replace(hour=23, minute=59, second=59, microsecond=0)
        config.save(update_fields=["review_deadline"])
    if not Criterion.objects.filter(event=event).exists():
        Criterion.objects.bulk_create(
            Criterion(
                event=event,
                label=label,
                description=description,
                scale_min=1,
                scale_max=5,
                labels=LABELS,
                position=position,
            )
            for position, (label, description) in enumerate(CRITERIA)
        )
    log(f"Review form ready; reviews due {domain.format_moment(event, config.review_deadline)}.")


def fill(event, *, rng, options: dict, log=print) -> None:
    """Create `options['reviewers']` reviewers with keywords and papers, bids, detected
    conflicts, one assignment run and submitted reviews for about 40 % of the assignments."""
    count = int(options.get("reviewers") or 0)
    if count <= 0:
        return
    showcase(event, log=log)
    serial = User.objects.count()
    people = []
    for i in range(count):
        place, country = rng.choice(PLACES if rng.random() < 0.1 else REVIEWER_PLACES)
        email = f"reviewer{serial + i}.{rng.getrandbits(24):06x}@example.org"
        people.append((f"{rng.choice(FIRST)} {rng.choice(LAST)}", email, place, country))
    users = User.objects.bulk_create(
        User(
            email=email,
            username=email,
            name=name,
            affiliation=place,
            country=country,
            email_verified=True,
        )
        for name, email, place, country in people
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    reviewers = Reviewer.objects.bulk_create(
        Reviewer(event=event, user=user, keywords=", ".join(_keywords(rng))) for user in users
    )
    papers = []
    for reviewer in reviewers:
        for _ in range(rng.randint(1, 3)):
            keyword, title = rng.choice(EXPERTISE)
            papers.append(
                ReviewerPaper(
                    reviewer=reviewer,
                    title=f"{title} ({rng.randint(2012, 2020)})",
                    abstract=f"We study {keyword} with applications to machine learning.",
                )
            )
    ReviewerPaper.objects.bulk_create(papers)
    submissions = list(
        Submission.objects.filter(event=event, state=SubmissionState.SUBMITTED).only("pk")
    )
    bids = []
    for reviewer in reviewers:
        for submission in rng.sample(submissions, min(len(submissions), rng.randint(0, 12))):
            value = rng.choice(
                [BidValue.EAGER, BidValue.WILLING, BidValue.WILLING, BidValue.NOT_WILLING]
            )
            bids.append(Bid(reviewer=reviewer, submission=submission, value=value))
    Bid.objects.bulk_create(bids, ignore_conflicts=True)
    detected = domain.detect_conflicts(event)
    log(f"{count} reviewers, {len(bids)} bids, {detected.total} conflicts detected.")
    if not submissions:
        return
    params = assigning.Parameters.from_settings(event)
    needed = len(submissions) * params.k
    params.max_load = max(params.max_load, -(-needed // count) + 1)
    params.min_load = 0
    # Saved, so that "Run the assignment" with the settings' defaults works on the demo too.
    config = domain.get_settings(event)
    config.max_load, config.min_load = params.max_load, params.min_load
    config.save(update_fields=["max_load", "min_load"])
    run = assigning.start_run(event, params=params, by=None)
    run.refresh_from_db()
    log(f"Assignment run {run.pk}: {run.get_status_display()}. {' '.join(run.messages)}")
    _reviews(event, rng)


def _keywords(rng) -> list[str]:
    return [k for k, _ in rng.sample(EXPERTISE, 2)] + ["machine learning"]


def _reviews(event, rng) -> None:
    criteria = list(Criterion.objects.filter(event=event))
    now = timezone.now()
    reviews = []
    for a in Assignment.objects.filter(submission__event=event):
        if rng.random() > 0.4:
            continue
        scores = {str(c.pk): rng.randint(c.scale_min, c.scale_max) for c in criteria}
        reviews.append(
            Review(
                submission_id=a.submission_id,
                reviewer_id=a.reviewer_id,
                scores=scores,
                recommendation=rng.choice(Recommendation.values),
                confidence=rng.choice(Confidence.values),
                comments_to_authors=rng.choice(COMMENTS),
                weighted_score=domain.weighted_score(scores, criteria),
                state=ReviewState.SUBMITTED,
                submitted_at=now - dt.timedelta(hours=rng.randint(1, 200)),
            )
        )
    Review.objects.bulk_create(reviews, ignore_conflicts=True)
    saved = Review.objects.filter(submission__event=event, versions__isnull=True).select_related(
        "reviewer"
    )
    ReviewVersion.objects.bulk_create(
        ReviewVersion(
            review=r,
            number=1,
            data={
                "state": r.state,
                "scores": r.scores,
                "recommendation": r.recommendation,
                "confidence": r.confidence,
                "comments_to_authors": r.comments_to_authors,
                "confidential_comments": "",
                "weighted_score": r.weighted_score,
            },
            created=r.submitted_at or now,
            created_by_id=r.reviewer.user_id,
        )
        for r in saved
    )
