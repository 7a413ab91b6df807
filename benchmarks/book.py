"""Benchmark: typeset a book of abstracts of N synthetic abstracts with maths.

    python benchmarks/book.py --abstracts 1000 [--seed 1] [--pdf book.pdf]

Prints one JSON line: {"seconds", "pages", "abstracts", "maths_failures", "cpu_seconds"};
`seconds` is wall-clock time, `cpu_seconds` the CPU time of all threads and processes (on a
shared machine the first depends on the load, the second much less).
Abstracts are seeded and realistic in shape: 150-250 words, two to five inline formulas and
sometimes a display formula, one to five authors from a pool of names in Latin, Greek,
Cyrillic and CJK scripts; about one formula in a hundred is broken on purpose (as real
submissions are) and must be printed as source without breaking the book.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from symposia.publishing.book import build_book, default_sections  # noqa: E402
from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room  # noqa: E402

TEXT = (
    "we study the convergence of stochastic gradient methods for nonconvex objectives and "
    "prove sharp bounds under weak assumptions on the noise our analysis relies on a new "
    "Lyapunov function and extends to adaptive step sizes experiments on benchmark data "
    "confirm the theory kernel regression neural networks optimal transport sparse recovery "
    "spectral methods random matrices concentration inequalities generalisation error "
    "overparameterised models implicit regularisation mean field limits gradient flows"
)
WORDS = tuple(TEXT.split())
FORMULAS = (
    r"\int_0^1 f(x)\,dx",
    r"\sum_{n\ge1} 1/n^2 = \pi^2/6",
    r"\|x_{k+1} - x^\star\|^2 \le (1-\mu\eta)\|x_k - x^\star\|^2",
    r"\mathbb{E}[\nabla f(x)] = \nabla F(x)",
    r"O(1/\sqrt{T})",
    r"\mathcal{L}(\theta) = \frac{1}{n}\sum_{i=1}^n \ell(h_\theta(x_i), y_i)",
    r"W_2(\mu, \nu)",
    r"\lambda_{\max}(A^\top A)",
    r"\alpha \in (0, 1)",
    r"\mathbb{R}^{d \times d}",
    r"e^{-t/\tau}",
    r"\lim_{n\to\infty} \frac{\log n}{n} = 0",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\hat\theta_n \to \theta_0",
    r"p(x \mid y) \propto p(y \mid x)\,p(x)",
)
DISPLAY = (
    r"\min_{\theta \in \Theta} \; \mathbb{E}_{(x,y)\sim\mathcal{D}}"
    r" \big[ \ell(f_\theta(x), y) \big]",
    r"\frac{\partial u}{\partial t} = \Delta u + f(u)",
    r"\sum_{k=0}^{\infty} \frac{x^k}{k!} = e^x",
)
BROKEN = (r"\frac{", r"x^{", r"\unknownmacro{x}")
GIVEN = ("Zoë", "Anna", "Marco", "Σωκράτης", "Дмитрий", "Olga", "小龍", "Yuki", "Amara", "Jonas")
FAMILY = ("Ångström", "Rossi", "Иванов", "Παπαδόπουλος", "李", "Tanaka", "Okafor", "Müller")
AFFILIATIONS = (
    ("University of Bath", "United Kingdom"),
    ("Uppsala universitet", "Sweden"),
    ("МГУ", "Russia"),
    ("香港大學", "Hong Kong"),
    ("ETH Zürich", "Switzerland"),
    ("Université Paris-Saclay", "France"),
)


def _sentence_case(text: str) -> str:
    # str.capitalize() would lower-case the maths too (\mathbb{E} into \mathbb{e}).
    return text[:1].upper() + text[1:]


def synthetic_items(count: int, rng: random.Random, zone: ZoneInfo) -> list[Item]:
    people = [
        Person(f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", *rng.choice(AFFILIATIONS), id=n + 1)
        for n in range(max(count, 10))
    ]
    items = []
    first_day = datetime(2026, 9, 14, 9, 0, tzinfo=zone)
    for number in range(1, count + 1):
        roll = rng.random()
        kind = (
            ItemKind.INVITED
            if roll < 0.05
            else ItemKind.POSTER
            if roll < 0.40
            else ItemKind.CONTRIBUTED
        )
        sentences = []
        for _ in range(rng.randint(8, 12)):
            words = rng.choices(WORDS, k=rng.randint(12, 22))
            if rng.random() < 0.35:
                formula = rng.choice(BROKEN) if rng.random() < 0.01 else rng.choice(FORMULAS)
                # A varying term keeps formulas distinct, as in real abstracts (no cache hits).
                formula += f" + c_{{{rng.randint(1, 99999)}}}"
                words.insert(rng.randrange(len(words)), f"${formula}$")
            sentences.append(_sentence_case(" ".join(words)) + ".")
        paragraphs = [
            " ".join(sentences[: len(sentences) // 2]),
            " ".join(sentences[len(sentences) // 2 :]),
        ]
        if rng.random() < 0.3:
            paragraphs.insert(1, f"$${rng.choice(DISPLAY)} + r_{{{rng.randint(1, 99999)}}}$$")
        authors = rng.sample(people, rng.randint(1, 5))
        title_words = rng.choices(WORDS, k=rng.randint(4, 9))
        if rng.random() < 0.2:
            title_words.append(f"${rng.choice(FORMULAS[:10])}$")
        slot = number % 40
        start = first_day + timedelta(days=slot % 3, minutes=25 * (slot // 3))
        session = f"Session {1 + (number % 24)}" if kind is not ItemKind.INVITED else ""
        items.append(
            Item(
                id=number,
                title=_sentence_case(" ".join(title_words)),
                kind=kind,
                abstract="\n\n".join(paragraphs),
                authors=authors,
                speakers=authors[:1],
                start=start,
                end=start + timedelta(minutes=20),
                room=Room(f"Room {1 + number % 4}", id=1 + number % 4),
                session=f"Poster session {1 + number % 2}" if kind is ItemKind.POSTER else session,
                board=f"P{number}" if kind is ItemKind.POSTER else "",
            )
        )
    return items


def _cpu() -> float:
    """CPU time of this process, its threads and its finished child processes."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdf", type=Path, help="also write the book to this file")
    options = parser.parse_args(argv)

    event = ProgrammeEvent(
        slug="bench2026",
        title="Mathematics of Machine Learning 2026",
        timezone="Europe/London",
        start=date(2026, 9, 14),
        end=date(2026, 9, 16),
        venue="University of Bath",
    )
    items = synthetic_items(options.abstracts, random.Random(options.seed), event.zone)
    sections = default_sections(items)

    started, cpu_started = time.perf_counter(), _cpu()
    result = build_book(event, sections)
    seconds, cpu_seconds = time.perf_counter() - started, _cpu() - cpu_started

    if options.pdf:
        options.pdf.write_bytes(result.pdf)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "pages": result.pages,
                "abstracts": len(items),
                "maths_failures": result.maths_failures,
                "cpu_seconds": round(cpu_seconds, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
