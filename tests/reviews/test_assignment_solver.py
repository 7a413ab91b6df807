"""Reviewer assignment solver: constraints always hold and the objective is the LP optimum."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from symposia.reviews.assignment import (
    SCALE,
    AssignmentInfeasible,
    AssignmentProblem,
    Bid,
    organiser_edits,
    solve,
    with_edits,
)
from symposia.reviews.assignment.candidates import source_for

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def problems(draw, *, max_size: int = 12) -> AssignmentProblem:
    """Small random problems in dense or sparse form, feasible or not."""
    ns = draw(st.integers(1, max_size))
    nr = draw(st.integers(1, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    k = rng.integers(0, 4, ns) if draw(st.booleans()) else np.full(ns, draw(st.integers(0, 3)))
    # Capacity around the demand, so that both feasible and infeasible problems come up.
    room = int(k.sum()) * draw(st.sampled_from([0.8, 1.0, 1.5, 3.0])) / nr
    hi = np.ceil(room).astype(int) + rng.integers(0, 2, nr)
    lo = np.minimum(rng.integers(0, int(k.sum()) // nr + 2, nr), hi)
    if draw(st.booleans()):
        lo[:] = 0
    affinity = rng.random((ns, nr)).round(draw(st.sampled_from([1, 3, 6])))

    def some_pairs(p: float) -> np.ndarray:
        mask = rng.random((ns, nr)) < p
        return np.argwhere(mask)

    conflicts = some_pairs(draw(st.sampled_from([0.0, 0.1, 0.3])))
    forbidden = some_pairs(draw(st.sampled_from([0.0, 0.05])))
    pinned = some_pairs(draw(st.sampled_from([0.0, 0.03, 0.1])))
    if draw(st.booleans()):  # mostly pin pairs that may be assigned
        clash = np.isin(pinned[:, 0] * nr + pinned[:, 1], conflicts[:, 0] * nr + conflicts[:, 1])
        pinned = pinned[~clash]
    bids = some_pairs(draw(st.sampled_from([0.0, 0.2, 0.5])))
    kinds = rng.integers(0, 5, len(bids))
    common = {
        "k": k,
        "min_load": lo,
        "max_load": hi,
        "conflicts": conflicts,
        "forbidden": forbidden,
        "pinned": pinned,
        "bids": bids,
        "bid_kinds": kinds,
    }
    if draw(st.booleans()):
        return AssignmentProblem(ns, nr, affinity=affinity, **common)
    edges = some_pairs(draw(st.sampled_from([0.5, 0.9, 1.0])))
    return AssignmentProblem(
        ns, nr, edges=edges, edge_scores=affinity[edges[:, 0], edges[:, 1]], **common
    )


def integer_weights(problem: AssignmentProblem, pairs: np.ndarray) -> np.ndarray:
    weights = problem.pair_scores(pairs) + problem.pair_bonus(pairs)
    return np.rint(weights * SCALE).astype(np.int64)


def lp_optimum(problem: AssignmentProblem) -> int | None:
    """Best total integer weight by HiGHS on the LP relaxation over all eligible pairs,
    pinned pairs included; None when infeasible."""
    pairs = problem.eligible_pairs()
    ns, nr = problem.n_submissions, problem.n_reviewers
    pinned = problem.pinned
    pin_sub = np.bincount(pinned[:, 0], minlength=ns)
    pin_rev = np.bincount(pinned[:, 1], minlength=nr)
    pinned_weight = int(integer_weights(problem, pinned).sum())
    pinned_keys = problem.keys(pinned)
    blocked = np.concatenate([problem.conflict_keys(), problem.keys(problem.forbidden)])
    if np.isin(pinned_keys, blocked).any():
        return None
    m = len(pairs)
    a_sub = np.zeros((ns, m))
    a_sub[pairs[:, 0], np.arange(m)] = 1
    a_rev = np.zeros((nr, m))
    a_rev[pairs[:, 1], np.arange(m)] = 1
    need = problem.k - pin_sub
    room = problem.max_load - pin_rev
    least = np.maximum(problem.min_load - pin_rev, 0)
    if m == 0:
        ok = np.all(need == 0) and np.all(room >= 0) and np.all(least == 0)
        return pinned_weight if ok else None
    res = linprog(
        -integer_weights(problem, pairs).astype(float),
        A_ub=np.vstack([a_rev, -a_rev]),
        b_ub=np.concatenate([room, -least]),
        A_eq=a_sub,
        b_eq=need,
        bounds=(0, 1),
        method="highs",
    )
    if res.status == 2:
        return None
    assert res.status == 0, res.message
    return pinned_weight + round(-res.fun)


def assert_constraints_hold(problem: AssignmentProblem, pairs: np.ndarray) -> None:
    keys = problem.keys(pairs)
    assert np.unique(keys).size == keys.size, "a pair is assigned twice"
    per_sub = np.bincount(pairs[:, 0], minlength=problem.n_submissions)
    per_rev = np.bincount(pairs[:, 1], minlength=problem.n_reviewers)
    assert per_sub.tolist() == problem.k.tolist()
    assert np.all(per_rev >= problem.min_load)
    assert np.all(per_rev <= problem.max_load)
    assert not np.isin(keys, problem.conflict_keys()).any()
    assert not np.isin(keys, problem.keys(problem.forbidden)).any()
    assert np.isin(problem.keys(problem.pinned), keys).all()
    if problem.edges is not None:
        universe, _ = problem.sparse_universe()
        free = pairs[~np.isin(keys, problem.keys(problem.pinned))]
        assert np.isin(problem.keys(free), problem.keys(universe)).all()


@FAST
@given(problem=problems(), top_n=st.integers(1, 12))
def test_every_constraint_holds_and_the_objective_is_the_lp_optimum(problem, top_n):
    best = lp_optimum(problem)
    if best is None:
        with pytest.raises(AssignmentInfeasible) as error:
            solve(problem, top_n=top_n)
        assert error.value.reasons
        return
    result = solve(problem, top_n=top_n)
    assert_constraints_hold(problem, result.pairs)
    assert result.optimal
    assert result.objective_int == best
    assert result.objective_int == int(integer_weights(problem, result.pairs).sum())
    assert result.objective == pytest.approx(best / SCALE, abs=1e-4 * len(result.pairs) + 1e-9)


@FAST
@given(problem=problems(max_size=8))
def test_fairness_keeps_constraints_and_never_lowers_the_worst_off(problem):
    try:
        plain = solve(problem)
    except AssignmentInfeasible:
        return
    fair = solve(problem, fairness=True, fairness_rounds=5)
    assert_constraints_hold(problem, fair.pairs)
    worst_fair = fair.report.min_submission_affinity
    assert worst_fair >= plain.report.min_submission_affinity - 1e-12
    assert fair.fairness_bound is not None
    assert worst_fair <= fair.fairness_bound + 1e-9


def test_fairness_lifts_the_worst_off_submission():
    # Reviewer 0 suits both submissions best; plain maximisation gives it to
    # submission 0 (gain 0.9 + 0.1 = 1.0 against 0.6 + 0.35 = 0.95 the other way),
    # leaving submission 1 with 0.1. Fairness gives both at least 0.35.
    affinity = np.array([[0.9, 0.35], [0.6, 0.1]])
    problem = AssignmentProblem(2, 2, k=1, max_load=1, affinity=affinity)
    plain = solve(problem)
    fair = solve(problem, fairness=True)
    assert plain.pairs.tolist() == [[0, 0], [1, 1]]
    assert fair.pairs.tolist() == [[0, 1], [1, 0]]
    assert plain.report.min_submission_affinity == pytest.approx(0.1)
    assert fair.report.min_submission_affinity == pytest.approx(0.35)
    # The LP relaxation could give both 0.481 (reviewer 0 split 0.24 / 0.76), which
    # is what the reported bound approaches; no 0/1 assignment reaches it.
    assert fair.fairness_bound == pytest.approx(0.4814, abs=0.01)
    assert not fair.optimal


def test_widens_the_candidates_when_the_top_ones_cannot_cover_every_submission():
    # Every submission likes reviewer 0 most, but it can take only one.
    affinity = np.array([[0.9, 0.2, 0.1], [0.8, 0.3, 0.1], [0.7, 0.1, 0.2]])
    problem = AssignmentProblem(3, 3, k=1, max_load=1, affinity=affinity)
    result = solve(problem, top_n=1)
    assert result.widened_to == 2
    assert result.optimal
    assert result.pairs.tolist() == [[0, 0], [1, 1], [2, 2]]


def test_pricing_adds_a_left_out_pair_that_improves_the_total():
    # With top_n=1 both submissions want reviewer 0 and the graph is feasible only
    # after widening; the total is then certified over every pair.
    rng = np.random.default_rng(3)
    affinity = rng.random((30, 20))
    problem = AssignmentProblem(30, 20, k=2, min_load=1, max_load=4, affinity=affinity)
    narrow = solve(problem, top_n=3)
    wide = solve(problem, top_n=20)
    assert narrow.optimal and wide.optimal
    assert narrow.objective_int == wide.objective_int
    assert narrow.candidate_edges < 30 * 20


def test_min_load_is_met_even_when_it_costs_affinity():
    affinity = np.array([[0.9, 0.0], [0.9, 0.0]])
    problem = AssignmentProblem(2, 2, k=1, min_load=[0, 1], max_load=2, affinity=affinity)
    result = solve(problem)
    assert result.report.load_histogram == {1: 2}
    assert result.pairs[:, 1].tolist().count(1) == 1


def test_bids_shift_the_assignment_and_are_reported():
    affinity = np.full((2, 2), 0.5)
    problem = AssignmentProblem(
        2,
        2,
        k=1,
        max_load=1,
        affinity=affinity,
        bids=[(0, 1), (1, 1), (1, 0)],
        bid_kinds=[Bid.EAGER, Bid.NOT_WILLING, Bid.WILLING],
    )
    result = solve(problem)
    assert result.pairs.tolist() == [[0, 1], [1, 0]]
    assert result.report.bids_honoured == {
        "eager": {"assigned": 1, "total": 1},
        "willing": {"assigned": 1, "total": 1},
        "not_willing": {"assigned": 0, "total": 1},
    }
    assert result.objective == pytest.approx(0.5 + 0.5 + 0.5 + 0.2)


def test_conflict_bid_is_never_assigned():
    problem = AssignmentProblem(
        1, 2, k=1, affinity=[[1.0, 0.0]], bids=[(0, 0)], bid_kinds=[Bid.CONFLICT]
    )
    assert solve(problem).pairs.tolist() == [[0, 1]]


def test_rerun_keeps_the_organisers_hand_edits():
    rng = np.random.default_rng(7)
    affinity = rng.random((6, 4))
    problem = AssignmentProblem(6, 4, k=2, max_load=3, affinity=affinity)
    first = solve(problem)
    auto = first.pairs
    # The organiser swaps submission 0's first reviewer for one the solver did not pick.
    dropped = auto[0]
    others = set(range(4)) - {int(r) for s, r in auto if s == 0}
    added = np.array([0, min(others)])
    edited = np.vstack([auto[1:], added])
    pinned, forbidden = organiser_edits(auto, edited)
    assert pinned.tolist() == [added.tolist()]
    assert forbidden.tolist() == [dropped.tolist()]
    again = solve(with_edits(problem, pinned=pinned, forbidden=forbidden))
    keys = {tuple(p) for p in again.pairs.tolist()}
    assert tuple(added.tolist()) in keys
    assert tuple(dropped.tolist()) not in keys
    assert again.pinned[again.pairs.tolist().index(added.tolist())]
    assert_constraints_hold(with_edits(problem, pinned=pinned, forbidden=forbidden), again.pairs)


def test_later_edit_wins_over_an_earlier_one():
    problem = AssignmentProblem(2, 2, k=1, affinity=np.ones((2, 2)), forbidden=[(0, 0)])
    edited = with_edits(problem, pinned=[(0, 0)])
    assert edited.pinned.tolist() == [[0, 0]]
    assert edited.forbidden.tolist() == []


def test_malformed_input_is_rejected_with_a_clear_error():
    with pytest.raises(ValueError, match="min_load exceeds max_load for reviewer #1"):
        AssignmentProblem(1, 2, min_load=[0, 3], max_load=2, affinity=np.zeros((1, 2)))
    with pytest.raises(ValueError, match="affinity must have shape"):
        AssignmentProblem(2, 2, affinity=np.zeros((2, 3)))
    with pytest.raises(ValueError, match="does not exist"):
        AssignmentProblem(2, 2, affinity=np.zeros((2, 2)), conflicts=[(0, 5)])
    with pytest.raises(ValueError, match="either a dense affinity matrix or edges"):
        AssignmentProblem(2, 2)
    with pytest.raises(ValueError, match="must not repeat"):
        AssignmentProblem(2, 2, edges=[(0, 0), (0, 0)], edge_scores=[0.1, 0.2])
    with pytest.raises(ValueError, match="NaN"):
        solve(AssignmentProblem(1, 1, k=1, affinity=[[np.nan]]))


def test_empty_problem_gives_an_empty_assignment():
    result = solve(AssignmentProblem(0, 0, affinity=np.zeros((0, 0))))
    assert result.pairs.shape == (0, 2)
    assert result.optimal


def test_wide_dense_candidates_are_each_rows_best_pairs_by_weight():
    # Wide enough for the sampled cut-off; row 3 has almost everything conflicted,
    # which sends it down the exact path.
    rng = np.random.default_rng(11)
    ns, nr, n = 40, 4500, 10
    affinity = rng.random((ns, nr)).astype(np.float32)
    bids = np.argwhere(rng.random((ns, nr)) < 0.01)
    kinds = rng.integers(1, 4, len(bids))
    conflicts = np.concatenate(
        [np.argwhere(rng.random((ns, nr)) < 0.01), [(3, j) for j in range(nr - 5)]]
    )
    problem = AssignmentProblem(
        ns, nr, k=2, affinity=affinity, conflicts=conflicts, bids=bids, bid_kinds=kinds
    )
    cand = source_for(problem, workers=2).top(n)
    weights = affinity.astype(np.float64)
    weights[bids[:, 0], bids[:, 1]] += problem.bonus_of_kind()[kinds]
    weights[conflicts[:, 0], conflicts[:, 1]] = -np.inf
    for i in range(ns):
        mine = cand.rev[cand.sub == i]
        ranked = np.argsort(-weights[i])
        eligible = int(np.isfinite(weights[i]).sum())
        assert sorted(mine.tolist()) == sorted(ranked[: min(n, eligible)].tolist())
        if eligible > n:
            best_left_out = round(weights[i, ranked[n]] * SCALE)
            assert best_left_out <= cand.theta[i] <= best_left_out + 1
    np.testing.assert_array_equal(
        cand.weight, integer_weights(problem, np.stack([cand.sub, cand.rev], 1))
    )


def test_dense_and_sparse_forms_of_a_wide_problem_agree():
    rng = np.random.default_rng(5)
    ns, nr = 30, 4200
    affinity = rng.random((ns, nr)).round(3)
    conflicts = np.argwhere(rng.random((ns, nr)) < 0.05)
    dense = AssignmentProblem(ns, nr, k=3, max_load=1, affinity=affinity, conflicts=conflicts)
    edges = np.argwhere(np.ones((ns, nr), dtype=bool))
    sparse = AssignmentProblem(
        ns,
        nr,
        k=3,
        max_load=1,
        edges=edges,
        edge_scores=affinity.ravel(),
        conflicts=conflicts,
    )
    a, b = solve(dense, top_n=5), solve(sparse, top_n=5)
    assert a.optimal and b.optimal
    assert a.objective_int == b.objective_int
    assert_constraints_hold(dense, a.pairs)


def test_sparse_problem_from_parallel_arrays():
    problem = AssignmentProblem.from_arrays(
        2, 3, sub_idx=[0, 0, 1, 1], rev_idx=[0, 1, 1, 2], score=[0.9, 0.1, 0.8, 0.2], k=1
    )
    result = solve(problem)
    assert result.pairs.tolist() == [[0, 0], [1, 1]]
    assert result.report.total_affinity == pytest.approx(1.7)
