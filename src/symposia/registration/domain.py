"""Registration rules: one function per transition of a registration.

Capacity is race-free: every function that can change who holds a place locks the event's
`RegistrationSettings` row (`select_for_update` inside `transaction.atomic`) before counting,
so on PostgreSQL concurrent transitions of one event run one after the other; SQLite
serialises writers already (transactions begin IMMEDIATE, see settings). Each locked
transition also expires lapsed offers and then fills free places from the waitlist, so after
it returns no waitlisted person could take a free place.

Who holds a place: registrations that are CONFIRMED or OFFERED, except, when
`RegistrationSettings.exempt_outside_capacity` is on, those organisers added as invited
speakers or organisers (`exempt`). A place is free for category C when the event's count is
below its capacity and C's count below C's capacity (empty capacity: no limit).

Times (`now`) are read after the lock is taken, so that offer and confirmation times follow
the order in which transitions actually ran.

Mails go through `symposia.common.mail.queue_mail` with kind "registration.<what>" and are
sent after the transaction commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from symposia.common.mail import queue_mail
from symposia.events.models import Event

from .enums import ACTIVE, HOLDING, Role, Status
from .links import registration_url
from .models import Category, Registration, RegistrationAnswer, RegistrationQuestion
from .models import RegistrationSettings as Settings

#: Fields a registration form may set, in `register` and `register_exempt`.
DETAIL_FIELDS = (
    "name",
    "email",
    "affiliation",
    "country",
    "category",
    "diet",
    "dietary_notes",
    "accessibility",
    "presents_poster",
    "submission_code",
    "consent_public_list",
    "needs_visa_letter",
    "passport_name",
    "nationality",
)
#: Fields the attendee may change later (`update_details`): not the email or category.
EDITABLE_FIELDS = tuple(name for name in DETAIL_FIELDS if name not in ("email", "category"))
#: Fields of `RegistrationSettings` that `configure` sets.
SETTINGS_FIELDS = (
    "opens_at",
    "closes_at",
    "capacity",
    "confirm_within_hours",
    "exempt_outside_capacity",
    "information",
    "letter_signatory",
)


class RegistrationError(Exception):
    """A transition that the rules refuse; `str(error)` is a sentence for the person."""


class RegistrationClosed(RegistrationError):
    pass


class AlreadyRegistered(RegistrationError):
    """The email address already has an active registration for this event (`.registration`)."""

    def __init__(self, registration: Registration):
        super().__init__("This email address is already registered for this event.")
        self.registration = registration


class InvalidTransition(RegistrationError):
    pass


# --- counting places -----------------------------------------------------------------------------


@dataclass
class Places:
    """Free places of an event: `event_free` None means unlimited; `category_free` lists only
    categories that have a capacity (others are limited by the event alone). Counts may be
    negative when organisers lowered a capacity below what is taken."""

    event_free: int | None
    category_free: dict[int, int] = field(default_factory=dict)

    def has_place(self, category_id: int | None) -> bool:
        if self.event_free is not None and self.event_free <= 0:
            return False
        return category_id not in self.category_free or self.category_free[category_id] > 0

    def category_is_full(self, category_id: int | None) -> bool:
        """True when the event has room but `category_id`, having a capacity, has none: who
        registers in it waits although the event is not full."""
        if self.event_free is not None and self.event_free <= 0:
            return False
        return category_id in self.category_free and self.category_free[category_id] <= 0

    def take(self, category_id: int | None) -> None:
        if self.event_free is not None:
            self.event_free -= 1
        if category_id in self.category_free:
            self.category_free[category_id] -= 1


def counted_filter(settings: Settings) -> Q:
    """The registrations of an event that occupy a place under `settings`."""
    query = Q(status__in=HOLDING)
    if settings.exempt_outside_capacity:
        query &= Q(exempt=False)
    return query


def free_places(settings: Settings) -> Places:
    """Count free places of the settings' event now (two queries, no lock)."""
    taken = dict(
        Registration.objects.filter(event_id=settings.event_id)
        .filter(counted_filter(settings))
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    limited = Category.objects.filter(
        event_id=settings.event_id, capacity__isnull=False
    ).values_list("pk", "capacity")
    return Places(
        event_free=None if settings.capacity is None else settings.capacity - sum(taken.values()),
        category_free={pk: capacity - taken.get(pk, 0) for pk, capacity in limited},
    )


def get_settings(event: Event) -> Settings:
    """The event's registration settings, created (closed, unlimited) on first use."""
    settings, _ = Settings.objects.get_or_create(event=event)
    return settings


def _lock(event: Event) -> Settings:
    # The settings row is the event's capacity lock; callers are inside transaction.atomic.
    get_settings(event)
    return Settings.objects.select_for_update().select_related("event").get(event=event)


def _next_sequence(settings: Settings) -> int:
    number = settings.next_sequence
    settings.next_sequence = number + 1
    settings.save(update_fields=["next_sequence"])
    return number


def waitlist_position(registration: Registration) -> int | None:
    """1-based place in the event's waitlist, or None when not waitlisted."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Status.WAITLISTED,
        sequence__lt=registration.sequence,
    ).count()
    return ahead + 1


# --- mail ----------------------------------------------------------------------------------------

SUBJECTS = {
    "confirmed": "Your registration is confirmed",
    "waitlisted": "You are on the waitlist",
    "offered": "A place is available: please confirm",
    "offer_expired": "Your offer of a place has expired",
    "cancelled": "Your registration is cancelled",
    "link": "The link to your registration",
}


def _mail(registration: Registration, what: str, **context: Any) -> None:
    event = registration.event
    with timezone.override(event.tzinfo):
        body = render_to_string(
            f"mail/registration_{what}.txt",
            {
                "registration": registration,
                "event": event,
                "link": registration_url(registration),
                "position": waitlist_position(registration),
                **context,
            },
        )
    queue_mail(
        to=registration.email,
        subject=SUBJECTS[what],
        body_text=body,
        event=event,
        kind=f"registration.{what}",
    )


def _schedule_expiry(event_id: int, when: dt.datetime) -> None:
    # A deferred task expires the offer on time when a worker runs; reads expire lazily too.
    from .tasks import expire_offers_task

    if expire_offers_task.get_backend().supports_defer:
        run_after = when + dt.timedelta(seconds=1)
        transaction.on_commit(
            lambda: expire_offers_task.using(run_after=run_after).enqueue(event_id)
        )


# --- internal steps (caller holds the lock) ------------------------------------------------------


def _offer(registration: Registration, settings: Settings, *, now: dt.datetime) -> None:
    registration.status = Status.OFFERED
    registration.offered_at = now
    registration.offer_expires_at = now + settings.offer_period
    registration.save(update_fields=["status", "offered_at", "offer_expires_at", "updated"])
    _mail(registration, "offered")
    _schedule_expiry(settings.event_id, registration.offer_expires_at)


def _expire(settings: Settings, *, now: dt.datetime) -> list[Registration]:
    lapsed = list(
        Registration.objects.filter(
            event_id=settings.event_id, status=Status.OFFERED, offer_expires_at__lte=now
        ).select_related("event")
    )
    for registration in lapsed:
        registration.status = Status.EXPIRED
        registration.save(update_fields=["status", "updated"])
        _mail(registration, "offer_expired")
    return lapsed


def _fill(settings: Settings, *, now: dt.datetime) -> list[Registration]:
    places = free_places(settings)
    if places.event_free is not None and places.event_free <= 0:
        return []
    promoted = []
    waiting = Registration.objects.filter(
        event_id=settings.event_id, status=Status.WAITLISTED
    ).select_related("event")
    for registration in waiting.order_by("sequence"):
        if places.event_free is not None and places.event_free <= 0:
            break
        if not places.has_place(registration.category_id):
            continue  # this category is full; the place goes to the next one who fits
        _offer(registration, settings, now=now)
        places.take(registration.category_id)
        promoted.append(registration)
    return promoted


def _settle(settings: Settings, *, now: dt.datetime) -> list[Registration]:
    _expire(settings, now=now)
    return _fill(settings, now=now)


def _save_answers(
    registration: Registration, answers: Mapping[RegistrationQuestion, Any] | None
) -> None:
    if not answers:
        return
    for question in answers:
        if question.event_id != registration.event_id:
            raise ValueError("A question of another event was answered.")
    RegistrationAnswer.objects.filter(
        registration=registration, question__in=list(answers)
    ).delete()
    RegistrationAnswer.objects.bulk_create(
        RegistrationAnswer(registration=registration, question=question, value=value)
        for question, value in answers.items()
        if value not in (None, "", [])
    )


def _details(event: Event, details: Mapping[str, Any], allowed: Iterable[str]) -> dict:
    values = {name: details[name] for name in allowed if name in details}
    if "email" in values:
        values["email"] = values["email"].strip().lower()
    category = values.get("category")
    if category is not None and category.event_id != event.pk:
        raise ValueError("The category belongs to another event.")
    return values


def _active_for_email(event: Event, email: str) -> Registration | None:
    return Registration.objects.filter(
        event=event, email__iexact=email.strip(), status__in=ACTIVE
    ).first()


# --- transitions ---------------------------------------------------------------------------------


def register(
    event: Event,
    *,
    details: Mapping[str, Any],
    answers: Mapping[RegistrationQuestion, Any] | None = None,
    user=None,
    enforce_window: bool = True,
    notify: bool = True,
    now: dt.datetime | None = None,
) -> Registration:
    """Register one person: CONFIRMED when a place is free in the event and their category,
    WAITLISTED (at the end of the queue) otherwise.

    `details` maps DETAIL_FIELDS (a form's cleaned_data) to values; `answers` maps the event's
    questions to values. `enforce_window=False` lets organisers register outside the opening
    window. Raises RegistrationClosed outside the window and AlreadyRegistered when the email
    already has an active registration (that one is left untouched).
    Side effects: locks the event's capacity; expires lapsed offers and promotes from the
    waitlist first; saves the registration and its answers; mails "confirmed" or "waitlisted"
    with the signed link (unless notify=False).
    """
    values = _details(event, details, DETAIL_FIELDS)
    with transaction.atomic():
        settings = _lock(event)
        now = now or timezone.now()
        if enforce_window and not settings.is_open(now):
            raise RegistrationClosed("Registration is not open.")
        _settle(settings, now=now)
        existing = _active_for_email(event, values["email"])
        if existing is None:
            category_id = values["category"].pk if values.get("category") else None
            places = free_places(settings)
            fits = places.has_place(category_id)
            registration = Registration.objects.create(
                event=event,
                user=user,
                status=Status.CONFIRMED if fits else Status.WAITLISTED,
                confirmed_at=now if fits else None,
                sequence=_next_sequence(settings),
                **values,
            )
            _save_answers(registration, answers)
            if notify and fits:
                _mail(registration, "confirmed")
            elif notify:
                category_full = places.category_is_full(category_id)
                _mail(registration, "waitlisted", category_full=category_full)
    if existing is not None:
        raise AlreadyRegistered(existing)
    return registration


def register_exempt(
    event: Event,
    *,
    details: Mapping[str, Any],
    role: str,
    answers: Mapping[RegistrationQuestion, Any] | None = None,
    notify: bool = True,
    now: dt.datetime | None = None,
) -> Registration:
    """Organisers register an invited speaker or an organiser: CONFIRMED at once, whatever the
    capacity, and marked `exempt` (outside capacity while the event's setting says so).

    Raises ValueError for the participant role and AlreadyRegistered as `register` does.
    Side effects: locks the event's capacity, saves, mails "confirmed" (unless notify=False).
    """
    if role not in (Role.INVITED_SPEAKER, Role.ORGANISER):
        raise ValueError("Only invited speakers and organisers are registered outside capacity.")
    values = _details(event, details, DETAIL_FIELDS)
    with transaction.atomic():
        settings = _lock(event)
        now = now or timezone.now()
        _settle(settings, now=now)
        existing = _active_for_email(event, values["email"])
        if existing is None:
            registration = Registration.objects.create(
                event=event,
                status=Status.CONFIRMED,
                confirmed_at=now,
                role=role,
                exempt=True,
                sequence=_next_sequence(settings),
                **values,
            )
            _save_answers(registration, answers)
            if notify:
                _mail(registration, "confirmed")
    if existing is not None:
        raise AlreadyRegistered(existing)
    return registration


def cancel(
    registration: Registration, *, by=None, now: dt.datetime | None = None
) -> list[Registration]:
    """Cancel a confirmed, offered or waitlisted registration (declining an offer is this too).

    `by` is the organiser who cancelled on the person's behalf, None when they did it.
    Returns the registrations promoted into the freed place. Raises InvalidTransition when the
    registration is not active or its holder has already checked in.
    Side effects: locks the event's capacity; status CANCELLED; mails "cancelled"; expires
    lapsed offers and offers the free places to the next people on the waitlist (mail each).
    """
    with transaction.atomic():
        settings = _lock(registration.event)
        now = now or timezone.now()
        registration.refresh_from_db()
        if registration.status not in ACTIVE:
            raise InvalidTransition("This registration is no longer active.")
        if registration.checked_in_at is not None:
            raise InvalidTransition("This participant has already checked in.")
        held_place = registration.holds_place
        registration.status = Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated"])
        _mail(registration, "cancelled", by_organiser=by is not None, held_place=held_place)
        return _settle(settings, now=now)


def promote_next(event: Event, *, now: dt.datetime | None = None) -> list[Registration]:
    """Offer every free place to the next people on the waitlist who fit, in order.

    Returns the registrations now OFFERED. Side effects: locks; expires lapsed offers first;
    each promoted person gets status OFFERED, a deadline `confirm_within_hours` from now and
    the "offered" mail.
    """
    with transaction.atomic():
        settings = _lock(event)
        return _settle(settings, now=now or timezone.now())


def promote(
    registration: Registration,
    *,
    confirm_now: bool = False,
    now: dt.datetime | None = None,
) -> Registration:
    """Organisers promote one person by hand, out of order and regardless of capacity.

    From WAITLISTED or EXPIRED: OFFERED with the usual deadline ("offered" mail), or with
    confirm_now CONFIRMED at once ("confirmed" mail). Raises InvalidTransition from any other
    status, or when the person has meanwhile registered again. Side effects: locks; saves; mail.
    """
    with transaction.atomic():
        settings = _lock(registration.event)
        now = now or timezone.now()
        registration.refresh_from_db()
        if registration.status not in (Status.WAITLISTED, Status.EXPIRED):
            raise InvalidTransition("Only waitlisted people or expired offers can be promoted.")
        if registration.status == Status.EXPIRED and _active_for_email(
            registration.event, registration.email
        ):
            raise InvalidTransition("This person has registered again since.")
        if confirm_now:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.offer_expires_at = None
            registration.save(
                update_fields=["status", "confirmed_at", "offer_expires_at", "updated"]
            )
            _mail(registration, "confirmed")
        else:
            _offer(registration, settings, now=now)
    return registration


def confirm_offer(registration: Registration, *, now: dt.datetime | None = None) -> Registration:
    """The person accepts the place offered to them before the deadline.

    Raises InvalidTransition when there is no open offer (expired, cancelled, never made);
    confirming an already confirmed registration is a no-op. Side effects: locks; expires
    lapsed offers (possibly this one, which then passes on); status CONFIRMED; "confirmed" mail.
    """
    with transaction.atomic():
        settings = _lock(registration.event)
        now = now or timezone.now()
        _settle(settings, now=now)
        registration.refresh_from_db()
        if registration.status == Status.OFFERED:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at", "updated"])
            _mail(registration, "confirmed")
    if registration.status != Status.CONFIRMED:
        raise InvalidTransition("There is no open offer of a place to confirm.")
    return registration


def expire_offers(event: Event, *, now: dt.datetime | None = None) -> list[Registration]:
    """Expire offers whose deadline has passed and pass their places on.

    Returns the expired registrations. Side effects: locks; each lapsed offer becomes EXPIRED
    with an "offer_expired" mail; free places are offered to the next people ("offered" mail).
    """
    with transaction.atomic():
        settings = _lock(event)
        now = now or timezone.now()
        expired = _expire(settings, now=now)
        _fill(settings, now=now)
    return expired


def expire_due_offers(event: Event, *, now: dt.datetime | None = None) -> None:
    """Run `expire_offers` when an offer of the event is overdue (one cheap query otherwise).

    Pages call this on every read so that deadlines hold without a worker.
    """
    now = now or timezone.now()
    overdue = Registration.objects.filter(
        event=event, status=Status.OFFERED, offer_expires_at__lte=now
    )
    if overdue.exists():
        expire_offers(event, now=now)


def configure(
    event: Event, *, values: Mapping[str, Any], now: dt.datetime | None = None
) -> list[Registration]:
    """Save the event's registration settings (SETTINGS_FIELDS of `values`).

    Returns the people promoted because the change freed places (a raised capacity, or
    invited speakers no longer counted). Lowering a capacity cancels nobody: new people wait
    until enough places free up. Side effects: locks; saves; promotes with "offered" mails.
    """
    with transaction.atomic():
        settings = _lock(event)
        now = now or timezone.now()
        for name in SETTINGS_FIELDS:
            if name in values:
                setattr(settings, name, values[name])
        settings.full_clean(exclude=["event"])
        settings.save()
        return _settle(settings, now=now)


def set_capacity(
    event: Event, *, capacity: int | None, now: dt.datetime | None = None
) -> list[Registration]:
    """Set the event's capacity (None: unlimited); see `configure` for the side effects."""
    return configure(event, values={"capacity": capacity}, now=now)


def save_category(
    event: Event,
    *,
    values: Mapping[str, Any],
    category: Category | None = None,
    now: dt.datetime | None = None,
) -> Category:
    """Create a category (category=None) or change one of `event`'s; a raised category
    capacity promotes from the waitlist. Side effects: locks; saves; "offered" mails."""
    fields = ("name", "description", "fee", "currency", "capacity", "is_public", "order")
    with transaction.atomic():
        settings = _lock(event)
        now = now or timezone.now()
        category = category or Category(event=event)
        if category.event_id != event.pk:
            raise ValueError("The category belongs to another event.")
        for name in fields:
            if name in values:
                setattr(category, name, values[name])
        category.currency = category.currency.upper()
        category.save()
        _settle(settings, now=now)
    return category


def update_details(
    registration: Registration,
    *,
    details: Mapping[str, Any],
    answers: Mapping[RegistrationQuestion, Any] | None = None,
) -> Registration:
    """The attendee (or an organiser) edits the registration: EDITABLE_FIELDS and answers.

    The email and category cannot change here (they decide identity and place). Raises
    InvalidTransition for a cancelled or expired registration. Side effects: saves.
    """
    if not registration.is_active:
        raise InvalidTransition("A cancelled registration cannot be edited.")
    values = _details(registration.event, details, EDITABLE_FIELDS)
    with transaction.atomic():
        for name, value in values.items():
            setattr(registration, name, value)
        registration.save(update_fields=[*values, "updated"])
        _save_answers(registration, answers)
    return registration


def check_in(
    registration: Registration, *, undo: bool = False, now: dt.datetime | None = None
) -> Registration:
    """Mark that a confirmed participant arrived at the venue (undo=True clears it).

    Raises InvalidTransition unless the registration is CONFIRMED. Side effects: saves.
    """
    if registration.status != Status.CONFIRMED:
        raise InvalidTransition("Only confirmed participants can check in.")
    registration.checked_in_at = (
        None if undo else (registration.checked_in_at or now or timezone.now())
    )
    registration.save(update_fields=["checked_in_at", "updated"])
    return registration


def mark_paid(
    registration: Registration, *, paid: bool = True, now: dt.datetime | None = None
) -> Registration:
    """Record (or clear) that the fee was paid; payment itself happens outside Symposia.

    Side effects: saves `paid` and `paid_at`.
    """
    registration.paid = paid
    registration.paid_at = (now or timezone.now()) if paid else None
    registration.save(update_fields=["paid", "paid_at", "updated"])
    return registration


def resend_link(registration: Registration) -> None:
    """Mail the person the signed link to their registration again. Side effects: one mail."""
    _mail(registration, "link")
