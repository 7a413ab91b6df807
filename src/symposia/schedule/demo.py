"""Demo timetable: `showcase` publishes a small programme for the served demo event;
`fill` builds a 3-day timetable from the accepted contributions at any size
(`symposia demo SLUG --submissions N`), for tests, benchmarks and screenshots.

Both read the invited speakers and organisers from the event's pages first (the seed lists
sixteen invited participants and four organisers).
"""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction

from symposia.cfp import demo as cfp_demo
from symposia.cfp.domain import set_decision_state
from symposia.cfp.enums import ACCEPTED_STATES, SubmissionState
from symposia.cfp.models import Submission

from . import domain
from .enums import ItemKind, PersonRole, SessionKind
from .models import Item, Person, Session

# The seed's workshop gives no dates; a Monday-to-Wednesday in September keeps times in BST.
DEFAULT_FIRST_DAY = dt.date(2020, 9, 7)
DAYS = 3
TALKS_PER_SESSION = 4
MAX_PARALLEL_ROOMS = 4
THEMES = [
    "Optimisation and learning",
    "Inverse problems and imaging",
    "Optimal transport",
    "Statistical learning theory",
    "Numerical analysis of deep learning",
    "Dynamical systems and differential equations",
    "Approximation theory",
    "Multi-scale analysis",
]


def _at(day: dt.date, hour: int, minute: int, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def _people(event, rng: random.Random, log) -> tuple[list[Person], list[Person]]:
    imported = domain.import_people(event)
    if imported.count:
        log(f"{imported.count} invited speakers and organisers read from the event's pages.")
    invited = list(Person.objects.filter(event=event, role=PersonRole.INVITED_SPEAKER))
    organisers = list(Person.objects.filter(event=event, role=PersonRole.ORGANISER))
    for number in range(len(invited), 16):
        name = f"{rng.choice(cfp_demo.FIRST)} {rng.choice(cfp_demo.LAST)}"
        place, country = rng.choice(cfp_demo.PLACES)
        invited.append(
            domain.save_person(
                event,
                name=f"{name} {number + 1}"
                if Person.objects.filter(event=event, name=name)
                else name,
                affiliation=place,
                country=country,
                role=PersonRole.INVITED_SPEAKER,
            )
        )
    for _ in range(len(organisers), 2):
        name = f"{rng.choice(cfp_demo.FIRST)} {rng.choice(cfp_demo.LAST)} (organiser)"
        organisers.append(
            domain.save_person(
                event, name=name, affiliation="University of Bath", role=PersonRole.ORGANISER
            )
        )
    return invited, organisers


def _accept_some(event, rng: random.Random, *, talks: int, log) -> None:
    """Accept the submitted contributions when nothing is accepted yet: up to `talks` as
    talks (contributed-talk type first), the rest as posters."""
    if Submission.objects.filter(event=event, state__in=list(ACCEPTED_STATES)).exists():
        return
    submitted = list(
        Submission.objects.filter(event=event, state=SubmissionState.SUBMITTED)
        .select_related("contribution_type")
        .order_by("pk")
    )
    rng.shuffle(submitted)
    submitted.sort(key=lambda s: not (s.contribution_type and s.contribution_type.duration_minutes))
    as_talk = {s.pk for s in submitted[:talks]}
    for submission in submitted:
        state = (
            SubmissionState.ACCEPTED_TALK
            if submission.pk in as_talk
            else SubmissionState.ACCEPTED_POSTER
        )
        set_decision_state(submission, state, by=None)
    log(f"{len(submitted)} contributions accepted ({len(as_talk)} talks) for the demo.")


@transaction.atomic
def build_timetable(event, *, first_day: dt.date, rng: random.Random, log=print) -> None:
    """Rooms, sessions with chairs, the invited talks, accepted contributed talks, breaks and
    two poster sessions with board numbers, over three days from `first_day`."""
    zone = event.tzinfo
    invited, organisers = _people(event, rng, log)
    talks = list(
        Submission.objects.filter(event=event, state=SubmissionState.ACCEPTED_TALK)
        .select_related("contribution_type")
        .prefetch_related("authors")
        .order_by("pk")
    )
    parallel = max(1, min(MAX_PARALLEL_ROOMS, math.ceil(len(talks) / (2 * TALKS_PER_SESSION))))
    main = domain.save_room(event, name="Lecture theatre", capacity=150, position=0)
    rooms = [main] + [
        domain.save_room(event, name=f"Seminar room {n}", capacity=40, position=n)
        for n in range(1, parallel)
    ]
    chairs = organisers + invited
    chair_turn = 0

    def chair(exclude: set[int]) -> Person:
        nonlocal chair_turn
        for _ in range(len(chairs)):
            person = chairs[chair_turn % len(chairs)]
            chair_turn += 1
            if person.pk not in exclude:
                return person
        return chairs[0]

    invited_queue = list(invited)
    talk_queue = list(talks)
    poster_sessions = []
    theme = 0
    for offset in range(DAYS):
        day = first_day + dt.timedelta(days=offset)
        last_day = offset == DAYS - 1
        blocks = [
            ("talks", 9, 0, 10, 30, "invited"),
            ("break", 10, 30, 11, 0, "Coffee break"),
            ("talks", 11, 0, 12, 30, "invited"),
            ("break", 12, 30, 13, 30, "Lunch"),
            ("talks", 13, 30, 15, 0, "invited" if last_day else "contributed"),
            ("break", 15, 0, 15, 30, "Coffee break"),
            ("talks", 15, 30, 17, 0, "invited") if last_day else ("posters", 15, 30, 17, 0, ""),
        ]
        for kind, h1, m1, h2, m2, what in blocks:
            start, end = _at(day, h1, m1, zone), _at(day, h2, m2, zone)
            if kind == "break":
                session = domain.save_session(
                    event, title=what, kind=SessionKind.BREAK, start=start, end=end, room=main
                )
                item = domain.save_item(event, kind=ItemKind.BREAK, title=what)
                domain.place_item(item, session=session, start=start, end=end)
            elif kind == "posters":
                number = len(poster_sessions) + 1
                poster_sessions.append(
                    domain.save_session(
                        event,
                        title=f"Poster session {number}",
                        kind=SessionKind.POSTERS,
                        start=start,
                        end=end,
                        room=main,
                        chair=chair(set()),
                    )
                )
            elif what == "invited":
                speakers = invited_queue[:2]
                invited_queue = invited_queue[2:]
                session = domain.save_session(
                    event,
                    title=THEMES[theme % len(THEMES)],
                    start=start,
                    end=end,
                    room=main,
                    chair=chair({p.pk for p in speakers}),
                )
                theme += 1
                moment = start
                for person in speakers:
                    item = domain.save_item(
                        event,
                        kind=ItemKind.INVITED,
                        title="Title to be announced",
                        speakers=[person],
                    )
                    domain.place_item(
                        item, session=session, start=moment, end=moment + dt.timedelta(minutes=45)
                    )
                    moment += dt.timedelta(minutes=45)
            else:
                for room in rooms:
                    batch = talk_queue[:TALKS_PER_SESSION]
                    talk_queue = talk_queue[TALKS_PER_SESSION:]
                    if not batch:
                        break
                    session = domain.save_session(
                        event,
                        title=f"Contributed talks{f' ({room.name})' if parallel > 1 else ''}",
                        start=start,
                        end=end,
                        room=room,
                        chair=chair(set()),
                    )
                    moment = start
                    for submission in batch:
                        domain.place_submission(
                            submission,
                            session=session,
                            start=moment,
                            end=moment + dt.timedelta(minutes=20),
                        )
                        moment += dt.timedelta(minutes=20)
    recorded = Item.objects.filter(event=event, kind=ItemKind.INVITED).order_by("start")[:4]
    for number, item in enumerate(recorded, start=1):
        domain.set_media_links(
            item,
            slides_url=f"https://slides.example.org/{event.slug}/{number}.pdf",
            video_url=f"https://video.example.org/{event.slug}/{number}",
            recorded=True,
        )
    if poster_sessions:
        grouping = domain.group_posters(event, sessions=poster_sessions, seed=rng.randrange(1000))
        sizes = [len(ids) for ids in grouping.sessions.values()]
        log(f"Posters grouped into {len(sizes)} sessions of {sizes}.")
    log(
        f"Timetable of {event.slug}: {Session.objects.filter(event=event).count()} sessions "
        f"in {len(rooms)} room(s), {len(talks) - len(talk_queue)} contributed talks placed."
    )


def _first_day(event) -> dt.date:
    if event.start_date is None:
        event.start_date = DEFAULT_FIRST_DAY
        event.end_date = DEFAULT_FIRST_DAY + dt.timedelta(days=DAYS - 1)
        event.save(update_fields=["start_date", "end_date"])
    return event.start_date


def showcase(event, *, log=print) -> None:
    """Publish a small programme on the served demo event (idempotent: an event that has
    sessions keeps them). Reads people from the pages, accepts a dozen demo contributions
    when none is accepted, builds three days and publishes them."""
    domain.import_people(event)
    if Session.objects.filter(event=event).exists():
        log("Programme already in place.")
        return
    rng = random.Random(2020)
    if not Submission.objects.filter(event=event).exclude(state=SubmissionState.DRAFT).exists():
        cfp_demo.fill(event, rng=rng, options={"submissions": 14}, log=lambda message: None)
    _accept_some(event, rng, talks=6, log=log)
    build_timetable(event, first_day=_first_day(event), rng=rng, log=log)
    domain.publish(event, by=None, note="Demo programme")
    log(f"Programme published at /{event.slug}/programme/.")


def fill(event, *, rng, options: dict, log=print) -> None:
    """Build and publish the timetable of `event` from its accepted contributions (accepting
    submitted ones when none is: enough talks for two afternoons, the rest posters)."""
    if Session.objects.filter(event=event).exists():
        log("Timetable exists; not rebuilt.")
        return
    _accept_some(event, rng, talks=2 * TALKS_PER_SESSION * MAX_PARALLEL_ROOMS, log=log)
    build_timetable(event, first_day=_first_day(event), rng=rng, log=log)
    domain.publish(event, by=None, note="Demo programme")
