"""Fixtures for the registration tests: an event whose registration is open, categories,
and a helper that registers people through the domain."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from symposia.registration import domain
from symposia.registration.models import Category


@pytest.fixture(autouse=True)
def _login_url(settings):
    # A plain path, so that login redirects work whatever the accounts app names its URL.
    settings.LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives a test; rate limits must not leak from one to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_event(event):
    """`event` with registration open since yesterday, no capacity limit."""
    domain.configure(event, values={"opens_at": timezone.now() - dt.timedelta(days=1)})
    return event


@pytest.fixture
def student(open_event):
    return Category.objects.create(event=open_event, name="Student", order=1)


@pytest.fixture
def academic(open_event):
    return Category.objects.create(
        event=open_event, name="Academic", fee="150.00", currency="GBP", order=2
    )


def details(name: str, email: str | None = None, **extra) -> dict:
    """Form-like details for `domain.register`."""
    email = email or f"{name.split()[0].lower()}@example.org"
    return {"name": name, "email": email, "affiliation": "University of Bath", **extra}


def register_many(event, count: int, *, prefix: str = "person", **extra):
    return [
        domain.register(
            event, details=details(f"{prefix.title()} {i}", f"{prefix}{i}@example.org", **extra)
        )
        for i in range(count)
    ]
