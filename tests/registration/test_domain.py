"""Capacity, waitlist and offer rules of registration.domain."""

import contextlib
import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symposia.common.models import OutboxMessage
from symposia.registration import domain
from symposia.registration.domain import Places
from symposia.registration.enums import HOLDING, Role, Status
from symposia.registration.models import Registration

from .conftest import details, register_many


def statuses(event) -> list[tuple[str, str]]:
    return list(
        Registration.objects.filter(event=event).order_by("sequence").values_list("name", "status")
    )


# --- Places (pure) -------------------------------------------------------------------------------


def test_places_unlimited_always_has_place():
    assert Places(event_free=None).has_place(None)
    assert Places(event_free=None, category_free={1: 0}).has_place(2)


def test_places_category_full_blocks_only_that_category():
    places = Places(event_free=5, category_free={1: 0, 2: 1})

    assert places.has_place(1) is False
    assert places.has_place(2) is True
    assert places.has_place(3) is True


def test_places_category_is_full_only_while_the_event_has_room():
    assert Places(event_free=5, category_free={1: 0, 2: 1}).category_is_full(1) is True
    assert Places(event_free=5, category_free={1: 0, 2: 1}).category_is_full(2) is False
    assert Places(event_free=None, category_free={1: -1}).category_is_full(1) is True
    assert Places(event_free=5).category_is_full(None) is False
    assert Places(event_free=0, category_free={1: 0}).category_is_full(1) is False


def test_places_take_counts_down_event_and_category():
    places = Places(event_free=2, category_free={1: 1})

    places.take(1)

    assert (places.event_free, places.category_free) == (1, {1: 0})
    assert places.has_place(1) is False
    assert places.has_place(None) is True


def test_places_capacity_lowered_below_taken_is_full():
    assert Places(event_free=-3).has_place(None) is False


# --- register ------------------------------------------------------------------------------------


def test_register_confirms_while_places_are_free_then_waitlists(open_event):
    domain.set_capacity(open_event, capacity=2)

    register_many(open_event, 3)

    assert statuses(open_event) == [
        ("Person 0", Status.CONFIRMED),
        ("Person 1", Status.CONFIRMED),
        ("Person 2", Status.WAITLISTED),
    ]


def test_register_mails_confirmation_with_signed_link(open_event):
    registration = domain.register(open_event, details=details("Petra Participant"))

    message = OutboxMessage.objects.get(kind="registration.confirmed")
    assert message.to == ["petra@example.org"]
    assert "/mathml2020/registration/r/" in message.body_text
    assert registration.code in message.body_text
    assert (
        message.subject == "[Mathematics of Machine Learning 2020] Your registration is confirmed"
    )


def test_mail_is_delivered_after_commit(open_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        domain.register(open_event, details=details("Petra Participant"))

    assert [m.to for m in mail.outbox] == [["petra@example.org"]]


def test_waitlisted_mail_gives_position(open_event):
    domain.set_capacity(open_event, capacity=0)

    register_many(open_event, 2)

    bodies = [m.body_text for m in OutboxMessage.objects.filter(kind="registration.waitlisted")]
    assert sorted("position 1." in b for b in bodies) == [False, True]
    assert sorted("position 2." in b for b in bodies) == [False, True]


def test_category_capacity_waitlists_that_category_only(open_event, student, academic):
    student.capacity = 1
    student.save()

    first = domain.register(open_event, details=details("Sam Student", category=student))
    second = domain.register(open_event, details=details("Sue Student", category=student))
    third = domain.register(open_event, details=details("Abe Academic", category=academic))

    assert [first.status, second.status, third.status] == [
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.CONFIRMED,
    ]


def test_email_is_stored_lowercase_and_duplicates_refused(open_event):
    first = domain.register(open_event, details=details("Petra", "Petra@Example.ORG"))

    with pytest.raises(domain.AlreadyRegistered) as error:
        domain.register(open_event, details=details("Petra again", "petra@example.org"))

    assert first.email == "petra@example.org"
    assert error.value.registration == first
    assert Registration.objects.count() == 1


def test_register_again_after_cancelling(open_event):
    first = domain.register(open_event, details=details("Petra"))
    domain.cancel(first)

    second = domain.register(open_event, details=details("Petra"))

    assert second.status == Status.CONFIRMED
    assert Registration.objects.filter(email="petra@example.org").count() == 2


def test_register_closed_on_both_sides_of_the_window(event):
    opens = dt.datetime(2020, 3, 1, 9, 0, tzinfo=event.tzinfo)
    closes = dt.datetime(2020, 6, 1, 17, 0, tzinfo=event.tzinfo)
    domain.configure(event, values={"opens_at": opens, "closes_at": closes})

    with pytest.raises(domain.RegistrationClosed):
        domain.register(event, details=details("Early"), now=opens - dt.timedelta(seconds=1))
    on_time = domain.register(event, details=details("Punctual"), now=opens)
    last = domain.register(event, details=details("Last"), now=closes - dt.timedelta(seconds=1))
    with pytest.raises(domain.RegistrationClosed):
        domain.register(event, details=details("Late"), now=closes)

    assert [on_time.status, last.status] == [Status.CONFIRMED, Status.CONFIRMED]
    assert Registration.objects.count() == 2


def test_never_opened_registration_is_closed(event):
    with pytest.raises(domain.RegistrationClosed):
        domain.register(event, details=details("Petra"))


def test_organisers_may_register_outside_the_window(event):
    registration = domain.register(event, details=details("Late Lucy"), enforce_window=False)

    assert registration.status == Status.CONFIRMED


def test_category_of_another_event_is_refused(open_event):
    from symposia.events.models import Event
    from symposia.registration.models import Category

    other = Event.objects.create(slug="other", title="Other")
    foreign = Category.objects.create(event=other, name="Student")

    with pytest.raises(ValueError):
        domain.register(open_event, details=details("Petra", category=foreign))


# --- cancel and automatic promotion --------------------------------------------------------------


def test_cancel_offers_the_place_to_the_first_in_line(open_event):
    domain.set_capacity(open_event, capacity=1)
    holder, first, second = register_many(open_event, 3)
    now = timezone.now()

    promoted = domain.cancel(holder, now=now)

    first.refresh_from_db()
    assert promoted == [first]
    assert first.status == Status.OFFERED
    assert first.offer_expires_at == now + dt.timedelta(hours=48)
    assert statuses(open_event)[1:] == [
        ("Person 1", Status.OFFERED),
        ("Person 2", Status.WAITLISTED),
    ]
    offer = OutboxMessage.objects.get(kind="registration.offered")
    assert offer.to == ["person1@example.org"]
    assert "/registration/r/" in offer.body_text
    assert OutboxMessage.objects.filter(kind="registration.cancelled").count() == 1


def test_offer_deadline_is_configurable(open_event):
    domain.configure(open_event, values={"capacity": 1, "confirm_within_hours": 6})
    holder, waiting = register_many(open_event, 2)
    now = timezone.now()

    domain.cancel(holder, now=now)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == now + dt.timedelta(hours=6)


def test_cancelling_a_waitlisted_person_promotes_nobody(open_event):
    domain.set_capacity(open_event, capacity=1)
    _holder, first, second = register_many(open_event, 3)

    promoted = domain.cancel(first)

    assert promoted == []
    assert statuses(open_event)[1:] == [
        ("Person 1", Status.CANCELLED),
        ("Person 2", Status.WAITLISTED),
    ]


def test_promotion_skips_people_whose_category_is_full(open_event, student, academic):
    domain.set_capacity(open_event, capacity=2)
    student.capacity = 1
    student.save()
    sam = domain.register(open_event, details=details("Sam", category=student))
    abe = domain.register(open_event, details=details("Abe", category=academic))
    sue = domain.register(open_event, details=details("Sue", category=student))
    ann = domain.register(open_event, details=details("Ann", category=academic))
    assert [sue.status, ann.status] == [Status.WAITLISTED, Status.WAITLISTED]

    promoted = domain.cancel(abe)

    assert promoted == [ann]  # Sue waits longer but the student places are all taken
    domain.cancel(sam)
    sue.refresh_from_db()
    assert sue.status == Status.OFFERED


def test_cancel_twice_is_refused(open_event):
    registration = domain.register(open_event, details=details("Petra"))
    domain.cancel(registration)

    with pytest.raises(domain.InvalidTransition):
        domain.cancel(registration)


def test_cancel_after_check_in_is_refused(open_event):
    registration = domain.register(open_event, details=details("Petra"))
    domain.check_in(registration)

    with pytest.raises(domain.InvalidTransition):
        domain.cancel(registration)


# --- offers: confirm, expire ---------------------------------------------------------------------


@pytest.fixture
def offered(open_event):
    """Capacity 1: holder cancelled, so Person 1 holds an offer and Person 2 waits."""
    domain.set_capacity(open_event, capacity=1)
    holder, first, second = register_many(open_event, 3)
    with time_machine.travel(dt.datetime(2030, 1, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        domain.cancel(holder)
    first.refresh_from_db()
    return first, second


def test_confirm_offer_just_before_the_deadline(offered):
    first, _second = offered

    with time_machine.travel(first.offer_expires_at - dt.timedelta(seconds=1), tick=False):
        domain.confirm_offer(first)

    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert (
        OutboxMessage.objects.filter(kind="registration.confirmed", to=[first.email]).count() == 1
    )


def test_confirm_offer_at_the_deadline_is_too_late_and_the_place_passes_on(offered):
    first, second = offered

    with (
        time_machine.travel(first.offer_expires_at, tick=False),
        pytest.raises(domain.InvalidTransition),
    ):
        domain.confirm_offer(first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.EXPIRED, Status.OFFERED)
    assert OutboxMessage.objects.get(kind="registration.offer_expired").to == [first.email]


def test_expire_offers_passes_places_on(offered):
    first, second = offered

    with time_machine.travel(first.offer_expires_at + dt.timedelta(minutes=1), tick=False):
        expired = domain.expire_offers(first.event)

    second.refresh_from_db()
    assert expired == [first]
    assert second.status == Status.OFFERED


def test_expire_offers_before_the_deadline_does_nothing(offered):
    first, second = offered

    with time_machine.travel(first.offer_expires_at - dt.timedelta(minutes=1), tick=False):
        assert domain.expire_offers(first.event) == []

    first.refresh_from_db()
    assert first.status == Status.OFFERED


def test_expire_offers_task_runs_the_same_rule(offered):
    from symposia.registration.tasks import expire_offers_task

    first, second = offered

    with time_machine.travel(first.offer_expires_at, tick=False):
        result = expire_offers_task.call(first.event_id)

    second.refresh_from_db()
    assert (result, second.status) == (1, Status.OFFERED)


def test_confirming_an_already_confirmed_registration_is_a_no_op(open_event):
    registration = domain.register(open_event, details=details("Petra"))

    domain.confirm_offer(registration)

    assert OutboxMessage.objects.filter(kind="registration.confirmed").count() == 1


def test_confirming_a_waitlisted_registration_is_refused(open_event):
    domain.set_capacity(open_event, capacity=0)
    registration = domain.register(open_event, details=details("Petra"))

    with pytest.raises(domain.InvalidTransition):
        domain.confirm_offer(registration)


# --- capacity changes ----------------------------------------------------------------------------


def test_raising_capacity_promotes_in_order(open_event):
    domain.set_capacity(open_event, capacity=1)
    register_many(open_event, 4)

    promoted = domain.set_capacity(open_event, capacity=3)

    assert [r.name for r in promoted] == ["Person 1", "Person 2"]
    assert statuses(open_event)[3] == ("Person 3", Status.WAITLISTED)


def test_removing_the_capacity_promotes_everyone(open_event):
    domain.set_capacity(open_event, capacity=1)
    register_many(open_event, 3)

    promoted = domain.set_capacity(open_event, capacity=None)

    assert len(promoted) == 2


def test_lowering_capacity_cancels_nobody_and_new_people_wait(open_event):
    domain.set_capacity(open_event, capacity=3)
    register_many(open_event, 3)

    domain.set_capacity(open_event, capacity=1)
    late = domain.register(open_event, details=details("Late Lucy"))

    assert [s for _, s in statuses(open_event)] == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]
    assert late.status == Status.WAITLISTED


def test_raising_a_category_capacity_promotes(open_event, student):
    student.capacity = 1
    student.save()
    domain.register(open_event, details=details("Sam", category=student))
    sue = domain.register(open_event, details=details("Sue", category=student))

    domain.save_category(open_event, values={"capacity": 2}, category=student)

    sue.refresh_from_db()
    assert sue.status == Status.OFFERED


# --- by hand -------------------------------------------------------------------------------------


def test_promote_by_hand_out_of_order_and_beyond_capacity(open_event):
    domain.set_capacity(open_event, capacity=1)
    _holder, first, second = register_many(open_event, 3)

    domain.promote(second)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.WAITLISTED, Status.OFFERED)
    assert OutboxMessage.objects.get(kind="registration.offered").to == [second.email]


def test_promote_by_hand_and_confirm_at_once(open_event):
    domain.set_capacity(open_event, capacity=0)
    waiting = domain.register(open_event, details=details("Petra"))

    domain.promote(waiting, confirm_now=True)

    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert waiting.confirmed_at is not None


def test_promote_a_lapsed_offer_again(offered):
    first, _second = offered
    with time_machine.travel(first.offer_expires_at, tick=False):
        domain.expire_offers(first.event)

    domain.promote(first)

    first.refresh_from_db()
    assert first.status == Status.OFFERED


def test_promote_a_confirmed_registration_is_refused(open_event):
    registration = domain.register(open_event, details=details("Petra"))

    with pytest.raises(domain.InvalidTransition):
        domain.promote(registration)


def test_promote_next_fills_places_left_free(open_event):
    domain.set_capacity(open_event, capacity=1)
    holder, waiting = register_many(open_event, 2)
    # A place freed without going through the rules (e.g. a data fix in the admin).
    Registration.objects.filter(pk=holder.pk).update(status=Status.CANCELLED)

    promoted = domain.promote_next(open_event)

    assert promoted == [waiting]


# --- invited speakers and organisers -------------------------------------------------------------


def test_exempt_registrations_do_not_count_toward_capacity(open_event):
    domain.set_capacity(open_event, capacity=1)
    speaker = domain.register_exempt(
        open_event, details=details("Ines Invited"), role=Role.INVITED_SPEAKER
    )
    participant = domain.register(open_event, details=details("Petra"))

    assert (speaker.status, speaker.exempt) == (Status.CONFIRMED, True)
    assert participant.status == Status.CONFIRMED


def test_exempt_registrations_count_when_the_setting_is_off(open_event):
    domain.configure(open_event, values={"capacity": 1, "exempt_outside_capacity": False})
    domain.register_exempt(open_event, details=details("Ines Invited"), role=Role.ORGANISER)

    participant = domain.register(open_event, details=details("Petra"))

    assert participant.status == Status.WAITLISTED


def test_turning_the_exemption_on_promotes(open_event):
    domain.configure(open_event, values={"capacity": 1, "exempt_outside_capacity": False})
    domain.register_exempt(open_event, details=details("Ines Invited"), role=Role.ORGANISER)
    waiting = domain.register(open_event, details=details("Petra"))

    domain.configure(open_event, values={"exempt_outside_capacity": True})

    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_exempt_registration_needs_an_exempt_role(open_event):
    with pytest.raises(ValueError):
        domain.register_exempt(open_event, details=details("Petra"), role=Role.PARTICIPANT)


# --- check-in, paid, details ---------------------------------------------------------------------


def test_check_in_and_undo(open_event):
    registration = domain.register(open_event, details=details("Petra"))
    now = timezone.now()

    domain.check_in(registration, now=now)
    registration.refresh_from_db()
    assert registration.checked_in_at == now

    domain.check_in(registration, undo=True)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_of_a_waitlisted_person_is_refused(open_event):
    domain.set_capacity(open_event, capacity=0)
    registration = domain.register(open_event, details=details("Petra"))

    with pytest.raises(domain.InvalidTransition):
        domain.check_in(registration)


def test_mark_paid_and_unpaid(open_event):
    registration = domain.register(open_event, details=details("Petra"))

    domain.mark_paid(registration)
    registration.refresh_from_db()
    assert (registration.paid, registration.paid_at is not None) == (True, True)

    domain.mark_paid(registration, paid=False)
    registration.refresh_from_db()
    assert (registration.paid, registration.paid_at) == (False, None)


def test_update_details_leaves_email_and_category_alone(open_event, student, academic):
    registration = domain.register(open_event, details=details("Petra", category=student))

    domain.update_details(
        registration,
        details={"name": "Petra P.", "email": "evil@example.org", "category": academic},
    )

    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.category) == (
        "Petra P.",
        "petra@example.org",
        student,
    )


def test_waitlist_position_counts_only_people_still_waiting(open_event):
    domain.set_capacity(open_event, capacity=0)
    first, second, third = register_many(open_event, 3)
    domain.cancel(first)

    assert [domain.waitlist_position(r) for r in (second, third)] == [1, 2]


# --- property: whatever happens, places are never over-given and nobody waits for a free place ---

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("register"), st.integers(0, 2)),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("confirm"), st.integers(0, 30)),
        st.tuples(st.just("raise"), st.integers(1, 2)),
        st.tuples(st.just("wait"), st.integers(1, 72)),
    ),
    min_size=1,
    max_size=25,
)
_slugs = iter(range(10**6))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(capacity=st.integers(0, 3), student_capacity=st.integers(0, 2), operations=OPERATIONS)
def test_capacity_invariants_hold_for_any_sequence(db, capacity, student_capacity, operations):
    from symposia.events.models import Event
    from symposia.registration.models import Category

    event = Event.objects.create(slug=f"prop-{next(_slugs)}", title="Property")
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    domain.configure(event, values={"opens_at": now, "capacity": capacity}, now=now)
    categories = [
        Category.objects.create(event=event, name="Student", capacity=student_capacity),
        Category.objects.create(event=event, name="Academic"),
        None,
    ]
    people = 0
    for operation, argument in operations:
        registrations = list(Registration.objects.filter(event=event).order_by("sequence"))
        if operation == "register":
            people += 1
            domain.register(
                event,
                details=details(
                    f"P {people}", f"p{people}@example.org", category=categories[argument]
                ),
                now=now,
            )
        elif operation == "cancel" and registrations:
            target = registrations[argument % len(registrations)]
            if target.is_active:
                domain.cancel(target, now=now)
        elif operation == "confirm" and registrations:
            target = registrations[argument % len(registrations)]
            if target.status == Status.OFFERED:
                with contextlib.suppress(domain.InvalidTransition):
                    domain.confirm_offer(target, now=now)
        elif operation == "raise":
            capacity += argument
            domain.set_capacity(event, capacity=capacity, now=now)
        elif operation == "wait":
            now += dt.timedelta(hours=argument)
            domain.expire_offers(event, now=now)

        holding = Registration.objects.filter(event=event, status__in=HOLDING)
        assert holding.count() <= capacity
        assert holding.filter(category=categories[0]).count() <= student_capacity
        places = domain.free_places(domain.get_settings(event))
        for waiting in Registration.objects.filter(event=event, status=Status.WAITLISTED):
            assert not places.has_place(waiting.category_id)


def test_cancel_mail_thanks_for_the_place_only_when_one_was_held(open_event):
    domain.set_capacity(open_event, capacity=1)
    holder, waiting = register_many(open_event, 2)

    domain.cancel(waiting)
    domain.cancel(holder)

    mails = {
        message.to[0]: message.body_text
        for message in OutboxMessage.objects.filter(kind="registration.cancelled")
    }
    assert "your place goes to the next person" in mails[holder.email]
    assert "your place goes to the next person" not in mails[waiting.email]
