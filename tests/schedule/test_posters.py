"""Grouping posters into sessions: balanced sizes, presenters kept out of their talks' time,
similar topics together, boards numbered in order."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symposia.schedule.posters import (
    Busy,
    PosterInput,
    PosterSessionInput,
    forbidden_pairs,
    group_posters,
    vectors,
)

T0 = dt.datetime(2020, 9, 7, 14, 30, tzinfo=dt.UTC)
TOPICS = [
    "optimal transport wasserstein distance gradient flow measures",
    "stochastic gradient descent convergence rate convex optimisation",
    "inverse problems regularisation tomography imaging reconstruction",
]


def sessions(count):
    return [
        PosterSessionInput(100 + n, T0 + dt.timedelta(days=n), T0 + dt.timedelta(days=n, hours=2))
        for n in range(count)
    ]


def test_sizes_differ_by_at_most_one_and_every_poster_is_placed():
    posters = [PosterInput(n, TOPICS[n % 3] + f" study {n}") for n in range(1, 24)]
    grouping = group_posters(posters, sessions(5))
    sizes = sorted(len(ids) for ids in grouping.sessions.values())
    assert sizes == [4, 4, 5, 5, 5]
    placed = sorted(pid for ids in grouping.sessions.values() for pid in ids)
    assert placed == list(range(1, 24))


def test_similar_topics_end_up_together():
    posters = [PosterInput(n, TOPICS[n % 2] + f" variant {n}") for n in range(1, 13)]
    grouping = group_posters(posters, sessions(2), seed=3)
    groups = [{pid % 2 for pid in ids} for ids in grouping.sessions.values()]
    assert groups in ([{0}, {1}], [{1}, {0}])


def test_presenter_is_kept_out_of_the_session_of_their_talk():
    posters = [PosterInput(n, TOPICS[0] + f" case {n}", presenters=(n,)) for n in range(1, 9)]
    first, second = sessions(2)
    talk = Busy(person_id=3, start=first.start + dt.timedelta(minutes=30), end=first.end)
    grouping = group_posters(posters, [first, second], busy=[talk])
    assert 3 in grouping.sessions[second.id]
    assert grouping.violations == []


def test_forbidden_pairs_come_from_overlapping_talks_only():
    first, second = sessions(2)
    posters = [PosterInput(1, "a", presenters=(7,)), PosterInput(2, "b", presenters=(8,))]
    busy = [
        Busy(7, first.start - dt.timedelta(hours=1), first.start),  # ends as the session starts
        Busy(8, second.end - dt.timedelta(minutes=1), second.end + dt.timedelta(hours=1)),
    ]
    assert forbidden_pairs(posters, [first, second], busy) == {(2, second.id)}


def test_unavoidable_clash_is_reported_not_hidden():
    # Both posters are presented by people talking during session 1, but sizes must be 1 and 1.
    first, second = sessions(2)
    posters = [PosterInput(1, "a", presenters=(1,)), PosterInput(2, "b", presenters=(2,))]
    forbidden = {(1, second.id), (2, second.id)}
    grouping = group_posters(posters, [first, second], forbidden=forbidden)
    assert sorted(len(ids) for ids in grouping.sessions.values()) == [1, 1]
    assert len(grouping.violations) == 1
    poster_id, session_id = grouping.violations[0]
    assert session_id == second.id and poster_id in (1, 2)


def test_boards_are_numbered_session_after_session():
    posters = [PosterInput(n, TOPICS[n % 3]) for n in range(1, 8)]
    grouping = group_posters(posters, sessions(2), first_board=1)
    numbers = [grouping.boards[pid] for ids in grouping.sessions.values() for pid in ids]
    assert numbers == list(range(1, 8))


def test_fewer_posters_than_sessions():
    grouping = group_posters([PosterInput(1, "lonely poster")], sessions(3))
    assert sorted(len(ids) for ids in grouping.sessions.values()) == [0, 0, 1]


def test_texts_without_words_still_group_and_balance():
    grouping = group_posters([PosterInput(n, "the and of") for n in range(1, 6)], sessions(2))
    assert sorted(len(ids) for ids in grouping.sessions.values()) == [2, 3]
    assert vectors(["the", "of"]).shape == (2, 1)


def test_no_session_is_an_error():
    with pytest.raises(ValueError, match="poster session"):
        group_posters([PosterInput(1, "x")], [])


def test_duplicate_ids_are_an_error():
    with pytest.raises(ValueError, match="unique"):
        group_posters([PosterInput(1, "x"), PosterInput(1, "y")], sessions(1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=0, max_value=30),
    session_count=st.integers(min_value=1, max_value=5),
    topics=st.lists(st.integers(min_value=0, max_value=2), min_size=30, max_size=30),
    busy_people=st.sets(st.integers(min_value=1, max_value=30), max_size=6),
    seed=st.integers(min_value=0, max_value=10),
)
def test_constraints_always_hold(count, session_count, topics, busy_people, seed):
    posters = [PosterInput(n, TOPICS[topics[n - 1]], presenters=(n,)) for n in range(1, count + 1)]
    slots = sessions(session_count)
    # Each busy presenter talks during the first session only, so a clash-free grouping exists
    # whenever the other sessions can take them.
    busy = [Busy(person, slots[0].start, slots[0].end) for person in busy_people]
    grouping = group_posters(posters, slots, busy=busy, seed=seed)
    sizes = [len(ids) for ids in grouping.sessions.values()]
    assert sum(sizes) == count
    assert max(sizes, default=0) - min(sizes, default=0) <= 1
    assert sorted(grouping.boards.values()) == list(range(1, count + 1))
    clashing = {(person, slots[0].id) for person in busy_people if person <= count}
    assert set(grouping.violations) <= clashing
    capacity_elsewhere = sum(sizes[1:])
    if len(clashing) <= capacity_elsewhere:
        assert grouping.violations == []
