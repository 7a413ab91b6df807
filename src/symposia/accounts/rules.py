"""Who may do what with accounts; other apps ask here (submitting may need a verified address)."""


def is_verified(user) -> bool:
    """True for a signed-in, active user who has confirmed their email address."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "email_verified", False)
    )
