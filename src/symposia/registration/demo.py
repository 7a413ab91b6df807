"""Demo data: registration open on the served demo event; synthetic registrations at any size.

Names come from many scripts (Latin with accents, Greek, Cyrillic, Chinese, Japanese, Korean,
Arabic) so that pages, exports, badges and letters are exercised with them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import domain
from .enums import Diet, QuestionKind, Role, Status
from .models import Category, Registration, RegistrationQuestion

CATEGORIES = [
    # name, fee (GBP, for information), capacity of the category
    ("Student", Decimal("60.00"), 25),
    ("Academic", Decimal("150.00"), None),
    ("Industry", Decimal("300.00"), None),
]
CAPACITY = 80

PEOPLE = [
    # (given names, family names, affiliations, country)
    (
        ["Zoë", "Émile", "Ségolène", "Jérôme"],
        ["Ångström", "Lefèvre", "Dubois"],
        ["Université de Lyon", "École polytechnique"],
        "France",
    ),
    (
        ["Jürgen", "Lena", "Björn", "Käthe"],
        ["Müller", "Schäfer", "Groß"],
        ["TU München", "Universität Bonn"],
        "Germany",
    ),
    (["José", "Inés", "Nuño"], ["Núñez", "Peña", "García"], ["Universidad de Granada"], "Spain"),
    (
        ["Łukasz", "Małgorzata", "Paweł"],
        ["Wójcik", "Kowalczyk"],
        ["Uniwersytet Warszawski"],
        "Poland",
    ),
    (
        ["Søren", "Åse", "Bjørn"],
        ["Kierkegård", "Østergaard"],
        ["Københavns Universitet", "NTNU"],
        "Denmark",
    ),
    (
        ["Дмитрий", "Анна", "Сергей"],
        ["Иванов", "Смирнова", "Кузнецов"],
        ["МГУ имени М. В. Ломоносова"],
        "Russia",
    ),
    (
        ["Γιώργος", "Ελένη", "Νίκος"],
        ["Παπαδόπουλος", "Οικονόμου"],
        ["Εθνικό Μετσόβιο Πολυτεχνείο"],
        "Greece",
    ),
    (["小龍", "芳", "偉"], ["李", "王", "張"], ["北京大学", "清华大学"], "China"),
    (["太郎", "花子"], ["山田", "佐藤"], ["東京大学", "京都大学"], "Japan"),
    (["민준", "서연", "지호"], ["김", "이", "박"], ["KAIST", "서울대학교"], "Korea"),
    (["محمد", "فاطمة"], ["علي", "حسن"], ["جامعة القاهرة"], "Egypt"),
    (["Văn An", "Thị Hoa"], ["Nguyễn", "Trần"], ["Đại học Quốc gia Hà Nội"], "Vietnam"),
    (
        ["Oliver", "Amelia", "Harry", "Isla"],
        ["Smith", "Jones", "Taylor", "Brown"],
        ["University of Bath", "University of Oxford", "Imperial College London"],
        "UK",
    ),
]
FAMILY_FIRST = {"Vietnam"}
DIETS = (
    [Diet.NONE] * 10
    + [Diet.VEGETARIAN] * 4
    + [Diet.VEGAN, Diet.HALAL, Diet.GLUTEN_FREE, Diet.OTHER]
)


def showcase(event, *, log=print) -> None:
    """Open registration on `event` (capacity 80; Student, Academic, Industry; one question)
    unless it is already set up. Idempotent: an existing set-up is only reopened if closed."""
    now = timezone.now()
    settings = domain.get_settings(event)
    values: dict = {}
    if settings.opens_at is None or settings.opens_at > now:
        values["opens_at"] = now - dt.timedelta(days=1)
    if settings.closes_at is not None and settings.closes_at <= now:
        values["closes_at"] = None
    if settings.capacity is None and not Registration.objects.filter(event=event).exists():
        values["capacity"] = CAPACITY
    if not settings.letter_signatory:
        values["letter_signatory"] = f"The organisers of {event.title}"
    if values:
        domain.configure(event, values=values)
    if not Category.objects.filter(event=event).exists():
        for order, (name, fee, _capacity) in enumerate(CATEGORIES):
            domain.save_category(
                event, values={"name": name, "fee": fee, "currency": "GBP", "order": order}
            )
    RegistrationQuestion.objects.get_or_create(
        event=event,
        label="Will you join the workshop dinner?",
        defaults={"kind": QuestionKind.YES_NO, "order": 1},
    )
    log(f"registration open on {event.slug}")


def _person(rng, index: int) -> dict:
    given, family, affiliations, country = rng.choice(PEOPLE)
    first, last = rng.choice(given), rng.choice(family)
    if country in {"China", "Japan", "Korea"}:
        name = f"{last}{first}"
    elif country in FAMILY_FIRST:
        name = f"{last} {first}"
    else:
        name = f"{first} {last}"
    return {
        "name": name,
        "email": f"participant{index}@example.org",
        "affiliation": rng.choice(affiliations),
        "country": country,
        "diet": rng.choice(DIETS),
        "dietary_notes": rng.choice(["", "", "", "Nut allergy", "No pork", "Lactose intolerant"]),
        "presents_poster": rng.random() < 0.3,
        "consent_public_list": rng.random() < 0.7,
        "needs_visa_letter": country in {"China", "Egypt", "Russia", "Vietnam"}
        and rng.random() < 0.5,
    }


def fill(event, *, rng, options: dict, log=print) -> None:
    """Create `options["registrations"]` registrations (default 60): a few invited speakers,
    the rest participants spread over the categories, the Student category limited so that
    some wait on the waitlist; some have paid, some have arrived. No mail is sent."""
    count = int(options.get("registrations", 60))
    if count <= 0:
        return
    showcase(event, log=lambda message: None)
    categories = list(Category.objects.filter(event=event, is_public=True))
    student = next((c for c in categories if c.name == "Student"), None)
    if student is not None and student.capacity is None:
        domain.save_category(event, values={"capacity": max(count // 8, 1)}, category=student)
    questions = list(RegistrationQuestion.objects.filter(event=event, kind=QuestionKind.YES_NO))
    start = Registration.objects.filter(event=event).count()
    for i in range(count):
        details = _person(rng, start + i)
        if details["needs_visa_letter"]:
            details["passport_name"] = details["name"]
            details["nationality"] = details["country"]
        answers = {question: rng.random() < 0.6 for question in questions}
        if i < max(count // 20, 1):
            domain.register_exempt(
                event, details=details, role=Role.INVITED_SPEAKER, answers=answers, notify=False
            )
            continue
        details["category"] = rng.choice(categories) if categories else None
        registration = domain.register(
            event, details=details, answers=answers, enforce_window=False, notify=False
        )
        roll = rng.random()
        if registration.status == Status.CONFIRMED:
            if roll < 0.5:
                domain.mark_paid(registration)
            if roll < 0.2:
                domain.check_in(registration)
    log(f"{count} registrations on {event.slug}")
