"""Text affinity between reviewers and submissions, cached in AffinityScore and recomputed
incrementally.

A submission's text is its title, abstract and keywords; a reviewer's texts are their keywords
and each of their papers (title + abstract). The score of a pair is the best match over the
reviewer's texts (`score_matrix`, TF-IDF cosine similarity by default, in [0, 1]).

Only reviewers and submissions whose text fingerprint changed since the last computation are
recomputed; for each submission the `keep` best pairs with a positive score are stored.
The vocabulary statistics (IDF) come from the current texts of the whole event, so a full
recomputation (`full=True`) can shift unchanged pairs slightly; the organiser page offers it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from symposia.cfp.models import Submission

from . import rules
from .enums import ReviewerStatus
from .models import AffinityScore, Reviewer


def _fingerprint(parts: list[str]) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:32]


def submission_text(submission: Submission) -> str:
    return "\n".join([submission.title, submission.abstract, submission.keywords])


def reviewer_texts(reviewer: Reviewer) -> list[str]:
    """Keywords first, then one text per paper; empty strings dropped."""
    texts = [reviewer.keywords] + [f"{p.title}\n{p.abstract}" for p in reviewer.papers.all()]
    return [t for t in texts if t.strip()]


class TextModel:
    """TF-IDF vectors of an event's texts, fitted once on all of them (submissions and
    reviewers' texts), so that any block of pairs can be scored with the same weights.

    TF-IDF cosine similarity with scikit-learn (Salton & Buckley, "Term-weighting approaches
    in automatic text retrieval", 1988); a reviewer's score is the maximum over their texts
    (keywords, each paper), in [0, 1]. Reviewers without text score 0.
    """

    def __init__(self, submission_texts: list[str], reviewer_docs: list[list[str]]):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.n_sub, self.n_rev = len(submission_texts), len(reviewer_docs)
        docs = [doc for texts in reviewer_docs for doc in texts]
        self.owner = np.array(
            [j for j, texts in enumerate(reviewer_docs) for _ in texts], dtype=np.int64
        )
        self.subs = self.revs = None
        if not docs or not submission_texts:
            return
        vectorizer = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, strip_accents="unicode"
        )
        try:
            vectorizer.fit(submission_texts + docs)
        except ValueError:  # empty vocabulary: nothing but stop words
            return
        self.subs = vectorizer.transform(submission_texts).tocsr()
        self.revs = vectorizer.transform(docs).tocsr()

    def block(self, rows, columns) -> np.ndarray:
        """Scores of submissions `rows` (indices) against reviewers `columns`, float32."""
        rows = np.asarray(rows, dtype=np.int64)
        columns = np.asarray(columns, dtype=np.int64)
        out = np.zeros((rows.size, columns.size), dtype=np.float32)
        if self.subs is None or rows.size == 0 or columns.size == 0:
            return out
        position = np.full(self.n_rev, -1, dtype=np.int64)
        position[columns] = np.arange(columns.size)
        doc_cols = np.flatnonzero(position[self.owner] >= 0)
        if doc_cols.size == 0:
            return out
        docs = self.revs[doc_cols]
        owners = position[self.owner[doc_cols]]
        chunk = max(1, 4_000_000 // doc_cols.size)
        for start in range(0, rows.size, chunk):
            sims = (self.subs[rows[start : start + chunk]] @ docs.T).toarray()
            block = np.zeros((columns.size, sims.shape[0]), dtype=np.float32)
            np.maximum.at(block, owners, sims.T)
            out[start : start + chunk] = block.T
        return np.clip(out, 0.0, 1.0)


def score_matrix(submission_texts: list[str], reviewer_docs: list[list[str]]) -> np.ndarray:
    """Affinity of every submission (rows) to every reviewer (columns), see TextModel."""
    model = TextModel(submission_texts, reviewer_docs)
    return model.block(np.arange(model.n_sub), np.arange(model.n_rev))


@dataclass
class AffinityUpdate:
    reviewers: int = 0  # reviewers recomputed
    submissions: int = 0  # submissions recomputed
    stored: int = 0  # rows written


def update_affinity(event, *, keep: int = 200, full: bool = False) -> AffinityUpdate:
    """Bring the event's AffinityScore cache up to date and return what was recomputed.

    Pairs are recomputed for every reviewer or submission whose text fingerprint differs from
    the stored one (all of them with `full`). Per submission the `keep` best positive scores
    are kept. Side effects: AffinityScore rows deleted and created.
    """
    submissions = list(
        Submission.objects.filter(event=event, state__in=rules.REVIEWABLE_STATES).only(
            "pk", "title", "abstract", "keywords"
        )
    )
    reviewers = list(
        Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE).prefetch_related(
            "papers"
        )
    )
    sub_texts = [submission_text(s) for s in submissions]
    rev_docs = [reviewer_texts(r) for r in reviewers]
    sub_hash = {s.pk: _fingerprint([t]) for s, t in zip(submissions, sub_texts, strict=True)}
    rev_hash = {r.pk: _fingerprint(d) for r, d in zip(reviewers, rev_docs, strict=True)}

    stored_rev: dict[int, set[str]] = defaultdict(set)
    stored_sub: dict[int, set[str]] = defaultdict(set)
    for rid, sid, rh, sh in AffinityScore.objects.filter(reviewer__event=event).values_list(
        "reviewer_id", "submission_id", "reviewer_hash", "submission_hash"
    ):
        stored_rev[rid].add(rh)
        stored_sub[sid].add(sh)
    if full:
        stale_rev = set(rev_hash)
        stale_sub = set(sub_hash)
    else:
        stale_rev = {pk for pk, h in rev_hash.items() if stored_rev.get(pk) != {h}}
        stale_sub = {pk for pk, h in sub_hash.items() if stored_sub.get(pk) != {h}}
    result = AffinityUpdate(reviewers=len(stale_rev), submissions=len(stale_sub))
    if not stale_rev and not stale_sub:
        return result

    # Recompute the rows of stale submissions and the columns of stale reviewers only.
    rev_index = [j for j, r in enumerate(reviewers) if r.pk in stale_rev]
    sub_index = [i for i, s in enumerate(submissions) if s.pk in stale_sub]
    model = TextModel(sub_texts, rev_docs)
    now = timezone.now()
    rows = []
    all_rev = np.arange(len(reviewers))
    block = model.block(sub_index, all_rev)
    for a, i in enumerate(sub_index):
        for j in np.flatnonzero(block[a] > 0):
            rows.append((submissions[i].pk, reviewers[j].pk, float(block[a, j])))
    fresh_sub = [i for i, s in enumerate(submissions) if s.pk not in stale_sub]
    block = model.block(fresh_sub, rev_index)
    for a, i in enumerate(fresh_sub):
        for b in np.flatnonzero(block[a] > 0):
            rows.append((submissions[i].pk, reviewers[rev_index[b]].pk, float(block[a, b])))
    # Trim to `keep` per submission, counting the rows that stay.
    kept_old = defaultdict(list)
    for sid, rid, score in AffinityScore.objects.filter(reviewer__event=event).values_list(
        "submission_id", "reviewer_id", "score"
    ):
        if sid in stale_sub or rid in stale_rev or sid not in sub_hash or rid not in rev_hash:
            continue
        kept_old[sid].append((score, rid))
    new_by_sub = defaultdict(list)
    for sid, rid, score in rows:
        new_by_sub[sid].append((score, rid))
    objects = []
    drop_old: list[tuple[int, int]] = []
    for sid, fresh in new_by_sub.items():
        combined = [(score, rid, True) for score, rid in fresh] + [
            (score, rid, False) for score, rid in kept_old.get(sid, [])
        ]
        combined.sort(key=lambda x: (-x[0], x[1]))
        for rank, (score, rid, is_new) in enumerate(combined):
            if rank < keep and is_new:
                objects.append(
                    AffinityScore(
                        submission_id=sid,
                        reviewer_id=rid,
                        score=round(score, 6),
                        reviewer_hash=rev_hash[rid],
                        submission_hash=sub_hash[sid],
                        computed=now,
                    )
                )
            elif rank >= keep and not is_new:
                drop_old.append((sid, rid))
    with transaction.atomic():
        scope = AffinityScore.objects.filter(reviewer__event=event)
        scope.filter(submission_id__in=list(stale_sub)).delete()
        scope.filter(reviewer_id__in=list(stale_rev)).delete()
        scope.exclude(submission_id__in=list(sub_hash)).delete()
        scope.exclude(reviewer_id__in=list(rev_hash)).delete()
        for sid, rid in drop_old:
            scope.filter(submission_id=sid, reviewer_id=rid).delete()
        AffinityScore.objects.bulk_create(objects, batch_size=5000)
    result.stored = len(objects)
    return result
