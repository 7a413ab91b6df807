"""Infeasible assignment problems are detected and explained in words."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from symposia.reviews.assignment import (
    AssignmentInfeasible,
    AssignmentProblem,
    explain_infeasibility,
    solve,
)


def lp_feasible(problem: AssignmentProblem) -> bool:
    """Independent check with HiGHS: does any (fractional, hence by total unimodularity
    also 0/1) assignment exist?"""
    ns, nr = problem.n_submissions, problem.n_reviewers
    pinned = problem.pinned
    blocked = np.concatenate([problem.conflict_keys(), problem.keys(problem.forbidden)])
    if np.isin(problem.keys(pinned), blocked).any():
        return False
    pairs = problem.eligible_pairs()
    need = problem.k - np.bincount(pinned[:, 0], minlength=ns)
    pin_rev = np.bincount(pinned[:, 1], minlength=nr)
    room = problem.max_load - pin_rev
    least = np.maximum(problem.min_load - pin_rev, 0)
    m = len(pairs)
    if m == 0:
        return bool(np.all(need == 0) and np.all(room >= 0) and np.all(least == 0))
    a_sub = np.zeros((ns, m))
    a_sub[pairs[:, 0], np.arange(m)] = 1
    a_rev = np.zeros((nr, m))
    a_rev[pairs[:, 1], np.arange(m)] = 1
    res = linprog(
        np.zeros(m),
        A_ub=np.vstack([a_rev, -a_rev]),
        b_ub=np.concatenate([room, -least]),
        A_eq=a_sub,
        b_eq=need,
        bounds=(0, 1),
        method="highs",
    )
    return res.status == 0


@st.composite
def tight_problems(draw) -> AssignmentProblem:
    """Problems near the edge of feasibility: loads close to the demand, many conflicts."""
    ns = draw(st.integers(1, 10))
    nr = draw(st.integers(1, 10))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    k = np.full(ns, draw(st.integers(1, 3)))
    hi = np.full(nr, int(np.ceil(k.sum() / nr))) + rng.integers(-1, 2, nr).clip(0)
    lo = np.minimum(rng.integers(0, 3, nr), hi) * draw(st.sampled_from([0, 1]))
    conflicts = np.argwhere(rng.random((ns, nr)) < draw(st.sampled_from([0.1, 0.3, 0.6])))
    pinned = np.argwhere(rng.random((ns, nr)) < draw(st.sampled_from([0.0, 0.05])))
    return AssignmentProblem(
        ns,
        nr,
        k=k,
        min_load=lo,
        max_load=hi,
        affinity=rng.random((ns, nr)),
        conflicts=conflicts,
        pinned=pinned,
    )


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(problem=tight_problems())
def test_explanations_exist_exactly_when_no_assignment_does(problem):
    feasible = lp_feasible(problem)
    reasons = explain_infeasibility(problem)
    assert (reasons == []) == feasible
    if feasible:
        solve(problem)
    else:
        with pytest.raises(AssignmentInfeasible) as error:
            solve(problem)
        assert error.value.reasons
        assert all(isinstance(r, str) and r for r in error.value.reasons)


def test_total_demand_above_capacity_says_how_to_fix_it():
    problem = AssignmentProblem(412, 200, k=3, max_load=6, affinity=np.zeros((412, 200)))
    assert explain_infeasibility(problem) == [
        "needs 3 x 412 = 1236 reviews, reviewers can give at most 1200:"
        " raise max load to 7 or add 6 reviewers"
    ]
    with pytest.raises(AssignmentInfeasible, match="raise max load to 7 or add 6 reviewers"):
        solve(problem)


def test_uneven_demand_and_loads_are_summed():
    problem = AssignmentProblem(3, 2, k=[1, 2, 3], max_load=[2, 3], affinity=np.zeros((3, 2)))
    assert explain_infeasibility(problem)[0] == (
        "needs 6 reviews in total, reviewers can give at most 5:"
        " raise max loads by 1 in total or add 1 reviewer"
    )


def test_min_loads_above_demand():
    problem = AssignmentProblem(2, 3, k=1, min_load=1, max_load=2, affinity=np.zeros((2, 3)))
    assert explain_infeasibility(problem) == [
        "reviewers must take at least 3 reviews in total, but only 2 are needed:"
        " lower min load to 0 or ask for more reviewers per submission"
    ]


def test_submission_with_too_few_eligible_reviewers_is_named_with_the_cause():
    problem = AssignmentProblem(
        2,
        4,
        k=3,
        max_load=2,
        affinity=np.zeros((2, 4)),
        conflicts=[(1, 0), (1, 1)],
        submission_labels=["S-17 Tropical curves", "S-42 Lattices"],
    )
    assert explain_infeasibility(problem) == [
        "S-42 Lattices needs 3 reviewers but only 2 are eligible"
        " (2 reviewers with a conflict): add reviewers or lower its number of reviewers"
    ]


def test_reviewer_with_too_few_eligible_submissions():
    problem = AssignmentProblem(
        3,
        2,
        k=1,
        min_load=[2, 0],
        max_load=3,
        affinity=np.zeros((3, 2)),
        forbidden=[(0, 0), (1, 0)],
        reviewer_labels=["Rita", "Ravi"],
    )
    assert explain_infeasibility(problem) == [
        "Rita must review at least 2 submissions but only 1 is eligible: lower their min load to 1"
    ]


def test_pinned_pairs_against_k_loads_and_conflicts():
    problem = AssignmentProblem(
        2,
        3,
        k=1,
        max_load=1,
        affinity=np.zeros((2, 3)),
        pinned=[(0, 0), (0, 1), (1, 0), (1, 2)],
        conflicts=[(1, 2)],
    )
    kept = "kept (added by hand or with a review started)"
    assert explain_infeasibility(problem) == [
        "the kept pair submission #1 / reviewer #2 is a conflict of interest: remove it",
        f"submission #0 has 2 reviewers {kept} but needs only 1:"
        " raise its number of reviewers to 2 or remove 1 of them",
        f"submission #1 has 2 reviewers {kept} but needs only 1:"
        " raise its number of reviewers to 2 or remove 1 of them",
        f"reviewer #0 has 2 submissions {kept} but a max load of 1:"
        " raise the max load to 2 or remove 1 of them",
    ]


def test_kept_pairs_do_not_hide_the_total_shortfall():
    # Reviewer 0 already holds 3 started reviews with a max load of 2, and 4 x 2 = 8 reviews
    # are needed from 3 reviewers who can give 6: both must be said in one run.
    problem = AssignmentProblem(
        4,
        3,
        k=2,
        max_load=2,
        affinity=np.zeros((4, 3)),
        pinned=[(0, 0), (1, 0), (2, 0)],
        reviewer_labels=["Mateus", "Rosa", "Léa"],
    )
    assert explain_infeasibility(problem) == [
        "Mateus has 3 submissions kept (added by hand or with a review started) but a max load"
        " of 2: raise the max load to 3 or remove 1 of them",
        "needs 2 x 4 = 8 reviews, reviewers can give at most 6: raise max load to 3 or add"
        " 1 reviewer",
    ]


def test_hall_violation_names_the_group_and_the_shortfall():
    # Every count is fine, but submissions 0-2 may only go to reviewers 0 and 1,
    # who can take 2 each: 6 reviews needed, 4 possible.
    conflicts = [(i, j) for i in range(3) for j in range(2, 5)]
    problem = AssignmentProblem(
        5, 5, k=2, max_load=2, affinity=np.zeros((5, 5)), conflicts=conflicts
    )
    assert explain_infeasibility(problem) == [
        "submission #0, submission #1 and submission #2 need 6 reviews between them but"
        " their eligible reviewers can give at most 4 (reviewer #0 and reviewer #1 have"
        " room for 4): add reviewers who may review them, raise max loads or resolve"
        " conflicts"
    ]


def test_min_load_hall_violation_names_the_reviewers():
    # Reviewers 0 and 1 must take 2 each, but may only review submission 0 and 1,
    # which need one reviewer each.
    conflicts = [(i, j) for i in range(2, 4) for j in range(2)]
    problem = AssignmentProblem(
        4,
        4,
        k=1,
        min_load=[2, 2, 0, 0],
        max_load=2,
        affinity=np.zeros((4, 4)),
        conflicts=conflicts,
    )
    assert explain_infeasibility(problem) == [
        "reviewer #0 and reviewer #1 must review at least 4 submissions between them but"
        " their eligible submissions can take at most 2: lower their min loads"
    ]


def test_many_short_submissions_are_summarised():
    problem = AssignmentProblem(
        8,
        3,
        k=3,
        max_load=8,
        affinity=np.zeros((8, 3)),
        conflicts=[(i, 0) for i in range(8)],
    )
    reasons = explain_infeasibility(problem)
    assert len(reasons) == 6
    assert reasons[-1] == "and 3 more submissions like this"


def test_sparse_problem_counts_only_listed_pairs():
    problem = AssignmentProblem(1, 3, k=2, edges=[(0, 0)], edge_scores=[0.5], max_load=1)
    assert explain_infeasibility(problem) == [
        "submission #0 needs 2 reviewers but only 1 is eligible (reviewers without an"
        " affinity score are not eligible): add reviewers or lower its number of reviewers"
    ]


def test_feasible_problem_has_no_reasons():
    problem = AssignmentProblem(3, 3, k=1, max_load=1, affinity=np.eye(3))
    assert explain_infeasibility(problem) == []
