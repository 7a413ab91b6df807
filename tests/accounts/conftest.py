"""Fixtures for account tests: a clean rate-limit cache and helpers to read mail."""

import re

import pytest
from django.core.cache import cache
from django.core.mail import EmailMessage

LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate-limit counters live in the (process-wide) local-memory cache.
    cache.clear()
    yield
    cache.clear()


def links(message: EmailMessage) -> list[str]:
    """The URLs in a mail's plain-text body, in order."""
    return LINK.findall(message.body)


def path_of(url: str) -> str:
    """`url` without scheme and host, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def without_csrf(html: str) -> str:
    """A page with its per-response CSRF token blanked, for comparing two responses."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
