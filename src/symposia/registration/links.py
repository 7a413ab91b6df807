"""Signed links that let a person view, edit, cancel or confirm a registration without an account.

The token is `django.core.signing.dumps([id, code])` with a salt naming the event, so a link
changed by one character, or moved to another event's URL, fails the signature check. The
link does not expire: it is good until the registration's code changes.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "symposia.registration.link"


class InvalidLink(Exception):
    """The token is malformed, tampered with, from another event, or its registration is gone."""


def _salt(event_id: int) -> str:
    return f"{SALT}:{event_id}"


def make_token(registration) -> str:
    """The signed token for `registration` (URL-safe)."""
    return signing.dumps([registration.pk, registration.code], salt=_salt(registration.event_id))


def registration_path(registration, view: str = "link") -> str:
    """Site-relative URL of one of the signed-link pages ('link', 'edit', 'cancel', 'confirm')."""
    return reverse(
        f"registration:{view}",
        kwargs={"event": registration.event.slug, "token": make_token(registration)},
    )


def registration_url(registration) -> str:
    """Absolute URL of the registration's page, for mails (uses SITE_URL)."""
    return settings.SITE_URL + registration_path(registration)


def registration_from_token(event, token: str):
    """The registration of `event` that `token` names; raises InvalidLink otherwise."""
    from .models import Registration

    try:
        pk, code = signing.loads(token, salt=_salt(event.pk))
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink("This link is not valid.") from None
    registration = (
        Registration.objects.filter(event=event, pk=pk, code=code)
        .select_related("event", "category")
        .first()
    )
    if registration is None:
        raise InvalidLink("This link does not match any registration.")
    return registration
