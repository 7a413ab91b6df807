"""Account state changes: sign-up, email verification, change of email, password notices.

Each function lists its side effects. Links in mail are built from settings.SITE_URL, never
from the request's Host header, so a forged Host cannot redirect a link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from symposia.common.mail import queue_templated_mail

from .models import User, normalise_email
from .tokens import EmailChange, make_email_change_token, verification_token_generator


class EmailChangeError(Exception):
    """A change-of-email link that cannot be applied; the message is for the person."""


def absolute_url(path: str) -> str:
    """`path` on this site as a full URL, from settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def password_reset_url(user: User) -> str:
    """A one-time link that lets `user` choose a new password (Django's reset token)."""
    token = default_token_generator.make_token(user)
    return absolute_url(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": _uid(user), "token": token})
    )


def verification_url(user: User, *, next_path: str = "") -> str:
    """A link that confirms `user`'s current address (see tokens.verification_token_generator);
    with `next_path` (checked by the caller to be on this site) it leads there after log-in."""
    token = verification_token_generator.make_token(user)
    path = reverse("accounts:verify_email", kwargs={"uidb64": _uid(user), "token": token})
    if next_path:
        path = f"{path}?{urlencode({'next': next_path})}"
    return absolute_url(path)


def sign_up(
    *,
    email: str,
    password: str,
    name: str,
    affiliation: str = "",
    country: str = "",
    next_path: str = "",
) -> User | None:
    """Create an account with an unverified address and mail it a verification link, which
    leads on to `next_path` (a path on this site, such as the call's form) once confirmed.

    If the address already has an account, nothing is created and its owner is mailed that
    someone tried to sign up, with a password reset link; the password is hashed anyway so the
    time taken does not differ. Returns the new user, or None; callers must respond identically
    in both cases. Side effects: one User row and one mail, or one mail.
    """
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    name=name,
                    affiliation=affiliation,
                    country=country,
                )
        except IntegrityError:  # the same address signed up concurrently
            existing = User.objects.filter(email__iexact=email).first()
        else:
            send_verification(user, next_path=next_path)
            return user
    make_password(password)
    if existing is not None and existing.is_active:
        queue_templated_mail(
            "accounts/signup_existing",
            {"user": existing, "reset_url": password_reset_url(existing)},
            to=existing.email,
            kind="accounts.signup_existing",
        )
    return None


def send_verification(user: User, *, next_path: str = "") -> None:
    """Mail `user` a link that confirms their address (then leads to `next_path`, if given).
    Side effects: one mail."""
    queue_templated_mail(
        "accounts/verify_email",
        {"user": user, "verify_url": verification_url(user, next_path=next_path)},
        to=user.email,
        kind="accounts.verify_email",
    )


def verify_email(user: User) -> None:
    """Record that `user` controls their address. Side effects: saves `email_verified`."""
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])


def request_email_change(user: User, *, new_email: str) -> None:
    """Mail `new_email` a link that moves `user` to it; the account is unchanged until then.

    If another account has `new_email`, its owner is told instead, and no link is sent; the
    person asking sees the same outcome either way. Side effects: one mail.
    """
    new_email = normalise_email(new_email)
    owner = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).first()
    if owner is not None:
        queue_templated_mail(
            "accounts/email_change_taken",
            {"user": owner},
            to=owner.email,
            kind="accounts.email_change_taken",
        )
        return
    token = make_email_change_token(user, new_email)
    queue_templated_mail(
        "accounts/email_change_confirm",
        {
            "user": user,
            "new_email": new_email,
            "confirm_url": absolute_url(reverse("accounts:email_change_confirm", args=[token])),
        },
        to=new_email,
        kind="accounts.email_change_confirm",
    )


def check_email_change(user: User, *, change: EmailChange) -> None:
    """Raise EmailChangeError unless `change` can move `user` to its new address now: the link
    belongs to this account, was not used (the current address is still the one it started
    from) and no other account has taken the new address since. No side effects."""
    if change.user_id != user.pk:
        raise EmailChangeError("This link was sent for another account.")
    if normalise_email(change.old_email) != user.email:
        raise EmailChangeError("This link has already been used or is out of date.")
    new_email = normalise_email(change.new_email)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise EmailChangeError("This address now belongs to another account.")


def confirm_email_change(user: User, *, change: EmailChange) -> None:
    """Move `user` to the new address of a signed change link, and tell the old address.

    Raises EmailChangeError as `check_email_change`. Side effects: saves email, username and
    email_verified=True; one mail to the old address.
    """
    check_email_change(user, change=change)
    new_email = normalise_email(change.new_email)
    old_email = user.email
    user.email = new_email
    user.email_verified = True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified"])
    except IntegrityError:
        user.email = old_email
        user.refresh_from_db()
        raise EmailChangeError("This address now belongs to another account.") from None
    queue_templated_mail(
        "accounts/email_changed",
        {"user": user, "old_email": old_email, "new_email": new_email},
        to=old_email,
        kind="accounts.email_changed",
    )


def notify_password_changed(user: User) -> None:
    """Tell `user` their password was changed, in case it was not them. Side effects: one mail."""
    queue_templated_mail(
        "accounts/password_changed",
        {"user": user, "reset_url": absolute_url(reverse("accounts:password_reset"))},
        to=user.email,
        kind="accounts.password_changed",
    )


def resend_verification(*, email: str) -> None:
    """Mail a new verification link if an active account with `email` is still unverified.

    Does nothing otherwise; callers respond the same either way. Side effects: zero or one mail.
    """
    user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
    if user is not None and not user.email_verified:
        send_verification(user)
