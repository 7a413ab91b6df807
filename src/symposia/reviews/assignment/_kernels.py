"""Compiled loops (numba) for the text affinity; imported only when numba is installed."""

import numba
import numpy as np
from numba import njit, prange


def use_threads(workers: int) -> int:
    """Let numba use up to ``workers`` threads; returns how many it will use."""
    threads = max(1, min(workers, numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(threads)
    return threads


@njit(parallel=True, cache=True, nogil=True)
def best_match(q_indptr, q_indices, q_data, p_indptr, p_indices, p_data, starts, out, n_blocks):
    """``out[i, r] = max over documents d of reviewer r of sum_t q[i, t] * p[t, d]``.

    ``q`` (CSR, submissions x terms) holds query weights, ``p`` (CSR, terms x documents)
    the postings of document weights; reviewer r owns documents
    ``starts[r]:starts[r+1]``. Each submission accumulates its dot products with all
    documents in a dense buffer through the postings of its terms (term-at-a-time
    scoring, Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M
    31(6), 1995), then reduces it per reviewer and clears it on the way.
    """
    n_rows = q_indptr.size - 1
    n_docs = starts[-1]
    n_rev = starts.size - 1
    for block in prange(n_blocks):
        acc = np.zeros(n_docs, dtype=np.float32)
        for i in range(block, n_rows, n_blocks):
            for k in range(q_indptr[i], q_indptr[i + 1]):
                t = q_indices[k]
                w = q_data[k]
                for q in range(p_indptr[t], p_indptr[t + 1]):
                    acc[p_indices[q]] += w * p_data[q]
            for r in range(n_rev):
                best = np.float32(0.0)
                for d in range(starts[r], starts[r + 1]):
                    if acc[d] > best:
                        best = acc[d]
                    acc[d] = 0.0
                out[i, r] = best
