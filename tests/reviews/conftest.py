"""Fixtures of peer review: an open call with submissions, a committee and a review form.

The cast on top of tests/conftest.py:
* alice organises; rita reviews; adam authors submission A;
* cora reviews too, but has a conflict of interest with A (declared by its authors);
* bob authors submission B, a draft C and a withdrawn D;
* oscar is the outsider who must be refused.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone
from pypdf import PdfWriter

from symposia.cfp import domain as cfp_domain
from symposia.cfp.domain import AuthorData, SubmissionContent
from symposia.cfp.enums import DeadlineZone, PdfRequirement
from symposia.cfp.models import Call, ContributionType, Submission, Track
from symposia.cfp.pdf import PdfInfo
from symposia.reviews import domain
from symposia.reviews.enums import ConflictSource, ConflictStatus
from symposia.reviews.models import Conflict, Criterion, Reviewer, ReviewSettings
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _login_url(settings):
    # The accounts pages live on their own branch; a literal path keeps redirects resolvable.
    settings.LOGIN_URL = "/accounts/login/"


def pdf_bytes(*, author: str = "", title: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    metadata = {}
    if author:
        metadata["/Author"] = author
    if title:
        metadata["/Title"] = title
    if metadata:
        writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def call(event):
    now = timezone.now()
    call = Call.objects.create(
        event=event,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        deadline_zone=DeadlineZone.AOE,
        pdf_requirement=PdfRequirement.OPTIONAL,
    )
    ContributionType.objects.create(event=event, name="Poster", position=0)
    ContributionType.objects.create(event=event, name="Contributed talk", position=1)
    Track.objects.create(event=event, name="Optimisation", position=0)
    Track.objects.create(event=event, name="Optimal transport", position=1)
    return call


def make_submission(
    event,
    owner,
    *,
    title="A poster",
    abstract="Abstract with $x$.",
    keywords="ml",
    authors=None,
    type_name="Poster",
    track="Optimisation",
    submit=True,
) -> Submission:
    authors = authors or [
        AuthorData(owner.display_name, owner.email, owner.affiliation, "UK", True)
    ]
    draft = cfp_domain.save_draft(
        event,
        by=owner,
        content=SubmissionContent(
            title=title,
            abstract=abstract,
            keywords=keywords,
            contribution_type=ContributionType.objects.get(event=event, name=type_name),
            track=Track.objects.get(event=event, name=track),
            authors=authors,
        ),
        idempotency_key=uuid.uuid4(),
    )
    if submit:
        cfp_domain.submit(draft, by=owner, idempotency_key=uuid.uuid4())
    draft.refresh_from_db()
    return draft


def attach_pdf(submission: Submission, data: bytes) -> None:
    upload = io.BytesIO(data)
    upload.name = "paper.pdf"
    cfp_domain.attach_file(
        submission,
        upload=upload,
        info=PdfInfo(size=len(data), sha256="0" * 64, pages=1),
        by=submission.owner,
        make_current=True,
    )


@pytest.fixture
def config(event):
    return ReviewSettings.objects.create(
        event=event,
        review_deadline=timezone.now() + dt.timedelta(days=10),
        reviewers_per_submission=1,
        max_load=3,
        double_blind=True,
    )


@pytest.fixture
def criteria(event):
    return [
        Criterion.objects.create(
            event=event,
            label=label,
            scale_min=1,
            scale_max=5,
            weight=w,
            position=i,
            labels={"1": "poor", "5": "excellent"},
        )
        for i, (label, w) in enumerate([("Originality", 2.0), ("Clarity", 1.0)])
    ]


@pytest.fixture
def bob(db):
    return make_user("bob@cam.ac.uk", "Bob Author", affiliation="University of Cambridge")


@pytest.fixture
def cora(db):
    """A reviewer with a conflict of interest with submission A."""
    return make_user("cora@warwick.ac.uk", "Cora Conflicted", affiliation="University of Warwick")


@pytest.fixture
def committee(event, alice, rita, cora):
    return {
        "rita": Reviewer.objects.create(event=event, user=rita, invited_by=alice),
        "cora": Reviewer.objects.create(event=event, user=cora, invited_by=alice),
    }


@pytest.fixture
def subs(event, call, config, alice, adam, bob, committee, cora):
    """A by adam (with PDF), B by bob, C a draft by bob, D withdrawn by bob; cora is
    conflicted with A (declared by adam)."""
    a = make_submission(
        event,
        adam,
        title="Adam's $L^2$ estimates",
        abstract="Optimal transport in $W_2$ for **posters**.",
        keywords="transport",
        track="Optimal transport",
    )
    attach_pdf(a, pdf_bytes(author="Adam Author", title="Secret title"))
    a.refresh_from_db()
    b = make_submission(
        event, bob, title="Bob's gradient flows", abstract="Stochastic gradient descent."
    )
    c = make_submission(event, bob, title="Bob's draft", submit=False)
    d = make_submission(event, bob, title="Bob's withdrawn poster")
    cfp_domain.withdraw(d, by=bob)
    d.refresh_from_db()
    Conflict.objects.create(
        event=event,
        submission=a,
        user=cora,
        source=ConflictSource.DECLARED_BY_AUTHOR,
        status=ConflictStatus.CONFIRMED,
    )
    return {"A": a, "B": b, "C": c, "D": d}


def assign(submission, reviewer, *, by=None):
    return domain.add_assignment(submission, reviewer=reviewer, by=by)
