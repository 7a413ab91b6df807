"""Users: one account per person, identified by email address."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from .validators import validate_orcid


def normalise_email(address: str) -> str:
    """The stored form of an email address: surrounding space removed, lower case throughout.

    Lower-casing the local part too is what people expect of "the same address" at sign-up and
    log-in; no mail system in practical use distinguishes by case.
    """
    return address.strip().lower()


class EmailUserManager(UserManager):
    """Creates users keyed by email; `username` mirrors the normalised email."""

    def _create_user(self, username, email, password, **extra_fields):
        email = normalise_email(email or username)
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        # Made on the server (`symposia createsuperuser`): no confirmation mail was sent, and
        # the banner asking to open it would nag the administrator on every page.
        extra_fields.setdefault("email_verified", True)
        return super().create_superuser(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person: author, reviewer, organiser or attendee, by their roles on events.

    `email` is the login; `name` is the display name as the person writes it (any script).
    `username` only mirrors the email for Django's auth and admin; it is set on save.
    """

    username = models.CharField(
        "username",
        max_length=254,
        unique=True,
        editable=False,
        help_text="Mirrors the email address.",
    )
    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=200, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=100, blank=True)
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="Like 0000-0002-1825-0097; see orcid.org.",
    )
    email_verified = models.BooleanField(
        default=False, help_text="The person has opened a confirmation link sent to this address."
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        self.username = self.email
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.email
