"""Demo data for the call: `showcase` opens the call on the served demo event; `fill` adds
realistic submissions at any size (`symposia demo SLUG --submissions N`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from symposia.accounts.models import User

from .domain import abstract_sha256, snapshot
from .enums import DeadlineZone, PdfRequirement, QuestionKind, QuestionVisibility, SubmissionState
from .models import (
    Answer,
    Call,
    ContributionType,
    Question,
    Submission,
    SubmissionAuthor,
    SubmissionVersion,
    Track,
)

TRACKS = [
    "Optimisation",
    "Inverse problems",
    "Optimal transport",
    "Statistics",
    "Numerical analysis",
    "Dynamical systems and PDEs",
]
TYPES = [("Poster", "A poster in the poster session.", None), ("Contributed talk", "", 20)]
INTRO = (
    "We invite **poster contributions** and a few **contributed talks** on the mathematics of "
    "machine learning: approximation theory, inverse problems, optimal transport, multi-scale "
    "analysis, statistics, optimisation and numerical analysis.\n\n"
    "Abstracts are written in Markdown with LaTeX maths, e.g. $\\min_\\theta "
    "\\mathbb{E}\\,\\ell(f_\\theta(x), y)$."
)


@transaction.atomic
def showcase(event, *, log=print) -> Call:
    """Open the call on `event` (now − 1 day to now + 60 days, AoE), with the poster and
    contributed-talk types, the seed's tracks and one custom question. Idempotent: an existing
    call keeps its settings unless it is closed, then its dates are moved."""
    now = timezone.now()
    call, created = Call.objects.get_or_create(
        event=event,
        defaults={
            "intro": INTRO,
            "deadline_zone": DeadlineZone.AOE,
            "abstract_limit": 300,
            "pdf_requirement": PdfRequirement.OPTIONAL,
            "pdf_max_mb": 10,
        },
    )
    if created or not call.is_open(now):
        aoe = dt.timezone(dt.timedelta(hours=-12))
        opens = (now - dt.timedelta(days=1)).astimezone(aoe).replace(hour=0, minute=0, second=0)
        closes = (
            (now + dt.timedelta(days=60))
            .astimezone(aoe)
            .replace(hour=23, minute=59, second=59, microsecond=0)
        )
        call.opens_at = opens.replace(microsecond=0)
        call.closes_at = closes
        call.save()
    for position, (name, description, minutes) in enumerate(TYPES):
        ContributionType.objects.get_or_create(
            event=event,
            name=name,
            defaults={
                "description": description,
                "duration_minutes": minutes,
                "position": position,
            },
        )
    for position, name in enumerate(TRACKS):
        Track.objects.get_or_create(event=event, name=name, defaults={"position": position})
    if not Question.objects.filter(event=event).exists():
        Question.objects.create(
            event=event,
            label="Are you a PhD student or early-career researcher?",
            kind=QuestionKind.CHECKBOX,
            visibility=QuestionVisibility.ORGANISERS,
            help_text="Used for the early-career poster prize.",
        )
    log(f"Call for contributions open until {call.format(call.closes_at)}.")
    return call


FIRST = [
    "Amira",
    "Bjørn",
    "Chloé",
    "Dmitri",
    "Eun-ji",
    "Fatima",
    "Giulia",
    "Hiroshi",
    "Ines",
    "Jonas",
    "Kwame",
    "Léa",
    "Mateus",
    "Nadia",
    "Oğuz",
    "Priya",
    "Qiang",
    "Rosa",
    "Siddharth",
    "Tomás",
    "Ulla",
    "Vikram",
    "Wen",
    "Yara",
    "Zoë",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Dubois",
    "Ivanov",
    "Park",
    "Haddad",
    "Rossi",
    "Tanaka",
    "García",
    "Schmidt",
    "Mensah",
    "Moreau",
    "Silva",
    "Kowalski",
    "Yılmaz",
    "Sharma",
    "Zhang",
    "Fernández",
    "Nair",
    "Novák",
    "Virtanen",
    "Rao",
    "Li",
    "Cohen",
    "Müller",
]
SCRIPTS = [
    "张伟",
    "Ольга Смирнова",
    "Γιώργος Παπαδόπουλος",
    "محمد العلي",
    "יעל כהן",
    "佐藤 花子",
    "김민준",
    "Ngozi Adeyemi",
]
PLACES = [
    ("University of Bath", "UK"),
    ("ETH Zürich", "Switzerland"),
    ("KAIST", "Korea"),
    ("Université Paris-Saclay", "France"),
    ("NTNU", "Norway"),
    ("Tsinghua University", "China"),
    ("Universidade de São Paulo", "Brazil"),
    ("IIT Bombay", "India"),
    ("University of Cape Town", "South Africa"),
    ("Technion", "Israel"),
]
TOPICS = [
    (
        "Convergence of stochastic gradient descent",
        "optimisation",
        "We prove that SGD with step sizes $\\eta_k = c/\\sqrt{k}$ satisfies "
        "$\\mathbb{E}\\,f(x_k) - f^\\star = O(k^{-1/2})$ for convex $f$.",
    ),
    (
        "Wasserstein gradient flows for generative models",
        "optimal transport",
        "We study $\\partial_t \\rho = \\nabla\\cdot(\\rho \\nabla "
        "\\frac{\\delta F}{\\delta \\rho})$ and its particle discretisation.",
    ),
    (
        "Learned regularisers for inverse problems",
        "inverse problems",
        "Given $y = Ax + \\varepsilon$, we learn $R_\\theta$ in "
        "$\\min_x \\tfrac12\\|Ax-y\\|^2 + \\lambda R_\\theta(x)$.",
    ),
    (
        "Generalisation bounds via Rademacher complexity",
        "statistics",
        "For a class $\\mathcal{F}$ we bound $\\mathfrak{R}_n(\\mathcal{F}) \\le C/\\sqrt{n}$.",
    ),
    (
        "Neural networks as discretised ODEs",
        "numerical analysis",
        "Residual networks $x_{k+1} = x_k + h f(x_k, \\theta_k)$ approximate "
        "$\\dot x = f(x, \\theta(t))$.",
    ),
]


def _person(rng, serial: int) -> tuple[str, str, str, str]:
    name = rng.choice(SCRIPTS) if rng.random() < 0.2 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place, country = rng.choice(PLACES)
    return name, f"author{serial}.{rng.getrandbits(32):08x}@example.org", place, country


def fill(event, *, rng, options: dict, log=print) -> None:
    """Create `options['submissions']` submitted contributions with 1–4 authors each."""
    count = int(options.get("submissions") or 0)
    if count <= 0:
        return
    call = showcase(event, log=log)
    types = list(ContributionType.objects.filter(event=event))
    tracks = list(Track.objects.filter(event=event))
    now = timezone.now()
    serial = User.objects.count()
    people = [_person(rng, serial + i) for i in range(count)]
    users = User.objects.bulk_create(
        [
            User(
                email=email,
                username=email,
                name=name,
                affiliation=place,
                country=country,
                email_verified=True,
            )
            for name, email, place, country in people
        ]
    )
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_update(users, ["password"])
    submissions = []
    for i, user in enumerate(users):
        title, keyword, body = rng.choice(TOPICS)
        submitted = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 20))
        submissions.append(
            Submission(
                event=event,
                owner=user,
                title=f"{title} ({i + 1})" if count > len(TOPICS) else title,
                abstract=body + "\n\n" + "We illustrate the result on benchmark data sets.",
                keywords=f"{keyword}, machine learning",
                contribution_type=rng.choice(types[:1] * 4 + types),
                track=rng.choice(tracks),
                state=SubmissionState.SUBMITTED,
                submitted_at=submitted,
                last_submitted_at=submitted,
                idempotency_key=uuid.uuid4(),
            )
        )
    Submission.objects.bulk_create(submissions)
    authors = []
    for submission, user, person in zip(submissions, users, people, strict=True):
        authors.append(
            SubmissionAuthor(
                submission=submission,
                position=0,
                name=person[0],
                email=person[1],
                affiliation=person[2],
                country=person[3],
                is_presenting=True,
                user=user,
                notified_at=now,
            )
        )
        for position in range(1, rng.randint(1, 4)):
            serial += 1
            name, email, place, country = _person(rng, serial + count)
            authors.append(
                SubmissionAuthor(
                    submission=submission,
                    position=position,
                    name=name,
                    email=email,
                    affiliation=place,
                    country=country,
                    notified_at=now,
                )
            )
    SubmissionAuthor.objects.bulk_create(authors)
    question = Question.objects.filter(event=event, kind=QuestionKind.CHECKBOX).first()
    if question is not None:
        Answer.objects.bulk_create(
            Answer(submission=s, question=question, value=rng.random() < 0.4) for s in submissions
        )
    versions = []
    for submission in Submission.objects.filter(pk__in=[s.pk for s in submissions]).select_related(
        "contribution_type", "track", "pdf"
    ):
        versions.append(
            SubmissionVersion(
                submission=submission,
                number=1,
                snapshot=snapshot(submission),
                abstract_sha256=abstract_sha256(submission.abstract),
                created=submission.submitted_at,
                created_by=submission.owner,
            )
        )
    SubmissionVersion.objects.bulk_create(versions)
    log(f"{count} submissions to the call of {event.slug} ({call.format(call.closes_at)}).")
