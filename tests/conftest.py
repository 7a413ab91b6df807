"""The standing cast and shared fixtures.

Personas (healthchecks-style): alice organises the event, rita reviews, adam authors,
petra attends, and oscar is an outsider who must be refused everywhere.
"""

import pytest

from symposia.accounts.models import User
from symposia.events.models import Event

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SECURE_SSL_REDIRECT = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def make_user(email: str, name: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, name=name, **extra)
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    return user


@pytest.fixture
def event(db):
    return Event.objects.create(
        slug="mathml2020",
        title="Mathematics of Machine Learning 2020",
        timezone="Europe/London",
        contact_email="MathML2020@bath.ac.uk",
    )


@pytest.fixture
def alice(db, event):
    """Organiser of `event`."""
    user = make_user("alice@bath.ac.uk", "Alice Organiser", affiliation="University of Bath")
    event.organisers.add(user)
    return user


@pytest.fixture
def rita(db):
    """Reviewer (the reviews app gives her the role on the event)."""
    return make_user("rita@ox.ac.uk", "Rita Reviewer", affiliation="University of Oxford")


@pytest.fixture
def adam(db):
    """Author."""
    return make_user("adam@imperial.ac.uk", "Adam Author", affiliation="Imperial College London")


@pytest.fixture
def petra(db):
    """Attendee."""
    return make_user("petra@kaist.ac.kr", "Petra Participant", affiliation="KAIST")


@pytest.fixture
def oscar(db):
    """Outsider: signed in, but has no role on the event. Must be refused."""
    return make_user("oscar@example.org", "Oscar Outsider")
