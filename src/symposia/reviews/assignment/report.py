"""Summary of an assignment for organisers: affinity, loads, bids honoured."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .problem import Bid, as_pairs


@dataclass(frozen=True)
class AssignmentReport:
    """Figures an organiser checks before publishing an assignment.

    A submission's affinity is the mean affinity of its reviewers (in [0, 1] when
    affinities are, comparable across submissions needing different numbers of
    reviewers); submissions needing no reviewer are left out of min/median/mean.
    ``load_histogram`` maps a load to the number of reviewers with it.
    ``bids_honoured`` maps a bid kind to ``{"assigned": a, "total": t}``: of the ``t``
    bids of that kind, ``a`` ended up assigned.
    """

    n_pairs: int
    total_affinity: float
    min_submission_affinity: float
    median_submission_affinity: float
    mean_submission_affinity: float
    min_pair_affinity: float
    load_histogram: dict[int, int]
    bids_honoured: dict[str, dict[str, int]]

    def as_dict(self) -> dict:
        return asdict(self)


def summarise(
    n_submissions: int,
    n_reviewers: int,
    pairs: object,
    score: object,
    *,
    k: object,
    assigned_kinds: object = None,
    bid_kinds: object = None,
) -> AssignmentReport:
    """Build an :class:`AssignmentReport`.

    ``pairs`` are assigned (submission, reviewer) pairs ``(m, 2)``, ``score`` their
    affinity ``(m,)``, ``k`` the reviewers needed per submission (number or array).
    ``assigned_kinds`` is the :class:`.problem.Bid` of each assigned pair and
    ``bid_kinds`` the kinds of all bids made (for the totals).
    """
    pairs = as_pairs(pairs)
    score = np.asarray(score, dtype=np.float64).reshape(-1)
    k = np.broadcast_to(np.asarray(k, dtype=np.int64), (n_submissions,))
    per_sub = np.bincount(pairs[:, 0], weights=score, minlength=n_submissions)
    count = np.bincount(pairs[:, 0], minlength=n_submissions)
    needed = k > 0
    means = per_sub[needed] / np.maximum(count[needed], 1)
    loads = np.bincount(pairs[:, 1], minlength=n_reviewers)
    histogram = np.bincount(loads)
    honoured: dict[str, dict[str, int]] = {}
    made = np.bincount(
        np.asarray(bid_kinds if bid_kinds is not None else [], dtype=np.int64), minlength=len(Bid)
    )
    got = np.bincount(
        np.asarray(assigned_kinds if assigned_kinds is not None else [], dtype=np.int64),
        minlength=len(Bid),
    )
    for kind in Bid:
        if kind != Bid.NONE and made[kind]:
            honoured[kind.label] = {"assigned": int(got[kind]), "total": int(made[kind])}
    return AssignmentReport(
        n_pairs=int(len(pairs)),
        total_affinity=float(score.sum()),
        min_submission_affinity=float(means.min()) if means.size else 0.0,
        median_submission_affinity=float(np.median(means)) if means.size else 0.0,
        mean_submission_affinity=float(means.mean()) if means.size else 0.0,
        min_pair_affinity=float(score.min()) if score.size else 0.0,
        load_histogram={load: int(c) for load, c in enumerate(histogram) if c},
        bids_honoured=honoured,
    )
