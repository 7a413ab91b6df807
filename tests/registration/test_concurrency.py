"""Race-free capacity on PostgreSQL: parallel registrations and cancellations, each in its own
thread and database connection, end exactly as if they had run one after the other.

Skipped on SQLite, whose writers are serialised by the database itself (IMMEDIATE
transactions); run with DATABASE_URL=postgres://... to exercise the row lock.
"""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from symposia.events.models import Event
from symposia.registration import domain
from symposia.registration.enums import Status
from symposia.registration.models import Registration

from .conftest import details

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL only"
    ),
]


def run_in_parallel(jobs) -> list[BaseException]:
    """Run each job in its own thread, all released at once; return the exceptions raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job):
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # collected and reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def event_open():
    event = Event.objects.create(slug="mathml2020", title="MathML 2020", timezone="Europe/London")
    domain.configure(event, values={"opens_at": timezone.now() - dt.timedelta(days=1)})
    return event


def test_fifty_parallel_registrations_for_the_last_ten_places(event_open):
    domain.set_capacity(event_open, capacity=15)
    for i in range(5):
        domain.register(event_open, details=details(f"Early {i}", f"early{i}@example.org"))

    def job(i):
        return lambda: domain.register(
            event_open, details=details(f"Racer {i}", f"racer{i}@example.org")
        )

    errors = run_in_parallel([job(i) for i in range(50)])

    racers = Registration.objects.filter(event=event_open, name__startswith="Racer")
    assert errors == []
    assert racers.count() == 50
    assert racers.filter(status=Status.CONFIRMED).count() == 10
    assert racers.filter(status=Status.WAITLISTED).count() == 40
    sequences = list(
        Registration.objects.filter(event=event_open).values_list("sequence", flat=True)
    )
    assert len(set(sequences)) == 55
    # Whoever got a place registered before everyone who waits.
    confirmed_last = max(racers.filter(status=Status.CONFIRMED).values_list("sequence", flat=True))
    waiting_first = min(racers.filter(status=Status.WAITLISTED).values_list("sequence", flat=True))
    assert confirmed_last < waiting_first


def test_twenty_parallel_cancellations_promote_exactly_twenty_in_order(event_open):
    domain.set_capacity(event_open, capacity=20)
    holders = [
        domain.register(event_open, details=details(f"Holder {i}", f"holder{i}@example.org"))
        for i in range(20)
    ]
    waiting = [
        domain.register(event_open, details=details(f"Waiting {i}", f"waiting{i}@example.org"))
        for i in range(30)
    ]
    assert {r.status for r in waiting} == {Status.WAITLISTED}

    errors = run_in_parallel([lambda r=r: domain.cancel(r) for r in holders])

    assert errors == []
    assert Registration.objects.filter(event=event_open, status=Status.CANCELLED).count() == 20
    offered = list(
        Registration.objects.filter(event=event_open, status=Status.OFFERED).order_by(
            "offered_at", "sequence"
        )
    )
    assert [r.name for r in offered] == [f"Waiting {i}" for i in range(20)]
    still_waiting = Registration.objects.filter(event=event_open, status=Status.WAITLISTED)
    assert sorted(still_waiting.values_list("name", flat=True)) == sorted(
        f"Waiting {i}" for i in range(20, 30)
    )
