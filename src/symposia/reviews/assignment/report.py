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
    bids: object = None,
    bid_kinds: object = None,
) -> AssignmentReport:
    """Build an :class:`AssignmentReport`.

    ``pairs`` are assigned (submission, reviewer) pairs ``(m, 2)``, ``score`` their
    affinity ``(m,)``, ``k`` the reviewers needed per submission (number or array),
    ``bids``/``bid_kinds`` the bids as in :class:`.problem.AssignmentProblem`.
    """
    pairs = as_pairs(pairs)
    score = np.asarray(score, dtype=np.float64).reshape(-1)
    k = np.broadcast_to(np.asarray(k, dtype=np.int64), (n_submissions,))
    per_sub = np.bincount(pairs[:, 0], weights=score, minlength=n_submissions)
    count = np.bincount(pairs[:, 0], minlength=n_submissions)
    needed = k > 0
    means = per_sub[needed] / np.maximum(count[needed], 1)
    loads = np.bincount(pairs[:, 1], minlength=n_reviewers)
    values, counts = np.unique(loads, return_counts=True)
    honoured: dict[str, dict[str, int]] = {}
    bid_pairs = as_pairs(bids)
    kinds = np.asarray(bid_kinds if bid_kinds is not None else [], dtype=np.int64)
    if bid_pairs.size:
        stride = np.int64(max(n_reviewers, 1))
        assigned = np.isin(bid_pairs[:, 0] * stride + bid_pairs[:, 1], pairs[:, 0] * stride + pairs[:, 1])
        for kind in Bid:
            mask = kinds == kind
            if mask.any():
                honoured[kind.label] = {
                    "assigned": int(assigned[mask].sum()),
                    "total": int(mask.sum()),
                }
    return AssignmentReport(
        n_pairs=int(len(pairs)),
        total_affinity=float(score.sum()),
        min_submission_affinity=float(means.min()) if means.size else 0.0,
        median_submission_affinity=float(np.median(means)) if means.size else 0.0,
        mean_submission_affinity=float(means.mean()) if means.size else 0.0,
        min_pair_affinity=float(score.min()) if score.size else 0.0,
        load_histogram={int(v): int(c) for v, c in zip(values, counts, strict=True)},
        bids_honoured=honoured,
    )
