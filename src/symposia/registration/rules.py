"""Who may see which registration. Organiser pages go through `@event_view(organiser=True)`;
attendees reach their own registration through the signed link or their account."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .enums import ACTIVE
from .models import Registration


def get_managed_registration(event, code: str) -> Registration:
    """The registration of `event` with `code` (404 otherwise, including other events' codes).

    Callers have already checked that the user organises `event`.
    """
    return get_object_or_404(
        Registration.objects.select_related("event", "category"), event=event, code=code.upper()
    )


def own_registration(user, event) -> Registration | None:
    """The signed-in user's registration for `event`: linked to the account, or made with the
    account's verified email address; the active one first, else the latest."""
    if not user.is_authenticated:
        return None
    whose = Q(user=user)
    if getattr(user, "email_verified", False):
        whose |= Q(email__iexact=user.email)
    registrations = list(
        Registration.objects.filter(whose, event=event).select_related("event").order_by("-created")
    )
    active = [r for r in registrations if r.status in ACTIVE]
    return (active or registrations or [None])[0]
