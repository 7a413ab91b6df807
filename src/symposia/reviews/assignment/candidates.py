"""Candidate pairs for the assignment flow: each submission's best-weighted pairs.

Two sources share one interface: :class:`DenseSource` reads a dense affinity matrix
row chunk by row chunk (never a second full matrix), :class:`SparseSource` ranks a
given list of eligible pairs. Both can later check the pairs they left out against
dual potentials (:meth:`violations`), which is how the solver proves that a flow on
the pruned graph is optimal for all pairs.

The weight of a pair is ``affinity + bid bonus``; its integer weight is
``rint(SCALE * weight)`` (see :data:`.problem.SCALE`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from .problem import SCALE, AssignmentProblem, Bid, as_pairs

#: Integer weight standing for "no pair left out" in :attr:`Candidates.theta`.
NO_THETA = np.iinfo(np.int64).min


def default_workers() -> int:
    """CPU cores this process may use (``OMP_NUM_THREADS`` caps it), at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    limit = os.environ.get("OMP_NUM_THREADS", "")
    if limit.isdigit() and int(limit) > 0:
        cores = min(cores, int(limit))
    return max(1, cores)


def int_weight(weight: np.ndarray) -> np.ndarray:
    """Integer weight of real weights, ``rint(SCALE * weight)`` as int64."""
    return np.rint(np.asarray(weight, dtype=np.float64) * SCALE).astype(np.int64)


def ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, e)`` for each ``(s, e)``, without a Python loop."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return offsets + np.arange(total, dtype=np.int64)


@dataclass
class Candidates:
    """Candidate pairs, sorted by submission. ``theta[i]`` is the largest integer weight
    among submission ``i``'s eligible pairs left out (``NO_THETA`` if none)."""

    sub: np.ndarray
    rev: np.ndarray
    score: np.ndarray
    weight: np.ndarray  # integer weight
    theta: np.ndarray
    complete: bool
    top_n: int

    def __len__(self) -> int:
        return int(self.sub.size)

    def with_extra(
        self, sub: np.ndarray, rev: np.ndarray, score: np.ndarray, weight: np.ndarray
    ) -> Candidates:
        order = np.argsort(np.concatenate([self.sub, sub]), kind="stable")
        return Candidates(
            sub=np.concatenate([self.sub, sub])[order],
            rev=np.concatenate([self.rev, rev])[order],
            score=np.concatenate([self.score, score])[order],
            weight=np.concatenate([self.weight, weight])[order],
            theta=self.theta,
            complete=self.complete,
            top_n=self.top_n,
        )


class _RowIndex:
    """Pairs grouped by submission, to pull out the pairs of any set of rows fast."""

    def __init__(self, keys: np.ndarray, values: np.ndarray, n_rows: int, n_cols: int):
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = values[order]
        self.n_cols = n_cols
        rows = self.keys // max(n_cols, 1)
        self.indptr = np.searchsorted(rows, np.arange(n_rows + 1))

    def take(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(position of the row in rows, column, value)`` of the pairs in ``rows``."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        idx = ranges(starts, ends)
        local = np.repeat(np.arange(rows.size), ends - starts)
        return local, self.keys[idx] % self.n_cols, self.values[idx]


class DenseSource:
    """Candidates from a dense affinity matrix, ``chunk_rows`` rows at a time."""

    def __init__(
        self, problem: AssignmentProblem, *, workers: int | None = None, chunk_rows: int = 0
    ):
        assert problem.affinity is not None
        self.problem = problem
        self.n_rows, self.n_cols = problem.n_submissions, problem.n_reviewers
        self.workers = workers or default_workers()
        # About 32 MB of float64 per chunk keeps temporaries small at any size.
        self.chunk_rows = chunk_rows or max(1, min(1024, 4_000_000 // max(self.n_cols, 1)))
        ineligible = problem.ineligible_keys()
        self._ineligible = _RowIndex(
            ineligible, np.zeros(ineligible.size), self.n_rows, self.n_cols
        )
        bonus = problem.bonus_of_kind()[problem.bid_kinds]
        keep = (problem.bid_kinds != Bid.CONFLICT) & (bonus != 0)
        self._bonus = _RowIndex(
            problem.keys(problem.bids[keep]), bonus[keep], self.n_rows, self.n_cols
        )
        self.max_per_row = self.n_cols

    def weights(self, rows: np.ndarray) -> np.ndarray:
        """Real weights of ``rows`` as float64 ``(len(rows), n_reviewers)``; ineligible
        pairs are ``-inf``. Raises ValueError on NaN affinities."""
        aff = self.problem.affinity
        assert aff is not None
        if rows.size and rows[-1] - rows[0] + 1 == rows.size:
            block = aff[rows[0] : rows[-1] + 1]
        else:
            block = aff[rows]
        w = block.astype(np.float64)
        if np.isnan(w).any():
            raise ValueError("affinity contains NaN")
        local, col, bonus = self._bonus.take(rows)
        w[local, col] += bonus
        local, col, _ = self._ineligible.take(rows)
        w[local, col] = -np.inf
        return w

    def _top_chunk(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
        w = self.weights(rows)
        if n >= self.n_cols:
            r, c = np.nonzero(np.isfinite(w))
            theta = np.full(rows.size, NO_THETA, dtype=np.int64)
        else:
            cut = self.n_cols - n - 1
            part = np.argpartition(w, cut, axis=1)
            best = part[:, cut + 1 :]
            left_out = w[np.arange(rows.size), part[:, cut]]
            finite = np.isfinite(left_out)
            theta = np.where(finite, int_weight(np.where(finite, left_out, 0.0)), NO_THETA)
            r = np.repeat(np.arange(rows.size), n)
            c = best.ravel()
            ok = np.isfinite(w[r, c])
            r, c = r[ok], c[ok]
        vals = w[r, c]
        sub = rows[r]
        score = np.asarray(self.problem.affinity[sub, c], dtype=np.float64)
        return sub, c.astype(np.int64), score, int_weight(vals), theta

    def top(self, n: int) -> Candidates:
        """Each submission's ``n`` best eligible pairs by weight."""
        n = max(0, min(n, self.n_cols))
        starts = range(0, self.n_rows, self.chunk_rows)
        chunks = [np.arange(s, min(s + self.chunk_rows, self.n_rows)) for s in starts]
        if self.workers > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(self.workers) as pool:
                parts = list(pool.map(lambda rows: self._top_chunk(rows, n), chunks))
        else:
            parts = [self._top_chunk(rows, n) for rows in chunks]
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Candidates(empty, empty, np.zeros(0), empty, empty, True, n)
        sub, rev, score, weight, theta = (np.concatenate(p) for p in zip(*parts, strict=True))
        return Candidates(sub, rev, score, weight, theta, n >= self.n_cols, n)

    def violations(
        self, cand: Candidates, pi_sub: np.ndarray, pi_rev: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        """Left-out eligible pairs of ``rows`` whose reduced cost is negative, i.e.
        ``weight > pi_sub[i] - pi_rev[j]``: ``(sub, rev, score, weight)``."""
        found: list[tuple[np.ndarray, ...]] = []
        if rows.size == 0:
            return _empty_edges()
        cand_index = _RowIndex(
            cand.sub * np.int64(self.n_cols) + cand.rev,
            np.zeros(len(cand)),
            self.n_rows,
            self.n_cols,
        )
        for s in range(0, rows.size, self.chunk_rows):
            chunk = rows[s : s + self.chunk_rows]
            w = self.weights(chunk)
            local, col, _ = cand_index.take(chunk)
            w[local, col] = -np.inf
            finite = np.isfinite(w)
            wi = np.where(finite, np.rint(np.where(finite, w, 0) * SCALE), -np.inf)
            bad = wi > (pi_sub[chunk][:, None] - pi_rev[None, :]).astype(np.float64)
            r, c = np.nonzero(bad)
            if r.size:
                sub = chunk[r]
                found.append(
                    (
                        sub,
                        c.astype(np.int64),
                        np.asarray(self.problem.affinity[sub, c], dtype=np.float64),
                        wi[r, c].astype(np.int64),
                    )
                )
        if not found:
            return _empty_edges()
        return tuple(np.concatenate(p) for p in zip(*found, strict=True))


class SparseSource:
    """Candidates from the eligible pairs listed in a sparse problem."""

    def __init__(self, problem: AssignmentProblem):
        pairs, scores = problem.sparse_universe()
        keep = ~np.isin(problem.keys(pairs), problem.ineligible_keys())
        pairs, scores = pairs[keep], scores[keep]
        weight = int_weight(scores + problem.pair_bonus(pairs))
        order = np.lexsort((-weight, pairs[:, 0]))
        self.sub = pairs[order, 0]
        self.rev = pairs[order, 1]
        self.score = scores[order]
        self.weight = weight[order]
        counts = np.bincount(self.sub, minlength=problem.n_submissions)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.rank = np.arange(self.sub.size) - np.repeat(starts, counts)
        self.max_per_row = int(counts.max()) if counts.size else 0
        self.n_rows = problem.n_submissions
        self.n_cols = problem.n_reviewers
        self._included = np.zeros(self.sub.size, dtype=bool)

    def top(self, n: int) -> Candidates:
        n = max(0, n)
        sel = self.rank < n
        self._included = sel.copy()
        theta = np.full(self.n_rows, NO_THETA, dtype=np.int64)
        nth = self.rank == n
        theta[self.sub[nth]] = self.weight[nth]
        return Candidates(
            self.sub[sel],
            self.rev[sel],
            self.score[sel],
            self.weight[sel],
            theta,
            n >= self.max_per_row,
            n,
        )

    def violations(
        self, cand: Candidates, pi_sub: np.ndarray, pi_rev: np.ndarray, rows: np.ndarray
    ) -> tuple[np.ndarray, ...]:
        in_rows = np.zeros(self.n_rows, dtype=bool)
        in_rows[rows] = True
        cand_keys = cand.sub * np.int64(self.n_cols) + cand.rev
        out = ~np.isin(self.sub * np.int64(self.n_cols) + self.rev, cand_keys) & in_rows[self.sub]
        bad = out & (self.weight > pi_sub[self.sub] - pi_rev[self.rev])
        return self.sub[bad], self.rev[bad], self.score[bad], self.weight[bad]


def _empty_edges() -> tuple[np.ndarray, ...]:
    e = np.zeros(0, dtype=np.int64)
    return e, e, np.zeros(0), e


def source_for(problem: AssignmentProblem, *, workers: int | None = None):
    """The candidate source matching the problem's form."""
    if problem.affinity is not None:
        return DenseSource(problem, workers=workers)
    return SparseSource(problem)


__all__ = ["Candidates", "DenseSource", "SparseSource", "as_pairs", "source_for"]
