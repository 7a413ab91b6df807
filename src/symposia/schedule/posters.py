"""Grouping accepted posters into poster sessions by topic, balanced in size (no Django).

Method (balanced k-means, after Malinen & Fränti, "Balanced K-Means for Clustering",
S+SSPR 2014, with the assignment step solved as a min-cost flow):

1. Each poster's text (title, abstract, keywords) becomes a TF-IDF vector (scikit-learn,
   English stop words, sublinear term frequency, accents folded: the same weighting as the
   text affinity of the review), reduced to at most 128 dimensions by truncated SVD (latent
   semantic analysis) when the vocabulary is larger, and scaled to unit length.
2. k-means (k = number of sessions) gives one centroid per session.
3. Posters are assigned to sessions by a min-cost flow (OR-Tools): cost = squared distance
   to the session's centroid; with P posters and N sessions every session receives
   floor(P/N) posters and P mod N sessions one more, so sizes differ by at most one.
   A poster whose presenter gives a talk during a session may not go there: that arc costs
   more than any grouping without it, so it is used only when no grouping avoids it, and is
   then reported in `Grouping.violations`.
4. Centroids are recomputed from the assignment and step 3 repeated until nothing moves.

Within a session, posters are ordered so that neighbouring boards are similar (a greedy
nearest-neighbour chain) and numbered consecutively, session after session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

SCALE = 10_000  # costs are integers: squared distances (at most 4) times SCALE
MAX_DIMENSIONS = 128


@dataclass(frozen=True)
class PosterInput:
    """A poster to place: its id, its text, and the ids of its presenters."""

    id: int
    text: str
    presenters: tuple[int, ...] = ()


@dataclass(frozen=True)
class PosterSessionInput:
    id: int
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Busy:
    """A presenter's talk: the person's id and the talk's aware start and end."""

    person_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass
class Grouping:
    """The result: poster ids per session id in board order, board numbers per poster id,
    and the (poster, session) pairs that break a constraint because nothing else fitted."""

    sessions: dict[int, list[int]] = field(default_factory=dict)
    boards: dict[int, int] = field(default_factory=dict)
    violations: list[tuple[int, int]] = field(default_factory=list)
    rounds: int = 0

    def session_of(self, poster_id: int) -> int | None:
        for session_id, posters in self.sessions.items():
            if poster_id in posters:
                return session_id
        return None


def forbidden_pairs(
    posters: Iterable[PosterInput],
    sessions: Iterable[PosterSessionInput],
    busy: Iterable[Busy],
) -> set[tuple[int, int]]:
    """(poster id, session id) pairs where a presenter of the poster gives a talk that
    overlaps the session (half-open intervals)."""
    talks: dict[int, list[Busy]] = {}
    for entry in busy:
        talks.setdefault(entry.person_id, []).append(entry)
    sessions = list(sessions)
    pairs = set()
    for poster in posters:
        for person_id in poster.presenters:
            for talk in talks.get(person_id, ()):
                for session in sessions:
                    if talk.start < session.end and session.start < talk.end:
                        pairs.add((poster.id, session.id))
    return pairs


def vectors(texts: Sequence[str], *, seed: int = 0) -> np.ndarray:
    """Unit-length topic vectors of `texts` (rows), as described in the module docstring.

    Texts without any content word give zero rows; an empty input gives shape (0, 1).
    """
    if not texts:
        return np.zeros((0, 1))
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary: nothing but stop words or no text at all
        return np.zeros((len(texts), 1))
    if matrix.shape[1] > MAX_DIMENSIONS and matrix.shape[0] > 2:
        components = min(MAX_DIMENSIONS, matrix.shape[0] - 1)
        reduced = TruncatedSVD(n_components=components, random_state=seed).fit_transform(matrix)
        return normalize(reduced)
    return normalize(matrix).toarray()


def _initial_centroids(points: np.ndarray, count: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    centroids = np.zeros((count, points.shape[1]))
    distinct = len(np.unique(points, axis=0))
    k = min(count, distinct)
    if k >= 2:
        model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(points)
        centroids[:k] = model.cluster_centers_
    elif k == 1:
        centroids[:] = points.mean(axis=0)
    return centroids


def _assign(cost: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Balanced assignment by min-cost flow; returns the session index of each poster.

    `cost` is (P, N) integer, `allowed` a (P, N) boolean mask; disallowed arcs cost more than
    every allowed grouping together, so they are used only when unavoidable.
    """
    from ortools.graph.python import min_cost_flow

    posters, count = cost.shape
    base, extra = divmod(posters, count)
    penalty = int(cost.max(initial=0)) * posters + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    source, first_session = 0, 1 + posters
    spare, sink = first_session + count, first_session + count + 1
    for p in range(posters):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + p, 1, 0)
        for s in range(count):
            unit = int(cost[p, s]) + (0 if allowed[p, s] else penalty)
            flow.add_arc_with_capacity_and_unit_cost(1 + p, first_session + s, 1, unit)
    for s in range(count):
        if base:
            flow.add_arc_with_capacity_and_unit_cost(first_session + s, sink, base, 0)
        if extra:
            flow.add_arc_with_capacity_and_unit_cost(first_session + s, spare, 1, 0)
    if extra:
        flow.add_arc_with_capacity_and_unit_cost(spare, sink, extra, 0)
    flow.set_node_supply(source, posters)
    flow.set_node_supply(sink, -posters)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen: the network always carries P units
        raise RuntimeError(f"poster grouping failed (min-cost flow status {status})")
    result = np.full(posters, -1, dtype=np.int64)
    for arc in range(flow.num_arcs()):
        tail, head = flow.tail(arc), flow.head(arc)
        if 1 <= tail <= posters and first_session <= head < spare and flow.flow(arc) > 0:
            result[tail - 1] = head - first_session
    return result


def _board_order(points: np.ndarray, members: list[int]) -> list[int]:
    """Greedy nearest-neighbour chain through `members` (indices into `points`)."""
    if len(members) <= 2:
        return list(members)
    sub = points[members]
    centre = sub.mean(axis=0)
    current = int(np.argmax(((sub - centre) ** 2).sum(axis=1)))
    order = [current]
    left = set(range(len(members))) - {current}
    while left:
        candidates = sorted(left)
        distances = ((sub[candidates] - sub[current]) ** 2).sum(axis=1)
        current = candidates[int(np.argmin(distances))]
        order.append(current)
        left.remove(current)
    return [members[i] for i in order]


def group_posters(
    posters: Sequence[PosterInput],
    sessions: Sequence[PosterSessionInput],
    *,
    busy: Iterable[Busy] = (),
    forbidden: set[tuple[int, int]] | None = None,
    seed: int = 0,
    max_rounds: int = 20,
    first_board: int = 1,
) -> Grouping:
    """Group `posters` into `sessions` (see the module docstring).

    `forbidden` (poster id, session id) pairs default to those computed from `busy` by
    `forbidden_pairs`. Sessions are numbered in order of start time. Deterministic for a
    given `seed`. Raises ValueError without sessions or with duplicate ids.
    """
    if not sessions:
        raise ValueError("at least one poster session is needed")
    if len({p.id for p in posters}) != len(posters):
        raise ValueError("poster ids must be unique")
    ordered_sessions = sorted(sessions, key=lambda s: (s.start, s.id))
    if forbidden is None:
        forbidden = forbidden_pairs(posters, ordered_sessions, busy)
    grouping = Grouping(sessions={s.id: [] for s in ordered_sessions})
    if not posters:
        return grouping
    count = len(ordered_sessions)
    points = vectors([p.text for p in posters], seed=seed)
    allowed = np.ones((len(posters), count), dtype=bool)
    session_index = {s.id: index for index, s in enumerate(ordered_sessions)}
    poster_index = {p.id: index for index, p in enumerate(posters)}
    for poster_id, session_id in forbidden:
        if poster_id in poster_index and session_id in session_index:
            allowed[poster_index[poster_id], session_index[session_id]] = False

    centroids = _initial_centroids(points, count, seed)
    assignment = None
    for round_number in range(1, max_rounds + 1):
        distances = ((points[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        cost = np.rint(distances * SCALE).astype(np.int64)
        new = _assign(cost, allowed)
        grouping.rounds = round_number
        if assignment is not None and np.array_equal(new, assignment):
            break
        assignment = new
        for s in range(count):
            members = points[assignment == s]
            if len(members):
                centroids[s] = members.mean(axis=0)

    board = first_board
    for s, session in enumerate(ordered_sessions):
        members = [int(i) for i in np.flatnonzero(assignment == s)]
        ordered = _board_order(points, members)
        grouping.sessions[session.id] = [posters[i].id for i in ordered]
        for i in ordered:
            grouping.boards[posters[i].id] = board
            board += 1
            if not allowed[i, s]:
                grouping.violations.append((posters[i].id, session.id))
    return grouping
