"""Affinity of reviewers to submissions from text.

A reviewer is described by the titles and abstracts of their own papers and, optionally,
a keyword string (treated as one more short paper). The affinity of reviewer j to
submission i is the best match over j's papers:
``max_p cos(tfidf(submission i), tfidf(paper p))``, in [0, 1].

* TF-IDF (default): scikit-learn's English stop words and tokeniser, sublinear term
  frequency ``1 + ln tf``, smoothed IDF ``ln((1 + n) / (1 + df)) + 1`` fitted on the
  union of submissions and papers, L2-normalised rows (Salton & Buckley, "Term-weighting
  approaches in automatic text retrieval", IP&M 24(5), 1988); this is exactly
  ``TfidfVectorizer(sublinear_tf=True, stop_words="english")``.
* BM25 (``method="bm25"``): Okapi BM25 with ``k1 = 1.2``, ``b = 0.75`` (Robertson &
  Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", FnTIR 3(4),
  2009), each submission's distinct terms as the query, normalised by the score of the
  submission against itself and capped at 1.
* Sentence embeddings (:func:`embedding_affinity`): only with a model already on disk.

The best match over papers is computed without materialising submission x paper
similarities: each submission row accumulates its sparse dot products with all papers
into a dense buffer through the term postings, then takes the maximum per reviewer.
With numba installed this runs compiled and in parallel; otherwise sparse matrix
products in row chunks do the same (memory bounded by the chunk size).

:class:`AffinityCache` keeps computed rows keyed by SHA-256 of the texts, so adding a
submission computes one new row and adding a reviewer one new column.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from .candidates import default_workers

METHODS = ("tfidf", "bm25")
#: Below this many (submission, paper) pairs the compiled kernel's thread start-up costs
#: more than it saves, and sparse products are used.
COMPILED_MIN_PAIRS = 2_000_000
#: Use the compiled kernel (numba, when installed) for large inputs.
USE_COMPILED = True
BM25_K1 = 1.2
BM25_B = 0.75


@dataclass(frozen=True, eq=False)
class TextModel:
    """Vocabulary and term weights fitted on a corpus.

    ``idf`` has one float per vocabulary term; ``avgdl`` is the mean document length
    in vocabulary tokens (BM25 only). Plain data, so it can be stored and reloaded.
    """

    method: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    avgdl: float = 0.0

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the model: cached affinities are valid for one fingerprint only."""
        digest = hashlib.sha256(self.method.encode())
        digest.update(json.dumps(self.vocabulary, sort_keys=True).encode())
        digest.update(np.ascontiguousarray(self.idf, dtype=np.float64).tobytes())
        digest.update(repr(round(self.avgdl, 9)).encode())
        return digest.hexdigest()


def _counter(vocabulary: dict[str, int] | None = None) -> CountVectorizer:
    return CountVectorizer(stop_words="english", vocabulary=vocabulary, dtype=np.float32)


def _fit_counts(texts: Sequence[str], method: str) -> tuple[TextModel, sp.csr_matrix]:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    counter = _counter()
    try:
        counts = counter.fit_transform(texts).tocsr()
    except ValueError:  # empty vocabulary: no text at all, or only stop words
        return TextModel(method, {}, np.zeros(0, np.float32)), sp.csr_matrix((len(texts), 0))
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    if method == "tfidf":
        idf = np.log((1 + n) / (1 + df)) + 1
        avgdl = 0.0
    else:
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        avgdl = float(counts.sum() / max(n, 1))
    vocabulary = {str(t): int(i) for t, i in counter.vocabulary_.items()}
    return TextModel(method, vocabulary, idf.astype(np.float32), avgdl), counts


def fit_text_model(texts: Iterable[str], *, method: str = "tfidf") -> TextModel:
    """Fit vocabulary and IDF on ``texts`` (submissions and papers together)."""
    return _fit_counts(list(texts), method)[0]


def _count(model: TextModel, texts: Sequence[str]) -> sp.csr_matrix:
    if not model.vocabulary or not texts:
        return sp.csr_matrix((len(texts), len(model.vocabulary)), dtype=np.float32)
    return _counter(model.vocabulary).transform(texts).tocsr()


def _weigh(model: TextModel, counts: sp.csr_matrix, *, query: bool) -> sp.csr_matrix:
    """Term weights of count rows: TF-IDF rows (unit length) or BM25 document/query
    weights. Returns float32 CSR of the same shape."""
    counts = counts.astype(np.float32, copy=True).tocsr()
    counts.sum_duplicates()
    if model.method == "tfidf":
        counts.data = (1 + np.log(counts.data)) * model.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        counts.data /= np.repeat(norms, np.diff(counts.indptr)).astype(np.float32)
        return counts
    if query:
        counts.data = np.ones_like(counts.data)
        return counts
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(model.avgdl, 1e-9))
    tf = counts.data
    counts.data = (
        model.idf[counts.indices]
        * tf
        * (BM25_K1 + 1)
        / (tf + np.repeat(norm, np.diff(counts.indptr)))
    ).astype(np.float32)
    return counts


def _reviewer_documents(
    reviewer_papers: Sequence[Sequence[str]], reviewer_keywords: Sequence[str] | None
) -> tuple[list[str], np.ndarray]:
    """Papers (and keyword strings) of all reviewers in reviewer order, and
    ``starts`` such that reviewer j owns documents ``starts[j]:starts[j+1]``."""
    if reviewer_keywords is not None and len(reviewer_keywords) != len(reviewer_papers):
        raise ValueError("reviewer_keywords must have one entry per reviewer")
    docs: list[str] = []
    starts = [0]
    for j, papers in enumerate(reviewer_papers):
        if isinstance(papers, str):
            raise ValueError("reviewer_papers must hold a list of texts per reviewer")
        docs.extend(p for p in papers if p and p.strip())
        if reviewer_keywords is not None and (reviewer_keywords[j] or "").strip():
            docs.append(reviewer_keywords[j])
        starts.append(len(docs))
    return docs, np.asarray(starts, dtype=np.int64)


@dataclass
class _Prepared:
    queries: sp.csr_matrix  # submissions x terms
    postings: sp.csr_matrix  # terms x documents (document weights)
    starts: np.ndarray  # reviewer -> first document
    norms: np.ndarray | None  # BM25 self-scores of submissions
    n_reviewers: int
    n_docs: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_docs = self.postings.shape[1]


def _prepare(
    model: TextModel | None,
    submission_texts: Sequence[str],
    reviewer_papers: Sequence[Sequence[str]],
    reviewer_keywords: Sequence[str] | None,
    method: str,
) -> tuple[TextModel, _Prepared]:
    docs, starts = _reviewer_documents(reviewer_papers, reviewer_keywords)
    subs = list(submission_texts)
    if model is None:
        model, counts = _fit_counts(subs + docs, method)
        sub_counts, doc_counts = counts[: len(subs)], counts[len(subs) :]
    else:
        sub_counts, doc_counts = _count(model, subs), _count(model, docs)
    queries = _weigh(model, sub_counts, query=True)
    doc_weights = _weigh(model, doc_counts, query=False)
    norms = None
    if model.method == "bm25":
        self_weights = _weigh(model, sub_counts, query=False)
        norms = np.asarray(self_weights.sum(axis=1)).ravel().astype(np.float32)
    prepared = _Prepared(
        queries=queries,
        postings=doc_weights.T.tocsr(),
        starts=starts,
        norms=norms,
        n_reviewers=len(reviewer_papers),
    )
    return model, prepared


def compiled_available() -> bool:
    """Whether numba is installed (checked without importing it: that takes seconds)."""
    return importlib.util.find_spec("numba") is not None


def _compiled(prep: _Prepared) -> bool:
    return (
        USE_COMPILED
        and prep.queries.shape[0] * prep.n_docs >= COMPILED_MIN_PAIRS
        and compiled_available()
    )


def _block(prep: _Prepared, rows: slice, workers: int) -> np.ndarray:
    """Affinities of the submissions in ``rows`` to every reviewer, float32."""
    queries = prep.queries[rows]
    out = np.zeros((queries.shape[0], prep.n_reviewers), dtype=np.float32)
    if prep.n_docs == 0 or queries.shape[0] == 0 or queries.shape[1] == 0:
        return out
    if _compiled(prep):
        from . import _kernels

        threads = _kernels.use_threads(workers)
        _kernels.best_match(
            queries.indptr.astype(np.int64),
            queries.indices.astype(np.int64),
            queries.data.astype(np.float32),
            prep.postings.indptr.astype(np.int64),
            prep.postings.indices.astype(np.int64),
            prep.postings.data.astype(np.float32),
            prep.starts,
            out,
            min(queries.shape[0], 4 * threads),
        )
    else:
        sims = (queries @ prep.postings).toarray()
        owners = np.flatnonzero(np.diff(prep.starts) > 0)
        if owners.size:
            out[:, owners] = np.maximum.reduceat(sims, prep.starts[owners], axis=1)
    if prep.norms is not None:
        norms = prep.norms[rows]
        out /= np.where(norms > 0, norms, 1)[:, None]
    # Float rounding can put a perfect match a hair above 1.
    return np.clip(out, 0, 1, out=out)


def iter_affinity(
    submission_texts: Sequence[str],
    reviewer_papers: Sequence[Sequence[str]],
    reviewer_keywords: Sequence[str] | None = None,
    *,
    method: str = "tfidf",
    model: TextModel | None = None,
    chunk_rows: int = 0,
    workers: int | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(first row, block)`` pairs covering the affinity matrix in row order;
    each block is float32 ``(rows, n_reviewers)``. Fits the model on the union of
    texts unless ``model`` is given. Memory beyond the inputs and the fitted matrices:
    the blocks in flight plus, per thread, one dense buffer of ``papers`` floats
    (compiled path) or a ``rows x papers`` product (sparse path, ``chunk_rows``
    defaults to about 16 million entries, some 250 MB)."""
    model, prep = _prepare(model, submission_texts, reviewer_papers, reviewer_keywords, method)
    yield from _blocks(prep, chunk_rows=chunk_rows, workers=workers)


def _blocks(
    prep: _Prepared, *, chunk_rows: int = 0, workers: int | None = None
) -> Iterator[tuple[int, np.ndarray]]:
    workers = workers or default_workers()
    n = prep.queries.shape[0]
    if _compiled(prep):
        rows_per = chunk_rows or 4096
        for start in range(0, n, rows_per):
            yield start, _block(prep, slice(start, min(start + rows_per, n)), workers)
        return
    rows_per = chunk_rows or max(1, min(2048, 16_000_000 // max(prep.n_docs, 1)))
    starts = deque(range(0, n, rows_per))
    with ThreadPoolExecutor(workers) as pool:
        # Sparse products release the GIL for part of their work, so a few blocks run
        # side by side; no more than ``workers`` are held at once.
        running: deque = deque()
        while starts or running:
            while starts and len(running) < workers:
                s = starts.popleft()
                running.append((s, pool.submit(_block, prep, slice(s, min(s + rows_per, n)), 1)))
            s, future = running.popleft()
            yield s, future.result()


def tfidf_affinity(
    submission_texts: Sequence[str],
    reviewer_papers: Sequence[Sequence[str]],
    reviewer_keywords: Sequence[str] | None = None,
    *,
    method: str = "tfidf",
    model: TextModel | None = None,
    workers: int | None = None,
) -> np.ndarray:
    """Affinity matrix ``(n_submissions, n_reviewers)``, float32 in [0, 1].

    ``reviewer_papers[j]`` lists reviewer j's paper texts (title and abstract),
    ``reviewer_keywords[j]`` their keywords (or None); a reviewer with neither has
    affinity 0. ``method`` is ``"tfidf"`` or ``"bm25"``. Raises ValueError on a bad
    method or mismatched lengths.
    """
    out = np.zeros((len(submission_texts), len(reviewer_papers)), dtype=np.float32)
    for start, block in iter_affinity(
        submission_texts,
        reviewer_papers,
        reviewer_keywords,
        method=method,
        model=model,
        workers=workers,
    ):
        out[start : start + block.shape[0]] = block
    return out


def top_candidates(
    affinity: np.ndarray | Iterable[tuple[int, np.ndarray]], n: int, *, chunk_rows: int = 1024
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``n`` largest entries as ``(rows, cols, values)``, sorted by row and
    then by decreasing value (ties by column). ``affinity`` is a dense matrix or the
    blocks of :func:`iter_affinity`, so the full matrix never has to exist; memory is
    one block plus ``n`` entries per row. Which of several tied entries are picked is
    unspecified."""
    blocks: Iterable[tuple[int, np.ndarray]]
    if isinstance(affinity, np.ndarray):
        if affinity.ndim != 2:
            raise ValueError("affinity must be a 2-D array")
        blocks = (
            (s, affinity[s : s + chunk_rows]) for s in range(0, affinity.shape[0], chunk_rows)
        )
    else:
        blocks = affinity
    rows, cols, vals = [], [], []
    for start, block in blocks:
        m, width = block.shape
        take = min(max(n, 0), width)
        if take == 0 or m == 0:
            continue
        if take < width:
            idx = np.argpartition(block, width - take, axis=1)[:, width - take :]
        else:
            idx = np.broadcast_to(np.arange(width), (m, width))
        picked = np.take_along_axis(block, idx, axis=1)
        order = np.lexsort((idx, -picked), axis=1) if picked.size else idx
        idx = np.take_along_axis(idx, order, axis=1)
        rows.append(np.repeat(np.arange(start, start + m, dtype=np.int64), take))
        cols.append(idx.ravel().astype(np.int64))
        vals.append(np.take_along_axis(picked, order, axis=1).ravel())
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


# Sentence embeddings, only from a model already on disk.


class EmbeddingUnavailable(RuntimeError):
    """sentence-transformers is not installed or no model is at the given path."""


def embedding_available(model_path: str | os.PathLike | None) -> bool:
    """True when :func:`embedding_affinity` can run with ``model_path``."""
    if not model_path or not Path(model_path).is_dir():
        return False
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def embedding_affinity(
    submission_texts: Sequence[str],
    reviewer_papers: Sequence[Sequence[str]],
    reviewer_keywords: Sequence[str] | None = None,
    *,
    model_path: str | os.PathLike,
    batch_size: int = 64,
) -> np.ndarray:
    """Best cosine similarity over each reviewer's papers with a sentence-embedding
    model (Reimers & Gurevych, "Sentence-BERT", EMNLP 2019), float32 in [0, 1]
    (negative cosines count as 0).

    ``model_path`` must be a directory holding the model. Nothing is downloaded:
    the Hugging Face libraries are switched to offline mode first. Raises
    :class:`EmbeddingUnavailable` when the library or the model is missing.
    """
    path = Path(model_path)
    if not path.is_dir():
        raise EmbeddingUnavailable(f"no sentence-embedding model at {path}")
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingUnavailable("sentence-transformers is not installed") from exc
    docs, starts = _reviewer_documents(reviewer_papers, reviewer_keywords)
    model = SentenceTransformer(str(path), device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.asarray(
            model.encode(texts, batch_size=batch_size, normalize_embeddings=True),
            dtype=np.float32,
        )

    subs = encode(list(submission_texts))
    papers = encode(docs)
    out = np.zeros((len(submission_texts), len(reviewer_papers)), dtype=np.float32)
    owners = np.flatnonzero(np.diff(starts) > 0)
    if owners.size and subs.size:
        for s in range(0, subs.shape[0], 1024):
            sims = subs[s : s + 1024] @ papers.T
            out[s : s + 1024, owners] = np.maximum.reduceat(sims, starts[owners], axis=1)
    return np.clip(out, 0, 1, out=out)


# Incremental computation.


def text_key(text: str) -> str:
    """SHA-256 of a submission's text (title and abstract as one string)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reviewer_key(papers: Sequence[str], keywords: str | None = None) -> str:
    """SHA-256 of a reviewer's profile: their papers in order and their keywords."""
    payload = json.dumps([list(papers), keywords or ""], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, eq=False)
class AffinityCache:
    """Affinities computed with one :class:`TextModel`, keyed by content hashes.

    ``values[a, b]`` is the affinity of the submission with key
    ``submission_keys[a]`` to the reviewer with key ``reviewer_keys[b]``. Plain data,
    to be stored by the caller (for example one row per submission).
    """

    model: TextModel
    submission_keys: tuple[str, ...]
    reviewer_keys: tuple[str, ...]
    values: np.ndarray


@dataclass(frozen=True)
class CacheUpdate:
    """What :func:`update_affinity` had to compute: new rows (submissions) and new
    columns (reviewers); ``refitted`` when the model was fitted from scratch."""

    computed_rows: int
    computed_columns: int
    refitted: bool


def update_affinity(
    cache: AffinityCache | None,
    submission_texts: Sequence[str],
    reviewer_papers: Sequence[Sequence[str]],
    reviewer_keywords: Sequence[str] | None = None,
    *,
    method: str = "tfidf",
    workers: int | None = None,
) -> tuple[AffinityCache, CacheUpdate]:
    """Affinities for the current submissions and reviewers, reusing ``cache``.

    Only submissions whose text is new get a row computed and only reviewers whose
    profile is new get a column; everything else is copied. The model (vocabulary and
    IDF) stays the one the cache was fitted with, so results equal a full computation
    with that model; pass ``cache=None`` to refit, for example once the submission
    deadline has passed. Returns the new cache (rows and columns in the given order)
    and what was computed.
    """
    keywords = list(reviewer_keywords) if reviewer_keywords is not None else None
    sub_keys = tuple(text_key(t) for t in submission_texts)
    rev_keys = tuple(
        reviewer_key(papers, keywords[j] if keywords else None)
        for j, papers in enumerate(reviewer_papers)
    )
    if cache is None or cache.model.method != method:
        model, prep = _prepare(None, submission_texts, reviewer_papers, keywords, method)
        values = np.zeros((len(sub_keys), len(rev_keys)), dtype=np.float32)
        for start, block in _blocks(prep, workers=workers):
            values[start : start + block.shape[0]] = block
        fresh = AffinityCache(model, sub_keys, rev_keys, values)
        return fresh, CacheUpdate(len(sub_keys), len(rev_keys), True)

    old_rows = {key: a for a, key in enumerate(cache.submission_keys)}
    old_cols = {key: b for b, key in enumerate(cache.reviewer_keys)}
    row_from = np.array([old_rows.get(k, -1) for k in sub_keys], dtype=np.int64)
    col_from = np.array([old_cols.get(k, -1) for k in rev_keys], dtype=np.int64)
    values = np.zeros((len(sub_keys), len(rev_keys)), dtype=np.float32)
    known_rows, known_cols = np.flatnonzero(row_from >= 0), np.flatnonzero(col_from >= 0)
    values[np.ix_(known_rows, known_cols)] = cache.values[
        np.ix_(row_from[known_rows], col_from[known_cols])
    ]
    new_rows, new_cols = np.flatnonzero(row_from < 0), np.flatnonzero(col_from < 0)
    if new_rows.size:
        values[new_rows] = tfidf_affinity(
            [submission_texts[i] for i in new_rows],
            reviewer_papers,
            keywords,
            model=cache.model,
            workers=workers,
        )
    if new_cols.size and known_rows.size:
        values[np.ix_(known_rows, new_cols)] = tfidf_affinity(
            [submission_texts[i] for i in known_rows],
            [reviewer_papers[j] for j in new_cols],
            [keywords[j] for j in new_cols] if keywords else None,
            model=cache.model,
            workers=workers,
        )
    updated = AffinityCache(cache.model, sub_keys, rev_keys, values)
    return updated, CacheUpdate(int(new_rows.size), int(new_cols.size), False)
