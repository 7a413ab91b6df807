"""A small published programme for the book and static export tests (not a test module)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission, SubmissionAuthor
from symposia.schedule import domain
from symposia.schedule.enums import ItemKind, PersonRole, SessionKind

LONDON = ZoneInfo("Europe/London")


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2020, 9, 7, hour, minute, tzinfo=LONDON)


def accepted(event, owner, title: str, state: str, *, abstract: str) -> Submission:
    submission = Submission.objects.create(
        event=event,
        owner=owner,
        title=title,
        abstract=abstract,
        keywords="learning, transport",
        state=state,
        idempotency_key=uuid.uuid4(),
    )
    SubmissionAuthor.objects.create(
        submission=submission,
        name=owner.name,
        email=owner.email,
        affiliation="Imperial College London",
        country="UK",
        is_presenting=True,
        user=owner,
    )
    return submission


def build_programme(event, *, organiser, author, poster_author) -> dict:
    """One day: a session with an invited talk by a speaker with a non-ASCII name and a
    contributed talk, a break, and a poster session; published by `organiser`."""
    room = domain.save_room(event, name="Lecture theatre")
    chair = domain.save_person(
        event, name="Clarice Poon", affiliation="University of Bath", role=PersonRole.ORGANISER
    )
    speaker = domain.save_person(
        event,
        name="Zoë Ångström",
        affiliation="KTH",
        country="Sweden",
        role=PersonRole.INVITED_SPEAKER,
    )
    morning = domain.save_session(
        event, title="Morning session", start=at(9), end=at(10, 30), room=room, chair=chair
    )
    invited = domain.save_item(
        event,
        kind=ItemKind.INVITED,
        title="Double descent",
        abstract="Over-parametrised models with $p \\gg n$ interpolate.",
        speakers=[speaker],
    )
    domain.place_item(invited, session=morning, start=at(9), end=at(9, 45))
    talk = accepted(
        event,
        author,
        "Convergence of SGD",
        SubmissionState.ACCEPTED_TALK,
        abstract="With $\\eta_k = c/\\sqrt{k}$ we get $O(k^{-1/2})$.",
    )
    domain.place_submission(talk, session=morning, start=at(9, 45), end=at(10, 5))
    coffee = domain.save_session(
        event, title="Coffee break", kind=SessionKind.BREAK, start=at(10, 30), end=at(11), room=room
    )
    pause = domain.save_item(event, kind=ItemKind.BREAK, title="Coffee break")
    domain.place_item(pause, session=coffee, start=at(10, 30), end=at(11))
    posters = domain.save_session(
        event, title="Poster session", kind=SessionKind.POSTERS, start=at(15), end=at(16), room=room
    )
    poster = accepted(
        event,
        poster_author,
        "Wasserstein flows",
        SubmissionState.ACCEPTED_POSTER,
        abstract="$\\partial_t \\rho = \\nabla \\cdot (\\rho \\nabla V)$",
    )
    domain.group_posters(event, sessions=[posters])
    domain.publish(event, by=organiser)
    return {"invited": invited, "talk": talk, "poster": poster, "speaker": speaker}
