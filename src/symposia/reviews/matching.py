"""Text affinity between reviewers and submissions, cached in AffinityScore and recomputed
incrementally.

A submission's text is its title, abstract and keywords; a reviewer's texts are their keywords
and each of their papers (title + abstract). The score of a pair is the best match over the
reviewer's texts, computed by the assignment package's affinity module (TF-IDF cosine
similarity, in [0, 1]), or by a sentence-embedding model when one is installed locally
(`embedding_model_path`).

Only reviewers and submissions whose text fingerprint changed since the last computation are
recomputed; for each submission the `keep` best pairs with a positive score are stored.
The vocabulary statistics (IDF) come from the current texts of the whole event, so a full
recomputation (`full=True`) can shift unchanged pairs slightly; the organiser page offers it.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from symposia.cfp.models import Submission

from . import rules
from .assignment import affinity
from .enums import ReviewerStatus
from .models import AffinityScore, Reviewer


def _fingerprint(parts: list[str]) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:32]


def submission_text(submission: Submission) -> str:
    return "\n".join([submission.title, submission.abstract, submission.keywords])


def reviewer_profile(reviewer: Reviewer) -> tuple[list[str], str]:
    """The reviewer's papers (title and abstract each) and keywords."""
    return [f"{p.title}\n{p.abstract}" for p in reviewer.papers.all()], reviewer.keywords


def embedding_model_path() -> str:
    """Directory of a sentence-embedding model installed on this machine, or ''.

    Read from settings.REVIEWS_EMBEDDING_MODEL or the environment variable
    SYMPOSIA_EMBEDDING_MODEL; nothing is ever downloaded.
    """
    return getattr(settings, "REVIEWS_EMBEDDING_MODEL", "") or os.environ.get(
        "SYMPOSIA_EMBEDDING_MODEL", ""
    )


class Scorer:
    """Scores blocks of (submission, reviewer) pairs with one text model fitted on all the
    event's texts (reviews.assignment.affinity: TF-IDF, best match over a reviewer's papers
    and keywords), or with a local sentence-embedding model when one is configured."""

    def __init__(self, submission_texts: list[str], profiles: list[tuple[list[str], str]]):
        self.subs = submission_texts
        self.papers = [papers for papers, _ in profiles]
        self.keywords = [keywords for _, keywords in profiles]
        self.embedding = embedding_model_path()
        if self.embedding and not affinity.embedding_available(self.embedding):
            self.embedding = ""
        self.model = None
        if not self.embedding:
            corpus = list(submission_texts)
            for papers, keywords in profiles:
                corpus.extend(papers)
                if keywords.strip():
                    corpus.append(keywords)
            self.model = affinity.fit_text_model(corpus, method="tfidf")

    @property
    def method(self) -> str:
        return "embedding" if self.embedding else "tfidf"

    def block(self, rows, columns) -> np.ndarray:
        """Scores of submissions `rows` (indices) against reviewers `columns`, float32 in
        [0, 1], shape (len(rows), len(columns))."""
        rows, columns = list(rows), list(columns)
        if not rows or not columns:
            return np.zeros((len(rows), len(columns)), dtype=np.float32)
        texts = [self.subs[i] for i in rows]
        papers = [self.papers[j] for j in columns]
        keywords = [self.keywords[j] for j in columns]
        if self.embedding:
            return affinity.embedding_affinity(texts, papers, keywords, model_path=self.embedding)
        return affinity.tfidf_affinity(texts, papers, keywords, model=self.model, workers=1)


def score_matrix(submission_texts: list[str], profiles: list[tuple[list[str], str]]) -> np.ndarray:
    """Affinity of every submission (rows) to every reviewer (columns), see Scorer."""
    scorer = Scorer(submission_texts, profiles)
    return scorer.block(range(len(submission_texts)), range(len(profiles)))


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
    profiles = [reviewer_profile(r) for r in reviewers]
    sub_hash = {s.pk: _fingerprint([t]) for s, t in zip(submissions, sub_texts, strict=True)}
    rev_hash = {
        r.pk: _fingerprint([*papers, "\x1e", keywords])
        for r, (papers, keywords) in zip(reviewers, profiles, strict=True)
    }

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
    model = Scorer(sub_texts, profiles)
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
