"""Reviewer assignment benchmark on seeded synthetic conferences.

    python benchmarks/assignment.py --submissions 20000 --reviewers 15000 \
        [--k 3 --max-load 6 --top 200 --seed 0 --from-text --fairness]

Prints one JSON object per line: ``seconds`` (solve, from the affinity matrix to the
assignment), ``peak_mb`` (peak resident memory of the whole process, generation
included), ``objective``, ``optimal`` (proven optimal over all pairs),
``min_submission_affinity`` and more. With ``--from-text`` the affinities are first
computed from synthetic paper texts (each reviewer with ``--papers`` papers) and
``affinity_seconds`` reports that step (TF-IDF fit, best match over papers, the full
matrix).

The synthetic conference has planted topics: each submission and reviewer mixes one to
a few topics; affinity is the cosine of the mixtures plus noise (or, with
``--from-text``, TF-IDF on texts drawn from per-topic vocabularies). Conflicts: about
0.1% random pairs plus co-authorship clusters (labs of reviewers who share a conflict
with a submission by one of them). Bids on about 5% of pairs, more eager where the
affinity is high.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from symposia.reviews.assignment import AssignmentProblem, Bid, solve  # noqa: E402
from symposia.reviews.assignment.affinity import tfidf_affinity  # noqa: E402
from symposia.reviews.assignment.problem import unique_keys  # noqa: E402


def peak_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def topic_mixtures(rng: np.random.Generator, n: int, topics: int, most: int) -> np.ndarray:
    """``(n, topics)`` float32 rows with 1..most non-zero Dirichlet weights each."""
    mix = np.zeros((n, topics), dtype=np.float32)
    count = rng.integers(1, most + 1, n)
    for c in range(1, most + 1):
        rows = np.flatnonzero(count == c)
        if rows.size == 0:
            continue
        chosen = np.argsort(rng.random((rows.size, topics)), axis=1)[:, :c]
        weights = rng.dirichlet(np.ones(c), rows.size).astype(np.float32)
        mix[rows[:, None], chosen] = weights
    return mix


def synthetic_affinity(
    rng: np.random.Generator, sub_mix: np.ndarray, rev_mix: np.ndarray, noise: float = 0.05
) -> np.ndarray:
    """Noisy cosine similarity of topic mixtures, float32 in [0, 1]."""
    s = sub_mix / np.linalg.norm(sub_mix, axis=1, keepdims=True)
    r = rev_mix / np.linalg.norm(rev_mix, axis=1, keepdims=True)
    out = np.empty((s.shape[0], r.shape[0]), dtype=np.float32)
    for start in range(0, s.shape[0], 1024):
        block = s[start : start + 1024] @ r.T
        block *= 0.9
        block += 0.05 + noise * rng.standard_normal(block.shape, dtype=np.float32)
        np.clip(block, 0, 1, out=block)
        out[start : start + 1024] = block
    return out


def synthetic_conflicts(rng: np.random.Generator, ns: int, nr: int) -> np.ndarray:
    """About 0.1% random pairs, plus labs: reviewers in groups of 1-6, and a third of
    the submissions written in a lab, conflicting with every member."""
    random_pairs = np.stack(
        [rng.integers(0, ns, int(0.001 * ns * nr)), rng.integers(0, nr, int(0.001 * ns * nr))],
        axis=1,
    )
    sizes = rng.integers(1, 7, nr)
    lab_of = np.repeat(np.arange(nr), sizes)[:nr]
    perm = rng.permutation(nr)
    order = np.argsort(lab_of[perm], kind="stable")
    members = perm[order]
    labs, starts = np.unique(lab_of[perm][order], return_index=True)
    ends = np.append(starts[1:], nr)
    authored = np.flatnonzero(rng.random(ns) < 1 / 3)
    lab = rng.integers(0, labs.size, authored.size)
    lengths = ends[lab] - starts[lab]
    subs = np.repeat(authored, lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    revs = members[np.repeat(starts[lab], lengths) + offsets]
    pairs = np.concatenate([random_pairs, np.stack([subs, revs], axis=1)])
    keys = unique_keys(pairs[:, 0] * np.int64(nr) + pairs[:, 1])
    return np.stack(np.divmod(keys, nr), axis=1)


def synthetic_bids(
    rng: np.random.Generator, affinity: np.ndarray, fraction: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Bids on about ``fraction`` of the pairs; the kind follows the affinity: eager
    mostly above 0.5, not willing mostly below 0.2, a few conflict bids."""
    ns, nr = affinity.shape
    m = int(fraction * ns * nr)
    keys = unique_keys(rng.integers(0, ns * nr, m, dtype=np.int64))
    sub, rev = np.divmod(keys, nr)
    a = affinity[sub, rev]
    u = rng.random(keys.size)
    kinds = np.where(
        a > 0.5,
        np.where(u < 0.7, Bid.EAGER, Bid.WILLING),
        np.where(
            a > 0.2,
            np.where(u < 0.1, Bid.EAGER, np.where(u < 0.7, Bid.WILLING, Bid.NOT_WILLING)),
            np.where(u < 0.3, Bid.WILLING, Bid.NOT_WILLING),
        ),
    )
    kinds[rng.random(keys.size) < 0.002] = Bid.CONFLICT
    return np.stack([sub, rev], axis=1), kinds.astype(np.int64)


def _pseudo_words(rng: np.random.Generator, n: int) -> np.ndarray:
    syllables = np.array([c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["qua", "tri"])
    two = np.char.add(syllables[:, None], syllables[None, :]).ravel()
    three = np.char.add(two[:, None], syllables[None, :]).ravel()
    pool = np.unique(np.concatenate([two, three]))
    return rng.permutation(pool)[:n]


def synthetic_texts(
    rng: np.random.Generator,
    sub_mix: np.ndarray,
    rev_mix: np.ndarray,
    *,
    papers: int = 10,
    words_per_topic: int = 400,
    background: int = 3000,
    length: int = 150,
) -> tuple[list[str], list[list[str]]]:
    """Submission texts and ``papers`` paper texts per reviewer. A text mixes common
    words (40%, Zipf over ``background`` words) and words of its topics (Zipf over each
    topic's vocabulary); a reviewer's papers each draw one or two of their topics."""
    topics = sub_mix.shape[1]
    vocab = _pseudo_words(rng, background + topics * words_per_topic)
    topic_words = background + np.arange(topics * words_per_topic).reshape(topics, -1)
    zipf_bg = np.cumsum(1 / np.arange(1, background + 1))
    zipf_bg /= zipf_bg[-1]
    zipf_t = np.cumsum(1 / np.arange(1, words_per_topic + 1))
    zipf_t /= zipf_t[-1]

    def texts(mix: np.ndarray) -> list[str]:
        out: list[str] = []
        # Chunks of documents keep the per-token temporaries small.
        for start in range(0, mix.shape[0], 4096):
            block = mix[start : start + 4096]
            n = block.shape[0]
            # Topics of each document (at most a handful) and their cumulative weights.
            order = np.argsort(-block, axis=1)[:, :4]
            weight = np.take_along_axis(block, order, axis=1)
            cdf = np.cumsum(weight, axis=1)
            cdf /= cdf[:, -1:]
            lengths = rng.poisson(length, n).clip(40, 400)
            total = int(lengths.sum())
            owner = np.repeat(np.arange(n), lengths)
            pick = (rng.random(total)[:, None] > cdf[owner]).sum(axis=1).clip(0, 3)
            topic = order[owner, pick]
            words = topic_words[topic, np.searchsorted(zipf_t, rng.random(total))]
            common = rng.random(total) < 0.4
            words[common] = np.searchsorted(zipf_bg, rng.random(int(common.sum())))
            tokens = vocab[words]
            bounds = np.concatenate([[0], np.cumsum(lengths)])
            out.extend(" ".join(tokens[bounds[i] : bounds[i + 1]]) for i in range(n))
        return out

    sub_texts = texts(sub_mix)
    # Each paper keeps one or two of its author's topics.
    paper_mix = np.repeat(rev_mix, papers, axis=0)
    drop = rng.random(paper_mix.shape) < 0.5
    kept = np.where(drop & (paper_mix > 0), 0, paper_mix)
    empty = kept.sum(axis=1) == 0
    kept[empty] = paper_mix[empty]
    flat = texts(kept)
    reviewer_papers = [flat[j * papers : (j + 1) * papers] for j in range(rev_mix.shape[0])]
    return sub_texts, reviewer_papers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, required=True)
    parser.add_argument("--reviewers", type=int, required=True)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--max-load", type=int, default=6)
    parser.add_argument("--min-load", type=int, default=0)
    parser.add_argument("--top", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--topics", type=int, default=0, help="default: sqrt(submissions)")
    parser.add_argument("--papers", type=int, default=10, help="papers per reviewer (text)")
    parser.add_argument("--from-text", action="store_true")
    parser.add_argument("--fairness", action="store_true")
    args = parser.parse_args(argv)

    ns, nr = args.submissions, args.reviewers
    rng = np.random.default_rng(args.seed)
    topics = args.topics or max(10, int(np.sqrt(ns)))
    clock = time.perf_counter()
    sub_mix = topic_mixtures(rng, ns, topics, 3)
    rev_mix = topic_mixtures(rng, nr, topics, 4)
    record: dict = {
        "benchmark": "assignment",
        "submissions": ns,
        "reviewers": nr,
        "k": args.k,
        "max_load": args.max_load,
        "min_load": args.min_load,
        "top": args.top,
        "seed": args.seed,
        "topics": topics,
        "from_text": args.from_text,
        "fairness": args.fairness,
    }
    if args.from_text:
        sub_texts, reviewer_papers = synthetic_texts(rng, sub_mix, rev_mix, papers=args.papers)
        record["generate_seconds"] = round(time.perf_counter() - clock, 2)
        record["papers"] = sum(len(p) for p in reviewer_papers)
        tick, cpu = time.perf_counter(), time.process_time()
        affinity = tfidf_affinity(sub_texts, reviewer_papers)
        record["affinity_seconds"] = round(time.perf_counter() - tick, 2)
        record["affinity_cpu_seconds"] = round(time.process_time() - cpu, 2)
        del sub_texts, reviewer_papers
    else:
        affinity = synthetic_affinity(rng, sub_mix, rev_mix)
    conflicts = synthetic_conflicts(rng, ns, nr)
    bids, kinds = synthetic_bids(rng, affinity)
    if not args.from_text:
        record["generate_seconds"] = round(time.perf_counter() - clock, 2)
    record["conflicts"] = int(len(conflicts))
    record["bids"] = int(len(bids))

    tick, cpu = time.perf_counter(), time.process_time()
    problem = AssignmentProblem(
        ns,
        nr,
        k=args.k,
        min_load=args.min_load,
        max_load=args.max_load,
        affinity=affinity,
        conflicts=conflicts,
        bids=bids,
        bid_kinds=kinds,
    )
    result = solve(problem, top_n=args.top, fairness=args.fairness)
    seconds = time.perf_counter() - tick
    cpu_seconds = time.process_time() - cpu
    report = result.report
    record.update(
        seconds=round(seconds, 2),
        cpu_seconds=round(cpu_seconds, 2),
        load_average=round(os.getloadavg()[0], 2),
        peak_mb=round(peak_mb()),
        objective=round(result.objective, 4),
        optimal=result.optimal,
        min_submission_affinity=round(report.min_submission_affinity, 4),
        median_submission_affinity=round(report.median_submission_affinity, 4),
        total_affinity=round(report.total_affinity, 2),
        candidate_edges=result.candidate_edges,
        widened_to=result.widened_to,
        pricing_rounds=result.pricing_rounds,
        phases={k: round(v, 2) for k, v in result.seconds.items()},
        load_histogram=report.load_histogram,
        bids_honoured=report.bids_honoured,
    )
    if result.fairness_bound is not None:
        record["fairness_bound"] = round(result.fairness_bound, 4)
    print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
