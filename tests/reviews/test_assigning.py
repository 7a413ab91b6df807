"""Reading an event into an assignment problem, and storing runs."""

from symposia.reviews import assigning, domain
from symposia.reviews.enums import BidValue, RunStatus
from symposia.reviews.models import Assignment, ForbiddenPair, Review
from tests.reviews.conftest import assign


def test_load_problem(subs, committee, event):
    from symposia.cfp.models import ContributionType

    ContributionType.objects.filter(event=event, name="Poster").update(reviewers_per_submission=2)
    domain.set_bids(committee["rita"], {subs["B"]: BidValue.EAGER})
    ForbiddenPair.objects.create(submission=subs["B"], reviewer=committee["cora"])
    committee["rita"].max_load = 9
    committee["rita"].save()
    loaded = assigning.load_problem(event, assigning.Parameters(k=1, max_load=4))
    problem = loaded.problem
    titles = [s.title for s in loaded.submissions]
    names = [r.user.name for r in loaded.reviewers]
    assert titles == ["Adam's $L^2$ estimates", "Bob's gradient flows"]  # A and B only
    assert names == ["Rita Reviewer", "Cora Conflicted"]
    assert problem.k.tolist() == [2, 2]  # the poster type overrides k
    assert problem.max_load.tolist() == [9, 4]
    assert problem.conflicts.tolist() == [[0, 1]]  # cora and A
    assert problem.forbidden.tolist() == [[1, 1]]
    assert problem.bids.tolist() == [[1, 0]] and problem.bid_kinds.tolist() == [1]
    assert problem.affinity.shape == (2, 2)


def test_started_reviews_are_kept(subs, committee, event, criteria):
    assign(subs["B"], committee["cora"])
    Assignment.objects.filter(submission=subs["B"]).update(source="auto")
    Review.objects.create(submission=subs["B"], reviewer=committee["cora"])
    loaded = assigning.load_problem(event, assigning.Parameters(k=1))
    assert loaded.problem.pinned.tolist() == [[1, 1]]


def test_run_stores_report(subs, committee, event, alice):
    run = assigning.start_run(event, params=assigning.Parameters(k=1, max_load=2), by=alice)
    assert run.status == RunStatus.DONE
    assert run.report["n_pairs"] == 2
    assert run.report["submissions"] == 2
    assert sum(run.report["load_histogram"].values()) == 2
