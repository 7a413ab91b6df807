"""Text affinity: best match over a reviewer's texts, cached and recomputed incrementally."""

import numpy as np

from symposia.reviews import domain
from symposia.reviews.matching import score_matrix, update_affinity
from symposia.reviews.models import AffinityScore


def test_best_match_over_papers():
    subs = ["Wasserstein gradient flows and optimal transport", "Sparse regression lasso"]
    reviewers = [
        (["Unrelated paper on bees"], "optimal transport"),
        (["lasso sparse regression"], ""),
        ([], ""),
    ]
    scores = score_matrix(subs, reviewers)
    assert scores.shape == (2, 3)
    assert scores[0, 0] > scores[0, 1] and scores[1, 1] > scores[1, 0]
    assert np.all(scores[:, 2] == 0)
    assert np.all((scores >= 0) & (scores <= 1))


def test_empty_inputs():
    assert score_matrix([], [(["x"], "")]).shape == (0, 1)
    assert score_matrix(["the and of"], [(["the"], "")]).tolist() == [[0.0]]


def scores_by_pair():
    return {
        (a.submission.title, a.reviewer.user.name): a.score
        for a in AffinityScore.objects.select_related("submission", "reviewer__user")
    }


def test_incremental_update(subs, committee):
    domain.update_profile(committee["rita"], keywords="optimal transport")
    domain.update_profile(committee["cora"], keywords="stochastic gradient descent")
    first = update_affinity(subs["A"].event)
    assert (first.reviewers, first.submissions) == (2, 2)
    pairs = scores_by_pair()
    assert pairs[("Adam's $L^2$ estimates", "Rita Reviewer")] > 0
    assert pairs[("Bob's gradient flows", "Cora Conflicted")] > 0

    again = update_affinity(subs["A"].event)
    assert (again.reviewers, again.submissions, again.stored) == (0, 0, 0)

    domain.update_profile(
        committee["cora"], keywords="gradient", add_papers=[("Transport maps", "Monge")]
    )
    changed = update_affinity(subs["A"].event)
    assert (changed.reviewers, changed.submissions) == (1, 0)
    assert (
        scores_by_pair()[("Adam's $L^2$ estimates", "Rita Reviewer")]
        == pairs[("Adam's $L^2$ estimates", "Rita Reviewer")]
    )


def test_keep_limits_rows_per_submission(subs, committee):
    domain.update_profile(committee["rita"], keywords="transport gradient")
    domain.update_profile(committee["cora"], keywords="transport gradient flows")
    update_affinity(subs["A"].event, keep=1)
    per_submission = {}
    for sid in AffinityScore.objects.values_list("submission_id", flat=True):
        per_submission[sid] = per_submission.get(sid, 0) + 1
    assert max(per_submission.values()) == 1
