"""Tokens for links sent by mail, all from Django's signing machinery.

- Email verification: `verification_token_generator`, a PasswordResetTokenGenerator whose hash
  covers the address and its verified flag, so a link works for one address, once, and for
  PASSWORD_RESET_TIMEOUT seconds (Django's HMAC-SHA256 token with a timestamp).
- Change of email: `make_email_change_token` signs (user id, current address, new address) with
  django.core.signing (TimestampSigner); it stops working once the address has changed and after
  EMAIL_CHANGE_MAX_AGE.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

EMAIL_CHANGE_SALT = "symposia.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 24 * 60 * 60  # seconds


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens proving that the holder received mail at the user's current address."""

    key_salt = "symposia.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}\0{user.email}\0{user.email_verified}\0{timestamp}"


verification_token_generator = EmailVerificationTokenGenerator()


@dataclass(frozen=True)
class EmailChange:
    user_id: int
    old_email: str
    new_email: str


def make_email_change_token(user, new_email: str) -> str:
    """A URL-safe signed token for moving `user` from their current address to `new_email`."""
    payload = {"u": user.pk, "o": user.email, "n": new_email}
    return signing.dumps(payload, salt=EMAIL_CHANGE_SALT, compress=True)


def read_email_change_token(token: str) -> EmailChange | None:
    """The change a token asks for, or None if it is forged, malformed or expired."""
    try:
        payload = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
        return EmailChange(int(payload["u"]), str(payload["o"]), str(payload["n"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
