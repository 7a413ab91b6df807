"""The reviewer assignment problem as plain arrays.

Indices are positions: submission ``i`` is row ``i`` of every per-submission array and
reviewer ``j`` is row ``j`` of every per-reviewer array. Pairs (conflicts, pinned and
forbidden pairs, bids) are integer arrays of shape ``(m, 2)`` holding
``(submission index, reviewer index)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

import numpy as np

#: Scores are turned into integer costs as ``round(SCALE * weight)``. A weight is thus
#: known to 0.5e-4, and the optimum of the rounded problem is within
#: ``1e-4 * (number of assigned pairs)`` of the optimum for the exact weights.
SCALE = 10_000


class Bid(IntEnum):
    """A reviewer's bid on a submission (``NONE`` when the reviewer did not bid)."""

    NONE = 0
    EAGER = 1
    WILLING = 2
    NOT_WILLING = 3
    CONFLICT = 4

    @property
    def label(self) -> str:
        return self.name.lower()


#: Added to the affinity (in [0, 1]) of a pair with that bid. ``NOT_WILLING`` makes a pair
#: worse than any pair without a bid, so it is used only when nothing else fits. A
#: ``CONFLICT`` bid is a conflict of interest and the pair is never assigned.
DEFAULT_BID_BONUS: Mapping[Bid, float] = {
    Bid.NONE: 0.0,
    Bid.EAGER: 0.5,
    Bid.WILLING: 0.2,
    Bid.NOT_WILLING: -1.0,
}


def as_pairs(pairs: object, name: str = "pairs") -> np.ndarray:
    """Return ``pairs`` as an int64 array of shape ``(m, 2)``; ``None`` gives ``(0, 2)``.

    Raises ValueError when the input cannot be read as a list of pairs.
    """
    if pairs is None:
        return np.zeros((0, 2), dtype=np.int64)
    arr = np.asarray(pairs, dtype=np.int64)
    if arr.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (m, 2), got {arr.shape}")
    return arr


def _per_row(value: object, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a number or have shape ({n},), got {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        raise ValueError(f"{name} must hold whole numbers")
    arr = arr.astype(np.int64)
    if np.any(arr < 0):
        raise ValueError(f"{name} must not be negative")
    return arr


@dataclass(eq=False)
class AssignmentProblem:
    """Who may review what, how much, and how well they match.

    Scores come from exactly one of:

    * ``affinity``: a dense float array of shape ``(n_submissions, n_reviewers)`` in
      [0, 1]; every pair that is not a conflict or forbidden is eligible;
    * ``edges`` + ``edge_scores``: the eligible pairs, shape ``(m, 2)``, and their
      affinity, shape ``(m,)``. Pairs not listed are not eligible, except pairs with an
      ``EAGER`` or ``WILLING`` bid, which are added with affinity 0 when missing.

    ``k`` is the number of reviewers each submission needs (a number, or one per
    submission for per-type overrides); ``min_load``/``max_load`` bound how many
    submissions each reviewer gets. ``pinned`` pairs are always assigned (they count
    towards ``k`` and the loads), ``forbidden`` pairs and ``conflicts`` never are.
    ``bids`` are pairs with ``bid_kinds`` (values of :class:`Bid`); each adds
    ``bid_bonus[kind]`` to the pair's weight, a ``CONFLICT`` bid is a conflict.

    Re-running after an organiser edited an assignment by hand keeps the edits when they
    are passed as ``pinned`` (pairs added) and ``forbidden`` (pairs removed), see
    :func:`symposia.reviews.assignment.solver.with_edits`.

    ``submission_labels``/``reviewer_labels`` name rows in explanations (default
    ``"submission #i"``). Raises ValueError on inconsistent shapes or indices.
    """

    n_submissions: int
    n_reviewers: int
    k: object = 3
    min_load: object = 0
    max_load: object = 6
    affinity: np.ndarray | None = None
    edges: object = None
    edge_scores: object = None
    conflicts: object = None
    pinned: object = None
    forbidden: object = None
    bids: object = None
    bid_kinds: object = None
    bid_bonus: Mapping[Bid, float] = field(default_factory=lambda: dict(DEFAULT_BID_BONUS))
    submission_labels: Sequence[str] | None = None
    reviewer_labels: Sequence[str] | None = None

    def __post_init__(self) -> None:
        ns, nr = int(self.n_submissions), int(self.n_reviewers)
        if ns < 0 or nr < 0:
            raise ValueError("n_submissions and n_reviewers must not be negative")
        self.n_submissions, self.n_reviewers = ns, nr
        self.k = _per_row(self.k, ns, "k")
        self.min_load = _per_row(self.min_load, nr, "min_load")
        self.max_load = _per_row(self.max_load, nr, "max_load")
        bad = np.flatnonzero(self.min_load > self.max_load)
        if bad.size:
            raise ValueError(f"min_load exceeds max_load for {self.reviewer_label(int(bad[0]))}")

        if (self.affinity is None) == (self.edges is None):
            raise ValueError("give either a dense affinity matrix or edges with edge_scores")
        if self.affinity is not None:
            aff = np.asarray(self.affinity)
            if aff.shape != (ns, nr):
                raise ValueError(f"affinity must have shape ({ns}, {nr}), got {aff.shape}")
            if aff.dtype not in (np.float32, np.float64):
                aff = aff.astype(np.float32)
            self.affinity = aff
        else:
            self.edges = self._checked_pairs(self.edges, "edges")
            scores = np.asarray(self.edge_scores, dtype=np.float64).reshape(-1)
            if scores.shape != (len(self.edges),):
                raise ValueError("edge_scores must have one score per edge")
            if not np.all(np.isfinite(scores)):
                raise ValueError("edge_scores must be finite")
            if has_repeats(self.keys(self.edges)):
                raise ValueError("edges must not repeat a pair")
            self.edge_scores = scores

        self.conflicts = self._checked_pairs(self.conflicts, "conflicts")
        self.pinned = np.unique(self._checked_pairs(self.pinned, "pinned"), axis=0)
        self.forbidden = self._checked_pairs(self.forbidden, "forbidden")
        self.bids = self._checked_pairs(self.bids, "bids")
        kinds = np.asarray(
            self.bid_kinds if self.bid_kinds is not None else [], dtype=np.int64
        ).reshape(-1)
        if kinds.shape != (len(self.bids),):
            raise ValueError("bid_kinds must have one kind per bid")
        if kinds.size and (kinds.min() < 0 or kinds.max() > max(Bid)):
            raise ValueError("bid_kinds must be values of Bid")
        self.bid_kinds = kinds
        bid_keys = self.keys(self.bids)
        order = np.argsort(bid_keys, kind="stable")
        self._bid_keys_sorted = bid_keys[order]
        self._bid_kinds_sorted = kinds[order]
        if has_repeats(self._bid_keys_sorted, is_sorted=True):
            raise ValueError("bids must not repeat a pair")
        self.bid_bonus = {Bid(b): float(self.bid_bonus.get(b, 0.0)) for b in Bid}
        if self.submission_labels is not None and len(self.submission_labels) != ns:
            raise ValueError("submission_labels must have one label per submission")
        if self.reviewer_labels is not None and len(self.reviewer_labels) != nr:
            raise ValueError("reviewer_labels must have one label per reviewer")

    @classmethod
    def from_arrays(
        cls,
        n_submissions: int,
        n_reviewers: int,
        sub_idx: object,
        rev_idx: object,
        score: object,
        **kwargs: object,
    ) -> AssignmentProblem:
        """Sparse form from parallel arrays: eligible pair ``m`` is submission
        ``sub_idx[m]`` with reviewer ``rev_idx[m]`` and affinity ``score[m]``; other
        arguments as for the class."""
        edges = np.stack(
            [np.asarray(sub_idx, dtype=np.int64), np.asarray(rev_idx, dtype=np.int64)], axis=1
        )
        return cls(n_submissions, n_reviewers, edges=edges, edge_scores=score, **kwargs)

    def _checked_pairs(self, pairs: object, name: str) -> np.ndarray:
        arr = as_pairs(pairs, name)
        if arr.size and (
            arr[:, 0].min() < 0
            or arr[:, 0].max() >= self.n_submissions
            or arr[:, 1].min() < 0
            or arr[:, 1].max() >= self.n_reviewers
        ):
            raise ValueError(f"{name} refer to a submission or reviewer that does not exist")
        return arr

    def keys(self, pairs: np.ndarray) -> np.ndarray:
        """One int64 key per pair: ``submission * n_reviewers + reviewer``."""
        return pairs[:, 0] * np.int64(self.n_reviewers) + pairs[:, 1]

    def submission_label(self, i: int) -> str:
        if self.submission_labels is not None:
            return str(self.submission_labels[i])
        return f"submission #{i}"

    def reviewer_label(self, j: int) -> str:
        if self.reviewer_labels is not None:
            return str(self.reviewer_labels[j])
        return f"reviewer #{j}"

    # Derived sets, shared by the solver, the explanations and the report.

    def conflict_keys(self) -> np.ndarray:
        """Sorted unique keys of conflicts of interest, conflict bids included."""
        return self._conflict_keys

    @cached_property
    def _conflict_keys(self) -> np.ndarray:
        bid_conflicts = self._bid_keys_sorted[self._bid_kinds_sorted == Bid.CONFLICT]
        return unique_keys(np.concatenate([self.keys(self.conflicts), bid_conflicts]))

    def ineligible_keys(self) -> np.ndarray:
        """Sorted unique keys of pairs that may never be chosen freely: conflicts,
        forbidden and pinned pairs (pinned pairs are assigned outside the choice)."""
        return self._ineligible_keys

    @cached_property
    def _ineligible_keys(self) -> np.ndarray:
        return unique_keys(
            np.concatenate(
                [self.conflict_keys(), self.keys(self.forbidden), self.keys(self.pinned)]
            )
        )

    def sorted_bids(self) -> tuple[np.ndarray, np.ndarray]:
        """Bid keys in increasing order and their kinds."""
        return self._bid_keys_sorted, self._bid_kinds_sorted

    def bonus_of_kind(self) -> np.ndarray:
        """Bonus per :class:`Bid` value, as an array indexed by the value."""
        return np.array([self.bid_bonus[b] for b in Bid], dtype=np.float64)

    def pair_scores(self, pairs: np.ndarray) -> np.ndarray:
        """Affinity of each pair; 0 for pairs outside the sparse edges."""
        pairs = as_pairs(pairs)
        if self.affinity is not None:
            return np.asarray(self.affinity[pairs[:, 0], pairs[:, 1]], dtype=np.float64)
        return lookup(self.keys(self.edges), self.edge_scores, self.keys(pairs), 0.0)

    def pair_bonus(self, pairs: np.ndarray) -> np.ndarray:
        """Bid bonus of each pair (0 without a bid)."""
        return self.bonus_of_kind()[self.pair_kinds(pairs)]

    def pair_kinds(self, pairs: np.ndarray) -> np.ndarray:
        """Bid kind of each pair (``Bid.NONE`` without a bid)."""
        keys = self.keys(as_pairs(pairs))
        return lookup_sorted(self._bid_keys_sorted, self._bid_kinds_sorted, keys, Bid.NONE)

    def sparse_universe(self) -> tuple[np.ndarray, np.ndarray]:
        """For the sparse form: every pair that can be scored (edges plus eager and willing
        bids) as ``(pairs (m, 2), affinity (m,))``, conflicts etc. not yet removed."""
        assert self.edges is not None
        positive = self.bids[(self.bid_kinds == Bid.EAGER) | (self.bid_kinds == Bid.WILLING)]
        extra = positive[~isin_sorted(self.keys(positive), np.sort(self.keys(self.edges)))]
        pairs = np.concatenate([self.edges, extra])
        scores = np.concatenate([self.edge_scores, np.zeros(len(extra))])
        return pairs, scores

    def eligible_pairs(self) -> np.ndarray:
        """All pairs that may be chosen (not conflicted, forbidden or pinned), shape (m, 2).

        For the dense form this enumerates ``n_submissions * n_reviewers`` pairs; callers
        use it on small problems only.
        """
        if self.affinity is not None:
            sub, rev = np.divmod(
                np.arange(self.n_submissions * self.n_reviewers, dtype=np.int64),
                self.n_reviewers,
            )
            pairs = np.stack([sub, rev], axis=1)
        else:
            pairs, _ = self.sparse_universe()
        return pairs[~isin_sorted(self.keys(pairs), self.ineligible_keys())]


def has_repeats(keys: np.ndarray, *, is_sorted: bool = False) -> bool:
    """Whether a key occurs twice (one sort, no hashing: fast on millions of keys)."""
    s = keys if is_sorted else np.sort(keys)
    return bool(s.size > 1 and np.any(s[1:] == s[:-1]))


def unique_keys(keys: np.ndarray) -> np.ndarray:
    """Sorted unique int64 keys (sort based, faster than ``np.unique`` on large inputs)."""
    s = np.sort(np.asarray(keys, dtype=np.int64))
    if s.size == 0:
        return s
    return s[np.concatenate([[True], s[1:] != s[:-1]])]


def isin_sorted(queries: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``queries`` occur in ``sorted_keys`` (binary search)."""
    if sorted_keys.size == 0:
        return np.zeros(queries.shape, dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, queries), sorted_keys.size - 1)
    return sorted_keys[pos] == queries


def lookup_sorted(
    sorted_keys: np.ndarray, values: np.ndarray, queries: np.ndarray, default: object
) -> np.ndarray:
    """``values[i]`` where ``sorted_keys[i] == q`` for each query, ``default`` if absent."""
    out = np.full(queries.shape, default, dtype=np.result_type(values, np.asarray(default)))
    if sorted_keys.size == 0 or queries.size == 0:
        return out
    pos = np.minimum(np.searchsorted(sorted_keys, queries), sorted_keys.size - 1)
    found = sorted_keys[pos] == queries
    out[found] = values[pos[found]]
    return out


def lookup(
    keys: np.ndarray, values: np.ndarray, queries: np.ndarray, default: object
) -> np.ndarray:
    """``values[keys == q]`` for each query ``q``, ``default`` when absent (keys unique)."""
    order = np.argsort(keys, kind="stable")
    return lookup_sorted(keys[order], values[order], queries, default)
