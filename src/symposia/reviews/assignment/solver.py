"""Optimal reviewer assignment as one min-cost flow.

The model: choose pairs (submission i, reviewer j) to maximise the total weight
``affinity(i, j) + bid bonus(i, j)`` such that

* submission i gets exactly ``k[i]`` reviewers,
* reviewer j gets between ``min_load[j]`` and ``max_load[j]`` submissions,
* no conflict of interest and no forbidden pair is chosen,
* every pinned pair is chosen (it counts towards ``k`` and the loads).

Flow network (pinned pairs are taken out first and the bounds reduced by them):
every submission node supplies ``k'[i]``; an arc of capacity 1 and cost ``-weight``
runs from submission i to reviewer j for every candidate pair; reviewer j has an arc
to the sink with lower bound ``min'[j]`` and capacity ``max'[j]``. The lower bound is
removed exactly by the standard transformation (Ahuja, Magnanti & Orlin, *Network
Flows*, 1993, section 2.4): the arc keeps capacity ``max'[j] - min'[j]``, reviewer j
gets a demand of ``min'[j]`` and the sink's demand shrinks by the same amount. No
big-M penalty is involved, so a minimum load is a hard constraint, never traded
against affinity.

Why the flow answers the 0/1 problem: the constraint matrix of a flow problem is a
network matrix (node-arc incidence), which is totally unimodular, so with integer
supplies and capacities every vertex of the LP relaxation is integral and a min-cost
flow algorithm returns an integral optimum. Arcs of capacity 1 make it a 0/1
assignment, optimal among all fractional ones as well.

Integer costs: weights become ``rint(SCALE * weight)`` (``SCALE = 10_000``), so the
flow is exactly optimal for the rounded weights and within ``1e-4`` per assigned pair
of the optimum for the exact ones.

Sparse graph and proof of optimality: only each submission's ``top_n`` best pairs
enter the graph. If that graph has no feasible flow, ``top_n`` doubles (up to every
eligible pair). Once solved, node potentials of the optimal flow (shortest distances
in the residual graph) are dual prices; a left-out pair (i, j) could improve the
assignment only if ``weight(i, j) > pi[i] - pi[j]`` (negative reduced cost). Such
pairs are added and the flow solved again (column generation); when none is left the
assignment is optimal for *all* eligible pairs, and ``optimal`` is set.

Solver: OR-Tools ``SimpleMinCostFlow`` (cost scaling push-relabel, Goldberg 1997).

Fairness mode (``fairness=True``) first raises the affinity of the worst-off
submission (the mean affinity of its reviewers), then keeps the total high, after
Stelmakh, Shah & Singh, "PeerReview4All: Fair and Accurate Reviewer Assignment in
Peer Review", ALT 2019 / JMLR 22 (2021), and Kobren, Saha & McCallum, "Paper
Matching with Local Fairness Constraints", KDD 2019. Maximising the minimum over
submissions of a sum of affinities is NP-hard (PeerReview4All, Theorem 1), so it is
approached through the Lagrangian dual of its LP relaxation: each step solves a
min-cost flow whose weights favour the submissions that fared worst so far
(multiplicative weights, Arora, Hazan & Kale, Theory of Computing 8, 2012). The step
with the best worst-off affinity sets a floor (the plain optimum is step 0, so fairness
mode is never worse for the worst-off submission). Then the total is raised again under
that floor: the plain objective is re-solved, submissions that would fall below the
floor keep their fair reviewers, and the rest is re-solved until none falls below
(in the spirit of the local fairness constraints of Kobren et al.). The dual also gives
an upper bound on the worst-off affinity any assignment of the candidate graph can
reach (``fairness_bound``), so an organiser sees how far from the best possible it is.

Organiser edits: after editing an assignment by hand, re-run with
:func:`with_edits`, which pins the pairs the organiser added and forbids the ones they
removed, so a re-run (for example after late submissions) keeps every hand edit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import NO_THETA, Candidates, int_weight, ranges, source_for
from .problem import SCALE, AssignmentProblem, Bid, as_pairs
from .report import AssignmentReport, summarise

__all__ = [
    "SCALE",
    "AssignmentInfeasible",
    "AssignmentProblem",
    "AssignmentResult",
    "Bid",
    "organiser_edits",
    "solve",
    "with_edits",
]

#: Potential given to reviewers with no way onward in the residual graph: arcs into
#: them can never carry an improving cycle, so they never need to be priced.
_DEAD_END = -(2**50)

#: Upper limit on candidate arcs when widening (about 60 bytes each in the solver).
MAX_CANDIDATE_EDGES = 40_000_000


class AssignmentInfeasible(ValueError):
    """No assignment satisfies the constraints; ``reasons`` says why, in words."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons) or "no assignment satisfies the constraints")


@dataclass
class AssignmentResult:
    """An assignment and how it was found.

    ``pairs`` (shape ``(m, 2)``, sorted) are all assigned (submission, reviewer) pairs,
    pinned ones included (``pinned`` marks them); ``score`` is each pair's affinity.
    ``objective`` is the total weight (affinity + bid bonus) and ``objective_int`` the
    same in the solver's integer units (``SCALE`` per unit of weight). ``optimal`` is
    True when the assignment is proven optimal over all eligible pairs (in fairness
    mode: when the worst-off submission provably cannot do better on the candidate
    graph). ``top_n`` is the candidate count per submission finally used and
    ``widened_to`` is set when it had to grow because the first graph was infeasible.
    """

    pairs: np.ndarray
    score: np.ndarray
    pinned: np.ndarray
    objective: float
    objective_int: int
    optimal: bool
    top_n: int
    widened_to: int | None
    candidate_edges: int
    pricing_rounds: int
    report: AssignmentReport
    fairness_bound: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def sub_idx(self) -> np.ndarray:
        return self.pairs[:, 0]

    @property
    def rev_idx(self) -> np.ndarray:
        return self.pairs[:, 1]


@dataclass
class _Reduced:
    """Bounds left once pinned pairs are assigned."""

    k: np.ndarray
    min_load: np.ndarray
    max_load: np.ndarray
    pinned_score: np.ndarray  # affinity of pinned pairs, per submission
    pinned_weight: int


@dataclass
class _Flow:
    assigned: np.ndarray  # bool per candidate
    rev_flow: np.ndarray  # flow on reviewer -> sink arcs (above the minimum)
    cost: int


def organiser_edits(auto_pairs: object, edited_pairs: object) -> tuple[np.ndarray, np.ndarray]:
    """Turn an organiser's hand edits into constraints for the next run.

    ``auto_pairs`` is what the solver proposed, ``edited_pairs`` what the organiser
    kept after editing (both ``(m, 2)`` submission/reviewer pairs). Returns
    ``(pinned, forbidden)``: pairs the organiser added, pairs they removed.
    """
    auto = {tuple(p) for p in as_pairs(auto_pairs).tolist()}
    edited = {tuple(p) for p in as_pairs(edited_pairs).tolist()}
    return as_pairs(sorted(edited - auto)), as_pairs(sorted(auto - edited))


def with_edits(
    problem: AssignmentProblem, *, pinned: object = None, forbidden: object = None
) -> AssignmentProblem:
    """A copy of ``problem`` that also pins ``pinned`` and forbids ``forbidden``
    (typically from :func:`organiser_edits`). A pair pinned now is no longer
    forbidden and vice versa, so the latest edit wins."""
    new_pinned = as_pairs(pinned)
    new_forbidden = as_pairs(forbidden)
    old_pinned = problem.pinned[~np.isin(problem.keys(problem.pinned), problem.keys(new_forbidden))]
    old_forbidden = problem.forbidden[
        ~np.isin(problem.keys(problem.forbidden), problem.keys(new_pinned))
    ]
    return replace(
        problem,
        pinned=np.concatenate([old_pinned, new_pinned]),
        forbidden=np.concatenate([old_forbidden, new_forbidden]),
    )


def _reduce(problem: AssignmentProblem) -> _Reduced:
    pinned = problem.pinned
    per_sub = np.bincount(pinned[:, 0], minlength=problem.n_submissions)
    per_rev = np.bincount(pinned[:, 1], minlength=problem.n_reviewers)
    scores = problem.pair_scores(pinned)
    weights = int_weight(scores + problem.pair_bonus(pinned))
    return _Reduced(
        k=problem.k - per_sub,
        min_load=np.maximum(problem.min_load - per_rev, 0),
        max_load=problem.max_load - per_rev,
        pinned_score=np.bincount(pinned[:, 0], weights=scores, minlength=problem.n_submissions),
        pinned_weight=int(weights.sum()),
    )


def _solve_flow(red: _Reduced, cand: Candidates, costs: np.ndarray | None = None) -> _Flow | None:
    """Min-cost flow on the candidate graph; None when it has no feasible flow."""
    ns, nr = red.k.size, red.min_load.size
    sink = ns + nr
    demand = int(red.k.sum())
    if demand < int(red.min_load.sum()):
        return None
    e = len(cand)
    mcf = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([cand.sub, np.arange(ns, ns + nr)]).astype(np.int32)
    heads = np.concatenate([ns + cand.rev, np.full(nr, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(e, np.int64), red.max_load - red.min_load])
    unit = -cand.weight if costs is None else costs
    mcf.add_arcs_with_capacity_and_unit_cost(
        tails, heads, caps, np.concatenate([unit, np.zeros(nr, np.int64)]).astype(np.int64)
    )
    supplies = np.concatenate([red.k, -red.min_load, [-(demand - int(red.min_load.sum()))]]).astype(
        np.int64
    )
    # Nodes without arcs are unknown to the solver; add them through their supply only.
    mcf.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = mcf.solve()
    if status == mcf.INFEASIBLE:
        return None
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status.name}")
    flows = mcf.flows(np.arange(e + nr, dtype=np.int32))
    return _Flow(assigned=flows[:e] > 0, rev_flow=flows[e:], cost=int(mcf.optimal_cost()))


def _potentials(
    red: _Reduced, cand: Candidates, flow: _Flow, costs: np.ndarray | None = None
) -> np.ndarray | None:
    """Node potentials (one per submission, reviewer, and the sink) making every
    residual arc's reduced cost non-negative: Bellman-Ford distances from a virtual
    root, relaxing only arcs out of nodes whose distance changed (vectorised).
    Returns None if they do not settle (which an optimal flow rules out)."""
    ns, nr = red.k.size, red.min_load.size
    sink = ns + nr
    n_nodes = sink + 1
    unit = -cand.weight if costs is None else costs
    a = flow.assigned
    # Unassigned candidates keep arcs sub -> rev, already grouped by submission.
    t1, h1, c1 = cand.sub[~a], ns + cand.rev[~a], unit[~a]
    # Assigned ones give reverse arcs rev -> sub; with rev -> sink and sink -> rev arcs.
    spare = flow.rev_flow < red.max_load - red.min_load
    used = flow.rev_flow > 0
    revs = np.arange(ns, ns + nr)
    t2 = np.concatenate([ns + cand.rev[a], revs[spare]])
    h2 = np.concatenate([cand.sub[a], np.full(int(spare.sum()), sink)])
    c2 = np.concatenate([-unit[a], np.zeros(int(spare.sum()), np.int64)])
    o2 = np.argsort(t2, kind="stable")
    t3, h3 = np.full(int(used.sum()), sink), revs[used]
    tail = np.concatenate([t1, t2[o2], t3])
    head = np.concatenate([h1, h2[o2], h3]).astype(np.int64)
    cost = np.concatenate([c1, c2[o2], np.zeros(t3.size, np.int64)]).astype(np.int64)
    indptr = np.searchsorted(tail, np.arange(n_nodes + 1))

    dist = np.zeros(n_nodes, dtype=np.int64)
    active = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        idx = ranges(indptr[active], indptr[active + 1])
        if idx.size == 0:
            break
        new = dist.copy()
        np.minimum.at(new, head[idx], dist[tail[idx]] + cost[idx])
        active = np.flatnonzero(new < dist)
        dist = new
        if active.size == 0:
            break
    else:
        return None
    out_degree = np.diff(indptr)
    dead = out_degree[ns:sink] == 0
    dist[ns:sink][dead] = _DEAD_END
    return dist


def _certify(source, cand: Candidates, red: _Reduced, pi: np.ndarray):
    """Left-out pairs with negative reduced cost (empty when the flow is optimal for
    all eligible pairs). A whole submission is cleared at once when even its best
    left-out pair (``theta``) fits under its potential minus the highest reviewer
    potential; only the remaining rows are checked pair by pair."""
    ns, nr = red.k.size, red.min_load.size
    pi_sub, pi_rev = pi[:ns], pi[ns : ns + nr]
    top_rev = pi_rev.max() if nr else 0
    has_left_out = cand.theta != NO_THETA
    unsure = np.flatnonzero(has_left_out & (cand.theta > pi_sub - top_rev))
    return source.violations(cand, pi_sub, pi_rev, unsure)


def _finish(
    problem: AssignmentProblem,
    red: _Reduced,
    cand: Candidates,
    assigned: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    pinned = problem.pinned
    sub = np.concatenate([cand.sub[assigned], pinned[:, 0]])
    rev = np.concatenate([cand.rev[assigned], pinned[:, 1]])
    score = np.concatenate([cand.score[assigned], problem.pair_scores(pinned)])
    is_pinned = np.concatenate([np.zeros(int(assigned.sum()), bool), np.ones(len(pinned), bool)])
    order = np.lexsort((rev, sub))
    weight_int = int(cand.weight[assigned].sum()) + red.pinned_weight
    return np.stack([sub, rev], axis=1)[order], score[order], is_pinned[order], weight_int


def solve(
    problem: AssignmentProblem,
    *,
    top_n: int = 200,
    fairness: bool = False,
    fairness_rounds: int = 20,
    max_pricing_rounds: int = 30,
    workers: int | None = None,
) -> AssignmentResult:
    """Find an assignment maximising total affinity + bid bonus (see module docstring).

    ``top_n`` candidates per submission enter the flow graph first (widened 2x at a
    time up to all eligible pairs if that graph is infeasible); ``workers`` threads
    extract them from a dense matrix (default: the cores available). With
    ``fairness=True`` the worst-off submission is favoured first (``fairness_rounds``
    extra flows).

    Returns an :class:`AssignmentResult`. Raises :class:`AssignmentInfeasible` with
    reasons in words when no assignment exists, ValueError on malformed input.
    """
    from .feasibility import counting_reasons, explain_infeasibility

    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    reasons = counting_reasons(problem)
    if reasons:
        raise AssignmentInfeasible(reasons)
    red = _reduce(problem)
    source = source_for(problem, workers=workers)
    n = max(1, int(top_n))
    widened_to: int | None = None
    cand = source.top(n)
    seconds["candidates"] = time.perf_counter() - clock
    rounds = 0
    optimal = False
    seconds["flow"] = seconds["certificate"] = 0.0
    while True:
        tick = time.perf_counter()
        flow = _solve_flow(red, cand)
        seconds["flow"] += time.perf_counter() - tick
        if flow is None:
            if cand.complete or len(cand) * 2 > MAX_CANDIDATE_EDGES:
                reasons = explain_infeasibility(problem)
                if not cand.complete:
                    reasons.append(
                        f"no assignment exists among each submission's {cand.top_n} best "
                        "candidates, and more do not fit in memory"
                    )
                raise AssignmentInfeasible(reasons)
            tick = time.perf_counter()
            n = min(2 * cand.top_n, source.max_per_row)
            widened_to = n
            cand = source.top(n)
            seconds["candidates"] += time.perf_counter() - tick
            continue
        if cand.complete:
            optimal = True
            break
        tick = time.perf_counter()
        pi = _potentials(red, cand, flow)
        extra = _certify(source, cand, red, pi) if pi is not None else None
        seconds["certificate"] += time.perf_counter() - tick
        if extra is not None and extra[0].size == 0:
            optimal = True
            break
        if extra is None or rounds >= max_pricing_rounds:
            break
        cand = cand.with_extra(*extra)
        rounds += 1

    pairs, score, is_pinned, objective_int = _finish(problem, red, cand, flow.assigned)
    fairness_bound = None
    if fairness:
        tick = time.perf_counter()
        pairs, score, is_pinned, objective_int, fairness_bound, fair_optimal = _fair(
            problem, red, cand, flow, fairness_rounds
        )
        optimal = fair_optimal and cand.complete
        seconds["fairness"] = time.perf_counter() - tick
    kinds = problem.pair_kinds(pairs)
    bonus = problem.bonus_of_kind()[kinds]
    report = summarise(
        problem.n_submissions,
        problem.n_reviewers,
        pairs,
        score,
        k=problem.k,
        assigned_kinds=kinds,
        bid_kinds=problem.bid_kinds,
    )
    seconds["total"] = time.perf_counter() - clock
    return AssignmentResult(
        pairs=pairs,
        score=score,
        pinned=is_pinned,
        objective=float((score + bonus).sum()),
        objective_int=objective_int,
        optimal=optimal,
        top_n=cand.top_n,
        widened_to=widened_to,
        candidate_edges=len(cand),
        pricing_rounds=rounds,
        report=report,
        fairness_bound=fairness_bound,
        seconds=seconds,
    )


def _submission_means(
    red: _Reduced, k: np.ndarray, cand: Candidates, assigned: np.ndarray
) -> np.ndarray:
    total = red.pinned_score + np.bincount(
        cand.sub[assigned], weights=cand.score[assigned], minlength=k.size
    )
    return total / np.maximum(k, 1)


def _fair(problem: AssignmentProblem, red: _Reduced, cand: Candidates, plain: _Flow, rounds: int):
    """Multiplicative-weights search for a fair assignment on the candidate graph.

    Hedge over submissions (losses = mean affinity of each step's reviewers): step t
    maximises ``sum_i lambda_i * mean affinity_i`` (+ the plain weight as a tie-break)
    as a min-cost flow. For any ``lambda`` in the simplex that maximum bounds the best
    achievable minimum from above; the smallest such bound is reported.
    """
    k = problem.k
    active = k > 0
    n_active = int(active.sum())
    means = _submission_means(red, k, cand, plain.assigned)
    best_key = (means[active].min() if n_active else 0.0, -plain.cost)
    best = plain.assigned
    if n_active == 0:
        return (*_finish(problem, red, cand, best), 0.0, True)
    eta = np.sqrt(2.0 * np.log(max(n_active, 2)) / max(rounds, 1))
    losses = np.zeros(k.size)
    bound = np.inf
    fine = SCALE * SCALE  # main term resolution; the plain weight only breaks ties
    n_free = int(red.k.sum())
    max_tie = int(np.abs(cand.weight).max()) if len(cand) else 0
    assigned = plain.assigned
    for _ in range(rounds):
        losses += means
        logits = -eta * (losses - losses[active].min())
        lam = np.where(active, np.exp(logits), 0.0)
        lam /= lam.sum()
        c = lam / np.maximum(k, 1)
        c_max = c.max()
        main = np.rint(cand.score * (c[cand.sub] / c_max) * fine).astype(np.int64)
        flow = _solve_flow(red, cand, costs=-(main + cand.weight))
        if flow is None:  # pragma: no cover - same graph as the feasible plain flow
            break
        assigned = flow.assigned
        means = _submission_means(red, k, cand, assigned)
        # sum_i lam_i * mean_i for this step, and the rounding slack of its optimality.
        value = float((lam * means).sum())
        slack = 2.0 * n_free * (0.5 + max_tie) * c_max / fine
        bound = min(bound, value + slack)
        key = (means[active].min(), int(cand.weight[assigned].sum()))
        if key > best_key:
            best_key, best = key, assigned
    floor = best_key[0]
    best = _protect_and_reoptimise(red, k, cand, best, floor)
    pairs, score, is_pinned, objective_int = _finish(problem, red, cand, best)
    proven = floor >= bound - 1e-12
    return (
        pairs,
        score,
        is_pinned,
        objective_int,
        float(bound) if np.isfinite(bound) else None,
        bool(proven),
    )


def _protect_and_reoptimise(
    red: _Reduced, k: np.ndarray, cand: Candidates, fair: np.ndarray, floor: float
) -> np.ndarray:
    """Raise the total weight again while every submission keeps at least ``floor``.

    Submissions are re-assigned by the plain objective; any that would fall below the
    floor get their reviewers from the fair assignment ``fair`` back and are held there,
    and the rest is solved again, until none falls below. The fair assignment always
    completes the held part, so every round is feasible, and the held set only grows.
    """
    ns = k.size
    held = np.zeros(ns, dtype=bool)
    for _ in range(ns + 1):
        free = ~held[cand.sub]
        kept = fair & ~free
        used = np.bincount(cand.rev[kept], minlength=red.min_load.size)
        reduced = _Reduced(
            k=np.where(held, 0, red.k),
            min_load=np.maximum(red.min_load - used, 0),
            max_load=red.max_load - used,
            pinned_score=red.pinned_score,
            pinned_weight=red.pinned_weight,
        )
        part = Candidates(
            cand.sub[free],
            cand.rev[free],
            cand.score[free],
            cand.weight[free],
            cand.theta,
            cand.complete,
            cand.top_n,
        )
        flow = _solve_flow(reduced, part)
        if flow is None:  # pragma: no cover - the fair assignment completes it
            return fair
        assigned = kept.copy()
        assigned[np.flatnonzero(free)[flow.assigned]] = True
        means = _submission_means(red, k, cand, assigned)
        below = (means < floor - 1e-12) & (k > 0) & ~held
        if not below.any():
            return assigned
        held |= below
    return fair  # pragma: no cover - the held set grows every round
