"""Fixtures for the events app: a second event, pages, and files to upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from symposia.events.models import Event, Page


@pytest.fixture(autouse=True)
def _login_url(settings):
    # A plain path, so the login redirect does not depend on the accounts app's URL names.
    settings.LOGIN_URL = "/accounts/login/"


@pytest.fixture
def other_event(db):
    """A second event, organised by nobody in the cast."""
    return Event.objects.create(slug="other2021", title="Other Workshop 2021")


@pytest.fixture
def home(event):
    return Page.objects.create(
        event=event, slug="index", title="", body="# Scope\n\nWe study $x^2$.", order=0
    )


def png_bytes(size=(8, 8), colour=(29, 63, 114)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def png_upload():
    def make(name="logo_imi.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make
