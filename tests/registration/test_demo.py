"""Demo data: the served event has registration open; `fill` makes registrations at any size."""

import random

from symposia.common.models import OutboxMessage
from symposia.registration import demo, domain
from symposia.registration.enums import Role, Status
from symposia.registration.models import Category, Registration, RegistrationQuestion


def test_showcase_opens_registration_and_is_idempotent(event):
    demo.showcase(event, log=lambda message: None)
    first = domain.get_settings(event)
    demo.showcase(event, log=lambda message: None)
    again = domain.get_settings(event)

    assert domain.get_settings(event).is_open(first.opens_at)
    assert (again.opens_at, again.capacity) == (first.opens_at, 80)
    assert list(Category.objects.filter(event=event).values_list("name", flat=True)) == [
        "Student",
        "Academic",
        "Industry",
    ]
    assert RegistrationQuestion.objects.filter(event=event).count() == 1


def test_fill_makes_registrations_in_many_scripts_some_waiting(event):
    demo.fill(event, rng=random.Random(1), options={"registrations": 60}, log=lambda m: None)

    registrations = Registration.objects.filter(event=event)
    names = " ".join(registrations.values_list("name", flat=True))
    assert registrations.count() == 60
    assert registrations.filter(status=Status.WAITLISTED).exists()
    assert registrations.filter(role=Role.INVITED_SPEAKER, exempt=True).count() == 3
    assert any("\u4e00" <= char <= "\u9fff" for char in names)  # CJK
    assert any("\u0400" <= char <= "\u04ff" for char in names)  # Cyrillic
    assert OutboxMessage.objects.count() == 0


def test_fill_twice_adds_more(event):
    demo.fill(event, rng=random.Random(1), options={"registrations": 10}, log=lambda m: None)
    demo.fill(event, rng=random.Random(1), options={"registrations": 10}, log=lambda m: None)

    assert Registration.objects.filter(event=event).count() == 20
