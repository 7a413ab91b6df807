"""Text affinity: best TF-IDF/BM25 match over a reviewer's papers, top-N, cache."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from symposia.reviews.assignment import affinity
from symposia.reviews.assignment.affinity import (
    EmbeddingUnavailable,
    embedding_affinity,
    embedding_available,
    iter_affinity,
    tfidf_affinity,
    top_candidates,
    update_affinity,
)

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

WORDS = [
    "tropical",
    "curves",
    "moduli",
    "lattice",
    "reduction",
    "cryptography",
    "protein",
    "folding",
    "neural",
    "networks",
    "graph",
    "colouring",
    "sheaf",
    "cohomology",
    "the",
    "of",
    "and",
    "a",
    "matroid",
    "polytope",
    "learning",
    "quantum",
    "groups",
    "knots",
]
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
papers = st.lists(texts, min_size=0, max_size=3)


def brute_force(subs, reviewer_papers, keywords=None):
    """Reference: scikit-learn TF-IDF on the union, cosine, max over each reviewer's
    papers and keyword string."""
    docs, owner = [], []
    for j, ps in enumerate(reviewer_papers):
        own = [p for p in ps if p.strip()]
        if keywords is not None and (keywords[j] or "").strip():
            own.append(keywords[j])
        docs += own
        owner += [j] * len(own)
    out = np.zeros((len(subs), len(reviewer_papers)))
    vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        vectoriser.fit(subs + docs)
    except ValueError:  # empty vocabulary
        return out
    if not docs:
        return out
    sims = (vectoriser.transform(subs) @ vectoriser.transform(docs).T).toarray()
    for d, j in enumerate(owner):
        out[:, j] = np.maximum(out[:, j], sims[:, d])
    return out


@FAST
@given(
    subs=st.lists(texts, min_size=1, max_size=6),
    reviewer_papers=st.lists(papers, min_size=1, max_size=6),
    with_keywords=st.booleans(),
)
def test_affinity_is_the_best_tfidf_cosine_over_each_reviewers_papers(
    subs, reviewer_papers, with_keywords
):
    keywords = [" ".join(reversed(s.split())) for s in subs[:1]] * len(reviewer_papers)
    keywords = keywords if with_keywords else None
    result = tfidf_affinity(subs, reviewer_papers, keywords)
    assert result.dtype == np.float32
    assert result.shape == (len(subs), len(reviewer_papers))
    assert np.all((result >= 0) & (result <= 1))
    np.testing.assert_allclose(result, brute_force(subs, reviewer_papers, keywords), atol=1e-5)


@pytest.mark.skipif(not affinity.compiled_available(), reason="numba not installed")
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    subs=st.lists(texts, min_size=1, max_size=6),
    reviewer_papers=st.lists(papers, min_size=1, max_size=6),
    method=st.sampled_from(["tfidf", "bm25"]),
)
def test_compiled_and_sparse_product_paths_agree(subs, reviewer_papers, method, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(affinity, "COMPILED_MIN_PAIRS", 0)
        compiled = tfidf_affinity(subs, reviewer_papers, method=method)
    with monkeypatch.context() as patch:
        patch.setattr(affinity, "USE_COMPILED", False)
        plain = tfidf_affinity(subs, reviewer_papers, method=method)
    np.testing.assert_allclose(compiled, plain, atol=1e-5)


def test_topical_reviewer_ranks_first_with_both_methods():
    subs = ["Tropical curves and their moduli spaces", "Lattice reduction in cryptography"]
    reviewer_papers = [
        ["Moduli of tropical curves", "Tropical geometry of the moduli of curves"],
        ["Lattice basis reduction", "Post-quantum cryptography from lattices"],
        [],
    ]
    for method in ("tfidf", "bm25"):
        result = tfidf_affinity(subs, reviewer_papers, method=method)
        assert result[0].argmax() == 0
        assert result[1].argmax() == 1
        assert result[:, 2].tolist() == [0.0, 0.0]


def test_bm25_gives_one_to_the_submission_itself_and_stays_in_range():
    subs = ["Sheaf cohomology of matroids", "Knots and quantum groups"]
    result = tfidf_affinity(subs, [[subs[0]], ["unrelated words entirely"]], method="bm25")
    assert result[0, 0] == pytest.approx(1.0)
    assert np.all((result >= 0) & (result <= 1))


def test_keywords_count_as_one_more_paper():
    subs = ["Graph colouring"]
    without = tfidf_affinity(subs, [["Polytopes"]])
    with_keywords = tfidf_affinity(subs, [["Polytopes"]], ["graph colouring"])
    assert without[0, 0] == 0.0
    assert with_keywords[0, 0] == pytest.approx(1.0)


def test_text_of_stop_words_only_gives_zero_affinity():
    assert tfidf_affinity(["the of and"], [["a the"]]).tolist() == [[0.0]]


def test_blocks_cover_the_matrix_in_order():
    subs = [f"lattice {w}" for w in WORDS]
    reviewer_papers = [[w] for w in WORDS[:5]]
    blocks = list(iter_affinity(subs, reviewer_papers, chunk_rows=7))
    assert [start for start, _ in blocks] == [0, 7, 14, 21]
    stacked = np.vstack([block for _, block in blocks])
    np.testing.assert_array_equal(stacked, tfidf_affinity(subs, reviewer_papers))


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="method must be one of"):
        tfidf_affinity(["a"], [["b"]], method="lsi")
    with pytest.raises(ValueError, match="one entry per reviewer"):
        tfidf_affinity(["a"], [["b"]], ["x", "y"])
    with pytest.raises(ValueError, match="list of texts per reviewer"):
        tfidf_affinity(["a"], ["b"])


@FAST
@given(
    matrix=st.integers(0, 2**32 - 1).map(
        lambda seed: np.random.default_rng(seed).random((7, 9)).round(1).astype(np.float32)
    ),
    n=st.integers(0, 12),
    as_blocks=st.booleans(),
)
def test_top_candidates_are_each_rows_largest_entries(matrix, n, as_blocks):
    source = [(s, matrix[s : s + 3]) for s in range(0, 7, 3)] if as_blocks else matrix
    rows, cols, values = top_candidates(source, n)
    take = min(n, 9)
    assert rows.tolist() == np.repeat(np.arange(7), take).tolist()
    np.testing.assert_array_equal(values, matrix[rows, cols])
    for i in range(7):
        mine = values[rows == i]
        assert mine.tolist() == sorted(mine.tolist(), reverse=True)
        assert mine.tolist() == sorted(matrix[i].tolist(), reverse=True)[:take]
        assert np.unique(cols[rows == i]).size == take


def test_cache_computes_only_the_new_row_and_matches_a_full_computation():
    subs = ["Tropical curves", "Lattice cryptography", "Protein folding networks"]
    reviewer_papers = [["Tropical moduli"], ["Lattice reduction"], ["Neural networks"]]
    cache, first = update_affinity(None, subs, reviewer_papers)
    assert (first.computed_rows, first.computed_columns, first.refitted) == (3, 3, True)
    np.testing.assert_array_equal(cache.values, tfidf_affinity(subs, reviewer_papers))

    more = [*subs, "Quantum groups and knots"]
    cache2, second = update_affinity(cache, more, reviewer_papers)
    assert (second.computed_rows, second.computed_columns, second.refitted) == (1, 0, False)
    full = tfidf_affinity(more, reviewer_papers, model=cache.model)
    np.testing.assert_allclose(cache2.values, full, atol=1e-6)

    reviewers = [reviewer_papers[2], ["Knot invariants"], reviewer_papers[0]]
    cache3, third = update_affinity(cache2, list(reversed(more)), reviewers)
    assert (third.computed_rows, third.computed_columns) == (0, 1)
    full = tfidf_affinity(list(reversed(more)), reviewers, model=cache.model)
    np.testing.assert_allclose(cache3.values, full, atol=1e-6)
    assert cache3.model.fingerprint == cache.model.fingerprint


def test_cache_is_refitted_when_the_method_changes():
    cache, _ = update_affinity(None, ["a lattice"], [["lattices"]])
    cache2, update = update_affinity(cache, ["a lattice"], [["lattices"]], method="bm25")
    assert update.refitted
    assert cache2.model.method == "bm25"
    assert cache2.model.fingerprint != cache.model.fingerprint


def test_embedding_model_is_never_downloaded(tmp_path):
    missing = tmp_path / "no-model-here"
    assert not embedding_available(missing)
    with pytest.raises(EmbeddingUnavailable, match="no sentence-embedding model"):
        embedding_affinity(["a"], [["b"]], model_path=missing)


def test_embedding_affinity_with_a_local_model(tmp_path):
    pytest.importorskip("sentence_transformers")
    import os

    path = os.environ.get("SYMPOSIA_EMBEDDING_MODEL", "")
    if not embedding_available(path):
        pytest.skip("no local sentence-embedding model (set SYMPOSIA_EMBEDDING_MODEL)")
    result = embedding_affinity(
        ["Tropical curves", "Lattice cryptography"],
        [["Tropical geometry"], ["Lattice-based encryption"], []],
        model_path=path,
    )
    assert result.shape == (2, 3)
    assert result[0].argmax() == 0 and result[1].argmax() == 1
    assert result[:, 2].tolist() == [0.0, 0.0]
