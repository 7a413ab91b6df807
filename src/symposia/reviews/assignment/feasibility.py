"""Why an assignment problem has no solution, in words an organiser can act on.

Counting checks come first (total reviews needed against what reviewers can give,
pinned pairs against ``k`` and loads, each submission's and reviewer's eligible
partners). When they all pass and no assignment exists, Hall's theorem for
b-matchings locates the bottleneck: a max flow on the eligibility graph leaves a min
cut, whose source side is a group of submissions (or reviewers) that need more than
their eligible partners can give (Hall, "On representatives of subsets", J. London
Math. Soc. 10, 1935; Ford & Fulkerson, *Flows in Networks*, 1962).
"""

from __future__ import annotations

import math

import numpy as np
from ortools.graph.python import max_flow

from .candidates import source_for
from .problem import AssignmentProblem, Bid, isin_sorted, unique_keys

#: Above this many eligible pairs the Hall checks use each submission's best pairs only.
MAX_CHECK_EDGES = 20_000_000
_LIST = 5


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(labels: list[str]) -> str:
    shown = labels[:_LIST]
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    if len(labels) > _LIST:
        text = ", ".join(shown) + f" and {len(labels) - _LIST} more"
    return text


def _more(items: list[str], extra: int, what: str) -> list[str]:
    if extra > 0:
        items.append(f"and {_plural(extra, 'more ' + what)} like this")
    return items


#: How the reasons name `pinned` pairs: for organisers these are the pairs every run keeps,
#: added by hand or with a review already started, not only those they pinned themselves.
KEPT = "kept (added by hand or with a review started)"


def _pinned_reasons(problem: AssignmentProblem) -> list[str]:
    reasons: list[str] = []
    pinned = problem.pinned
    if not len(pinned):
        return reasons
    keys = problem.keys(pinned)
    conflicted = pinned[isin_sorted(keys, problem.conflict_keys())]
    forbidden = pinned[isin_sorted(keys, unique_keys(problem.keys(problem.forbidden)))]
    for (i, j), what in [(p, "is a conflict of interest") for p in conflicted[:_LIST]] + [
        (p, "is also forbidden") for p in forbidden[:_LIST]
    ]:
        reasons.append(
            f"the kept pair {problem.submission_label(int(i))} / "
            f"{problem.reviewer_label(int(j))} {what}: remove it"
        )
    per_sub = np.bincount(pinned[:, 0], minlength=problem.n_submissions)
    over = np.flatnonzero(per_sub > problem.k)
    for i in over[:_LIST]:
        reasons.append(
            f"{problem.submission_label(int(i))} has {_plural(int(per_sub[i]), 'reviewer')}"
            f" {KEPT} but needs only {int(problem.k[i])}: raise its number of reviewers to"
            f" {int(per_sub[i])} or remove {int(per_sub[i] - problem.k[i])} of them"
        )
    _more(reasons, over.size - _LIST, "submission")
    per_rev = np.bincount(pinned[:, 1], minlength=problem.n_reviewers)
    over = np.flatnonzero(per_rev > problem.max_load)
    for j in over[:_LIST]:
        reasons.append(
            f"{problem.reviewer_label(int(j))} has {_plural(int(per_rev[j]), 'submission')}"
            f" {KEPT} but a max load of {int(problem.max_load[j])}: raise the max load to"
            f" {int(per_rev[j])} or remove {int(per_rev[j] - problem.max_load[j])} of them"
        )
    _more(reasons, over.size - _LIST, "reviewer")
    return reasons


def _capacity_reasons(problem: AssignmentProblem) -> list[str]:
    reasons = []
    ns, nr = problem.n_submissions, problem.n_reviewers
    need = int(problem.k.sum())
    can = int(problem.max_load.sum())
    uniform_k = ns > 0 and bool(np.all(problem.k == problem.k[0]))
    uniform_max = nr > 0 and bool(np.all(problem.max_load == problem.max_load[0]))
    if need > can:
        needs = (
            f"needs {int(problem.k[0])} x {ns} = {need} reviews"
            if uniform_k
            else f"needs {need} reviews in total"
        )
        typical = int(problem.max_load[0]) if uniform_max else int(np.median(problem.max_load))
        fixes = []
        if nr and uniform_max:
            fixes.append(f"raise max load to {math.ceil(need / nr)}")
        elif nr:
            fixes.append(f"raise max loads by {need - can} in total")
        if typical > 0:
            fixes.append(f"add {_plural(math.ceil((need - can) / typical), 'reviewer')}")
        fix = (": " + " or ".join(fixes)) if fixes else ""
        reasons.append(f"{needs}, reviewers can give at most {can}{fix}")
    least = int(problem.min_load.sum())
    if least > need:
        uniform_min = bool(np.all(problem.min_load == problem.min_load[0]))
        fix = (
            f"lower min load to {need // nr}"
            if uniform_min
            else f"lower min loads by {least - need} in total"
        )
        reasons.append(
            f"reviewers must take at least {least} reviews in total, but only {need} are needed:"
            f" {fix} or ask for more reviewers per submission"
        )
    return reasons


def _eligible_counts(problem: AssignmentProblem) -> tuple[np.ndarray, np.ndarray, dict]:
    """Per submission: reviewers it may still get (pinned ones included); per reviewer:
    submissions they may still get; and per-submission causes for the explanation."""
    ns, nr = problem.n_submissions, problem.n_reviewers
    pinned = problem.pinned
    pin_sub = np.bincount(pinned[:, 0], minlength=ns)
    pin_rev = np.bincount(pinned[:, 1], minlength=nr)
    room = problem.max_load - pin_rev > 0
    wants = problem.k - pin_sub > 0
    conflict = problem.conflict_keys()
    forbidden = unique_keys(problem.keys(problem.forbidden))
    forbidden = forbidden[~isin_sorted(forbidden, conflict)]
    causes = {
        "conflict": np.bincount(conflict // max(nr, 1), minlength=ns),
        "forbidden": np.bincount(forbidden // max(nr, 1), minlength=ns),
    }
    ineligible = problem.ineligible_keys()
    if problem.affinity is not None:
        bad_sub, bad_rev = np.divmod(ineligible, max(nr, 1))
        # Dense: every pair is eligible unless ineligible or the reviewer is full.
        full_bad = bad_sub[~room[bad_rev]]
        per_sub = int(room.sum()) - np.bincount(bad_sub[room[bad_rev]], minlength=ns)
        causes["full"] = int((~room).sum()) - np.bincount(full_bad, minlength=ns)
        per_rev = int(wants.sum()) - np.bincount(bad_rev[wants[bad_sub]], minlength=nr)
    else:
        pairs, _ = problem.sparse_universe()
        pairs = pairs[~isin_sorted(problem.keys(pairs), ineligible)]
        per_sub = np.bincount(pairs[room[pairs[:, 1]], 0], minlength=ns)
        causes["full"] = np.bincount(pairs[~room[pairs[:, 1]], 0], minlength=ns)
        per_rev = np.bincount(pairs[wants[pairs[:, 0]], 1], minlength=nr)
    return per_sub + pin_sub, per_rev + pin_rev, causes


def _degree_reasons(problem: AssignmentProblem) -> list[str]:
    reasons: list[str] = []
    per_sub, per_rev, causes = _eligible_counts(problem)
    short = np.flatnonzero(per_sub < problem.k)
    for i in short[:_LIST]:
        why = []
        if causes["conflict"][i]:
            why.append(f"{_plural(int(causes['conflict'][i]), 'reviewer')} with a conflict")
        if causes["forbidden"][i]:
            why.append(f"{_plural(int(causes['forbidden'][i]), 'forbidden pair')}")
        if causes["full"][i]:
            why.append(f"{_plural(int(causes['full'][i]), 'reviewer')} full with kept pairs")
        if problem.affinity is None:
            why.append("reviewers without an affinity score are not eligible")
        eligible = int(per_sub[i])
        reasons.append(
            f"{problem.submission_label(int(i))} needs {int(problem.k[i])} reviewers but only"
            f" {eligible} {'is' if eligible == 1 else 'are'} eligible"
            + (f" ({'; '.join(why)})" if why else "")
            + ": add reviewers or lower its number of reviewers"
        )
    _more(reasons, short.size - _LIST, "submission")
    short = np.flatnonzero(per_rev < problem.min_load)
    for j in short[:_LIST]:
        eligible = int(per_rev[j])
        reasons.append(
            f"{problem.reviewer_label(int(j))} must review at least {int(problem.min_load[j])}"
            f" submissions but only {eligible} {'is' if eligible == 1 else 'are'} eligible:"
            f" lower their min load to {eligible}"
        )
    _more(reasons, short.size - _LIST, "reviewer")
    return reasons


def counting_reasons(problem: AssignmentProblem) -> list[str]:
    """Reasons found by counting alone (fast, linear in the input size). Empty does not
    mean feasible; :func:`explain_infeasibility` goes further."""
    reasons = _pinned_reasons(problem)
    if reasons:
        # The totals still matter: an organiser who only fixes the kept pairs should not
        # meet the shortfall on the next run. Per-item counts assume consistent kept pairs.
        return reasons + _capacity_reasons(problem)
    return _capacity_reasons(problem) + _degree_reasons(problem)


def _eligible_graph(problem: AssignmentProblem) -> tuple[np.ndarray, np.ndarray, bool]:
    ns, nr = problem.n_submissions, problem.n_reviewers
    source = source_for(problem, workers=1)
    n = source.max_per_row
    complete = True
    if ns * n > MAX_CHECK_EDGES:
        n = max(1, MAX_CHECK_EDGES // max(ns, 1))
        complete = False
    cand = source.top(n)
    del nr
    return cand.sub, cand.rev, complete


def _hall(
    tails_side: np.ndarray,
    heads_side: np.ndarray,
    supply: np.ndarray,
    capacity: np.ndarray,
) -> tuple[int, np.ndarray, np.ndarray, int]:
    """Max flow source -> left (supply) -> right (1 per edge) -> sink (capacity).
    Returns (flow, left nodes on the source side, right nodes on the source side,
    edges from those left nodes to right nodes on the sink side)."""
    n_left, n_right = supply.size, capacity.size
    src, snk = n_left + n_right, n_left + n_right + 1
    graph = max_flow.SimpleMaxFlow()
    tails = np.concatenate([np.full(n_left, src), tails_side, n_left + np.arange(n_right)])
    heads = np.concatenate([np.arange(n_left), n_left + heads_side, np.full(n_right, snk)])
    caps = np.concatenate([supply, np.ones(tails_side.size, np.int64), capacity])
    graph.add_arcs_with_capacity(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64)
    )
    status = graph.solve(src, snk)
    if status != graph.OPTIMAL:  # pragma: no cover - capacities are small integers
        raise RuntimeError(f"max flow failed with status {status}")
    side = np.zeros(n_left + n_right + 2, dtype=bool)
    side[np.asarray(graph.get_source_side_min_cut(), dtype=np.int64)] = True
    left = np.flatnonzero(side[:n_left])
    right = np.flatnonzero(side[n_left : n_left + n_right])
    crossing = int((side[tails_side] & ~side[n_left + heads_side]).sum())
    return int(graph.optimal_flow()), left, right, crossing


def explain_infeasibility(problem: AssignmentProblem) -> list[str]:
    """Reasons why no assignment satisfies ``problem``; empty if one exists.

    Each reason names the constraint, by how much it fails, and a fix, e.g.
    ``"needs 3 x 412 = 1236 reviews, reviewers can give at most 1200: raise max load
    to 7 or add 6 reviewers"``. After the counting checks of :func:`counting_reasons`,
    two max flows on the eligibility graph test Hall's condition for the upper
    (``k`` against max loads) and the lower bounds (min loads against ``k``); a failing
    one names the group of submissions or reviewers at fault.
    """
    reasons = counting_reasons(problem)
    if reasons:
        return reasons
    ns, nr = problem.n_submissions, problem.n_reviewers
    pinned = problem.pinned
    k = problem.k - np.bincount(pinned[:, 0], minlength=ns)
    pin_rev = np.bincount(pinned[:, 1], minlength=nr)
    max_load = problem.max_load - pin_rev
    min_load = np.maximum(problem.min_load - pin_rev, 0)
    sub, rev, complete = _eligible_graph(problem)
    scope = "" if complete else " among their best candidates"

    need = int(k.sum())
    flow, subs, revs, crossing = _hall(sub, rev, k, max_load)
    if flow < need:
        group_need = int(k[subs].sum())
        room = int(max_load[revs].sum())
        labels = [problem.submission_label(int(i)) for i in subs]
        text = (
            f"{_names(labels)} need {group_need} reviews between them but their eligible"
            f" reviewers{scope} can give at most {room + crossing}"
        )
        if revs.size:
            text += (
                f" ({_names([problem.reviewer_label(int(j)) for j in revs])}"
                f" have room for {room}"
                + (f", {crossing} more can come from other reviewers" if crossing else "")
                + ")"
            )
        reasons.append(
            text + ": add reviewers who may review them, raise max loads or resolve conflicts"
        )
    least = int(min_load.sum())
    flow, revs, subs, crossing = _hall(rev, sub, min_load, k)
    if flow < least:
        group_least = int(min_load[revs].sum())
        room = int(k[subs].sum())
        labels = [problem.reviewer_label(int(j)) for j in revs]
        reasons.append(
            f"{_names(labels)} must review at least {group_least} submissions between them but"
            f" their eligible submissions{scope} can take at most {room + crossing}:"
            " lower their min loads"
        )
    if not reasons:
        from .candidates import Candidates
        from .solver import _reduce, _solve_flow

        red = _reduce(problem)
        order = np.argsort(sub, kind="stable")
        cand = Candidates(
            sub[order],
            rev[order],
            np.zeros(sub.size),
            np.zeros(sub.size, np.int64),
            np.zeros(ns, np.int64),
            True,
            0,
        )
        if _solve_flow(red, cand) is None:
            reasons.append(
                "the numbers of reviewers per submission and the min and max loads cannot"
                f" all hold at once{scope}: relax min loads or raise max loads"
            )
    return reasons


__all__ = ["Bid", "counting_reasons", "explain_infeasibility"]
