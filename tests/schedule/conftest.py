"""Fixtures of the timetable: accepted contributions of the cast, a room, sessions on
Monday 7 September 2020 in Europe/London (BST, UTC+1)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import ContributionType, Submission, SubmissionAuthor, Track
from symposia.schedule import domain
from symposia.schedule.enums import PersonRole, SessionKind
from symposia.schedule.models import Person, Room

LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2020, 9, 7)


@pytest.fixture(autouse=True)
def _login_url(settings):
    settings.LOGIN_URL = "/accounts/login/"


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    """An aware time on the event's day in London."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def make_submission(
    event,
    owner,
    *,
    title: str,
    state: str = SubmissionState.ACCEPTED_TALK,
    abstract: str = "We bound $\\|x\\|_2 \\le 1$.",
    keywords: str = "",
    authors: list[tuple[str, str, bool]] | None = None,
    contribution_type=None,
) -> Submission:
    """A submission in `state` with authors (name, email, presenting); the owner presents."""
    submission = Submission.objects.create(
        event=event,
        owner=owner,
        title=title,
        abstract=abstract,
        keywords=keywords,
        state=state,
        contribution_type=contribution_type,
        idempotency_key=uuid.uuid4(),
    )
    people = authors or [(owner.name, owner.email, True)]
    for position, (name, email, presenting) in enumerate(people):
        SubmissionAuthor.objects.create(
            submission=submission,
            position=position,
            name=name,
            email=email,
            affiliation="Imperial College London",
            country="UK",
            is_presenting=presenting,
            user=owner if email == owner.email else None,
        )
    return submission


@pytest.fixture
def talk_type(event):
    return ContributionType.objects.create(
        event=event, name="Contributed talk", duration_minutes=20
    )


@pytest.fixture
def track(event):
    return Track.objects.create(event=event, name="Optimisation")


@pytest.fixture
def talk(event, adam, talk_type):
    """Adam's accepted contributed talk."""
    return make_submission(event, adam, title="Convergence of SGD", contribution_type=talk_type)


@pytest.fixture
def poster(event, petra):
    """Petra's accepted poster."""
    return make_submission(
        event,
        petra,
        title="Wasserstein flows",
        state=SubmissionState.ACCEPTED_POSTER,
        abstract="Gradient flows $\\partial_t\\rho = \\nabla\\cdot(\\rho\\nabla V)$.",
    )


@pytest.fixture
def room(event):
    return Room.objects.create(event=event, name="Lecture theatre", position=0)


@pytest.fixture
def chair(event):
    return Person.objects.create(
        event=event,
        name="Clarice Poon",
        affiliation="University of Bath",
        country="UK",
        role=PersonRole.ORGANISER,
        slug="clarice-poon",
    )


@pytest.fixture
def speaker(event):
    return Person.objects.create(
        event=event,
        name="Stéphane Chrétien",
        affiliation="University of Lyon",
        country="France",
        role=PersonRole.INVITED_SPEAKER,
        slug="stephane-chretien",
    )


@pytest.fixture
def morning(event, room, chair):
    """Talks 09:00–10:30 BST in the lecture theatre, chaired by Clarice Poon."""
    return domain.save_session(
        event, title="Morning session", start=at(9), end=at(10, 30), room=room, chair=chair
    )


@pytest.fixture
def posters_session(event, room):
    """Poster session 15:30–17:00 BST."""
    return domain.save_session(
        event,
        title="Poster session",
        kind=SessionKind.POSTERS,
        start=at(15, 30),
        end=at(17),
        room=room,
    )


@pytest.fixture
def published(event, alice):
    return domain.publish(event, by=alice)
