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

from .problem import (
    SCALE,
    AssignmentProblem,
    Bid,
    as_pairs,
    isin_sorted,
    lookup,
    lookup_sorted,
)

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

    def __init__(
        self,
        keys: np.ndarray,
        values: np.ndarray,
        n_rows: int,
        n_cols: int,
        *,
        is_sorted: bool = False,
    ):
        if is_sorted:
            self.keys, self.values = keys, values
        else:
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
    """Candidates from a dense affinity matrix, ``chunk_rows`` rows at a time.

    Weights are formed in float32 for speed; the integer weights of chosen pairs are
    then computed exactly in float64, and bounds on left-out pairs (``theta``, the
    violation test) are rounded up by one unit, so they stay valid."""

    def __init__(
        self, problem: AssignmentProblem, *, workers: int | None = None, chunk_rows: int = 0
    ):
        assert problem.affinity is not None
        self.problem = problem
        self.affinity = problem.affinity
        self.n_rows, self.n_cols = problem.n_submissions, problem.n_reviewers
        self.workers = workers or default_workers()
        # About 16 MB of float32 per chunk keeps temporaries small at any size.
        self.chunk_rows = chunk_rows or max(1, min(1024, 4_000_000 // max(self.n_cols, 1)))
        ineligible = problem.ineligible_keys()
        self._ineligible = _RowIndex(
            ineligible, np.zeros(ineligible.size), self.n_rows, self.n_cols, is_sorted=True
        )
        bid_keys, bid_kinds = problem.sorted_bids()
        bonus = problem.bonus_of_kind()[bid_kinds]
        keep = (bid_kinds != Bid.CONFLICT) & (bonus != 0)
        self._bonus = _RowIndex(
            bid_keys[keep], bonus[keep], self.n_rows, self.n_cols, is_sorted=True
        )
        self.max_per_row = self.n_cols
        # A fixed column sample estimates each row's cut-off value for the top n.
        rng = np.random.default_rng(0)
        size = min(self.n_cols, 2048)
        self._sample = np.sort(rng.choice(self.n_cols, size, replace=False)) if size else None

    def weights(self, rows: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Float32 weights of ``rows`` ``(len(rows), n_reviewers)`` with ineligible pairs
        at ``-inf``, and the bonus entries ``(row position, column, bonus)`` added.
        Raises ValueError on NaN affinities."""
        aff = self.affinity
        if rows.size and rows[-1] - rows[0] + 1 == rows.size:
            w = np.array(aff[rows[0] : rows[-1] + 1], dtype=np.float32)
        else:
            w = np.asarray(aff[rows], dtype=np.float32)
        if np.isnan(w).any():
            raise ValueError("affinity contains NaN")
        bonus = self._bonus.take(rows)
        w[bonus[0], bonus[1]] += bonus[2].astype(np.float32)
        local, col, _ = self._ineligible.take(rows)
        w[local, col] = -np.inf
        return w, bonus

    def _exact(
        self, rows: np.ndarray, local: np.ndarray, col: np.ndarray, bonus: tuple[np.ndarray, ...]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Affinity (float64) and exact integer weight of pairs ``(rows[local], col)``."""
        score = np.asarray(self.affinity[rows[local], col], dtype=np.float64)
        width = np.int64(self.n_cols)
        keys = bonus[0] * width + bonus[1]
        queries = local * width + col
        if np.all(rows[1:] > rows[:-1]):  # bonus entries come sorted by (row, column)
            extra = lookup_sorted(keys, bonus[2], queries, 0.0)
        else:
            extra = lookup(keys, bonus[2], queries, 0.0)
        return score, int_weight(score + extra)

    def _top_rows(self, w: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exact top ``n`` per row of ``w`` by argpartition: (row, col, theta float)."""
        m, width = w.shape
        cut = width - n - 1
        part = np.argpartition(w, cut, axis=1)
        left_out = w[np.arange(m), part[:, cut]]
        r = np.repeat(np.arange(m), n)
        c = part[:, cut + 1 :].ravel()
        return r, c, left_out

    def _top_chunk(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, ...]:
        w, bonus = self.weights(rows)
        m, width = w.shape
        theta = np.full(rows.size, NO_THETA, dtype=np.int64)
        if n >= width:
            r, c = np.nonzero(np.isfinite(w))
        elif self._sample is not None and width >= 4 * (n + 1) and width > 2 * self._sample.size:
            # Cut-off per row from the sample, aiming at ~1.3 n + 8 entries above it;
            # rows where fewer than n + 1 clear it take the exact path.
            size = self._sample.size
            rank = min(size - 1, int(np.ceil((n + 1) * size / width * 1.3)) + 8)
            tau = np.partition(w[:, self._sample], size - 1 - rank, axis=1)[:, size - 1 - rank]
            above = w >= tau[:, None]
            counts = above.sum(axis=1)
            easy = np.isfinite(tau) & (counts >= n + 1)
            r_parts, c_parts = [], []
            hard = np.flatnonzero(~easy)
            if hard.size:
                r, c, left = self._top_rows(w[hard], n)
                r_parts.append(hard[r])
                c_parts.append(c)
                theta[hard] = _theta(left)
            easy_rows = np.flatnonzero(easy)
            if easy_rows.size:
                if hard.size:
                    rr, cc = np.nonzero(above[easy_rows])
                else:
                    rr, cc = np.nonzero(above)
                k = counts[easy_rows]
                pos = np.arange(rr.size) - np.repeat(np.cumsum(k) - k, k)
                padded = np.full((easy_rows.size, int(k.max())), -np.inf, dtype=np.float32)
                cols = np.zeros(padded.shape, dtype=np.int64)
                padded[rr, pos] = w[easy_rows[rr], cc]
                cols[rr, pos] = cc
                r, c, left = self._top_rows(padded, n)
                r_parts.append(easy_rows[r])
                c_parts.append(cols[r, c])
                theta[easy_rows] = _theta(left)
            r, c = np.concatenate(r_parts), np.concatenate(c_parts)
            if hard.size:
                order = np.argsort(r, kind="stable")
                r, c = r[order], c[order]
        else:
            r, c, left = self._top_rows(w, n)
            theta[:] = _theta(left)
        ok = np.isfinite(w[r, c])
        r, c = r[ok], c[ok].astype(np.int64)
        score, weight = self._exact(rows, r, c, bonus)
        return rows[r], c, score, weight, theta

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
        """Left-out eligible pairs of ``rows`` whose reduced cost may be negative,
        ``weight > pi_sub[i] - pi_rev[j]`` (one unit of slack for float32):
        ``(sub, rev, score, weight)``."""
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
            w, bonus = self.weights(chunk)
            local, col, _ = cand_index.take(chunk)
            w[local, col] = -np.inf
            limit = (pi_sub[chunk][:, None] - pi_rev[None, :] - 1).astype(np.float64) / SCALE
            r, c = np.nonzero(w > limit)
            if r.size:
                score, weight = self._exact(chunk, r, c.astype(np.int64), bonus)
                found.append((chunk[r], c.astype(np.int64), score, weight))
        if not found:
            return _empty_edges()
        return tuple(np.concatenate(p) for p in zip(*found, strict=True))


def _theta(left_out: np.ndarray) -> np.ndarray:
    """Integer upper bound on the weights left out (float32 values rounded up one unit)."""
    finite = np.isfinite(left_out)
    return np.where(finite, int_weight(np.where(finite, left_out, 0.0)) + 1, NO_THETA)


class SparseSource:
    """Candidates from the eligible pairs listed in a sparse problem."""

    def __init__(self, problem: AssignmentProblem):
        pairs, scores = problem.sparse_universe()
        keep = ~isin_sorted(problem.keys(pairs), problem.ineligible_keys())
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

    def top(self, n: int) -> Candidates:
        n = max(0, n)
        sel = self.rank < n
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
        out = ~isin_sorted(self.sub * np.int64(self.n_cols) + self.rev, np.sort(cand_keys))
        out &= in_rows[self.sub]
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
