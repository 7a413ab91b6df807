"""Fixtures of the call: an open call on the cast's event, PDFs, and submission form data."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from symposia.cfp.enums import DeadlineZone, PdfRequirement
from symposia.cfp.models import Call, ContributionType, Track


@pytest.fixture(autouse=True)
def _login_url(settings):
    # The accounts pages live on their own branch; a literal path keeps redirects resolvable.
    settings.LOGIN_URL = "/accounts/login/"


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    """A small valid PDF made by pypdf."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def call(event):
    now = timezone.now()
    call = Call.objects.create(
        event=event,
        intro="Send us your **posters**.",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        deadline_zone=DeadlineZone.AOE,
        abstract_limit=300,
        pdf_requirement=PdfRequirement.OPTIONAL,
        pdf_max_mb=1,
    )
    ContributionType.objects.create(event=event, name="Poster", position=0)
    ContributionType.objects.create(event=event, name="Contributed talk", position=1)
    Track.objects.create(event=event, name="Optimisation", position=0)
    Track.objects.create(event=event, name="Optimal transport", position=1)
    return call


@pytest.fixture
def poster(call):
    return ContributionType.objects.get(event=call.event, name="Poster")


@pytest.fixture
def track(call):
    return Track.objects.get(event=call.event, name="Optimisation")


def form_data(event, *, action="submit", authors=None, key=None, **fields) -> dict:
    """POST data of the submission form: a complete poster by Adam unless overridden."""
    poster = ContributionType.objects.get(event=event, name="Poster")
    track = Track.objects.filter(event=event).first()
    authors = (
        authors
        if authors is not None
        else [
            {
                "name": "Adam Author",
                "email": "adam@imperial.ac.uk",
                "affiliation": "Imperial College London",
                "country": "UK",
                "is_presenting": "on",
            },
            {"name": "Chen Wei 陈伟", "email": "chen@tsinghua.edu.cn", "affiliation": "Tsinghua"},
        ]
    )
    data = {
        "idempotency_key": str(key or uuid.uuid4()),
        "title": "Convergence of $\\int_0^1 f(x)\\,dx$ estimators",
        "abstract": "We show that $\\int_0^1 f(x)\\,dx$ is estimated at rate $n^{-1/2}$.",
        "keywords": "Monte Carlo, integration",
        "contribution_type": str(poster.pk),
        "track": str(track.pk) if track else "",
        "action": action,
        "authors-TOTAL_FORMS": str(len(authors)),
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
    }
    for i, author in enumerate(authors):
        for name, value in author.items():
            data[f"authors-{i}-{name}"] = value
        data.setdefault(f"authors-{i}-ORDER", str(i + 1))
    data.update({k: v for k, v in fields.items() if v is not None})
    for k in [k for k, v in fields.items() if v is None]:
        data.pop(k, None)
    return data


def submit_url(event) -> str:
    return reverse("cfp:submit", kwargs={"event": event.slug})
