"""State changes of submissions through cfp.domain."""

import datetime as dt
import hashlib
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from symposia.cfp import domain
from symposia.cfp.domain import AuthorData, SubmissionContent
from symposia.cfp.models import Extension, Submission, SubmissionVersion


def content(poster, track, **overrides) -> SubmissionContent:
    values = {
        "title": "Optimal transport for posters",
        "abstract": "Let $\\mu$ and $\\nu$ be measures.",
        "keywords": "optimal transport",
        "contribution_type": poster,
        "track": track,
        "authors": [
            AuthorData("Adam Author", "adam@imperial.ac.uk", "Imperial", "UK", True),
            AuthorData("Rita Reviewer", "rita@ox.ac.uk", "Oxford", "UK", False),
        ],
    }
    values.update(overrides)
    return SubmissionContent(**values)


def test_save_draft_creates_one_draft_per_form_token(event, call, adam, poster, track):
    key = uuid.uuid4()

    first = domain.save_draft(event, by=adam, content=content(poster, track), idempotency_key=key)
    second = domain.save_draft(
        event, by=adam, content=content(poster, track, title="Changed"), idempotency_key=key
    )

    assert first.pk == second.pk
    assert Submission.objects.get().title == "Changed"
    assert Submission.objects.get().state == "draft"


def test_draft_may_be_incomplete(event, call, adam):
    draft = domain.save_draft(
        event, by=adam, content=SubmissionContent(), idempotency_key=uuid.uuid4()
    )

    assert draft.state == "draft"
    assert draft.display_title == "Untitled draft"


def test_submit_makes_a_version_and_sends_receipt_and_coauthor_mail(
    event, call, adam, poster, track, django_capture_on_commit_callbacks
):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )

    with django_capture_on_commit_callbacks(execute=True):
        version = domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())

    draft.refresh_from_db()
    abstract_hash = hashlib.sha256(draft.abstract.encode()).hexdigest()
    assert draft.state == "submitted"
    assert version.number == 1
    assert version.abstract_sha256 == abstract_hash
    assert version.snapshot["authors"][1]["name"] == "Rita Reviewer"
    receipt, coauthor = mail.outbox
    assert receipt.to == ["adam@imperial.ac.uk"]
    assert draft.code in receipt.body and abstract_hash in receipt.body
    assert "SHA-256 of the file:     (no file)" in receipt.body
    assert coauthor.to == ["rita@ox.ac.uk"]
    assert "listed you as an author" in coauthor.body


def test_replayed_submit_returns_the_same_version(
    event, call, adam, poster, track, django_capture_on_commit_callbacks
):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    key = uuid.uuid4()

    with django_capture_on_commit_callbacks(execute=True):
        first = domain.submit(draft, by=adam, idempotency_key=key)
        again = domain.submit(draft, by=adam, idempotency_key=key)

    assert first.pk == again.pk
    assert SubmissionVersion.objects.count() == 1
    assert len(mail.outbox) == 2  # one receipt, one co-author notice


def test_resubmission_keeps_every_version_and_tells_only_new_coauthors(
    event, call, adam, poster, track, django_capture_on_commit_callbacks
):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())
    changed = content(poster, track, title="Better title")
    changed.authors.append(AuthorData("Petra Participant", "petra@kaist.ac.kr", "KAIST", "Korea"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        version = domain.submit(draft, by=adam, idempotency_key=uuid.uuid4(), content=changed)

    assert version.number == 2
    assert [v.snapshot["title"] for v in draft.versions.order_by("number")] == [
        "Optimal transport for posters",
        "Better title",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["adam@imperial.ac.uk", "petra@kaist.ac.kr"]


def test_incomplete_draft_cannot_be_submitted(event, call, adam, poster, track):
    draft = domain.save_draft(
        event,
        by=adam,
        content=content(poster, track, title="", authors=[]),
        idempotency_key=uuid.uuid4(),
    )

    with pytest.raises(domain.CfpError, match="A title is required. .*at least one author"):
        domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())
    assert Submission.objects.get().state == "draft"


def test_withdraw_submitted_sends_confirmation(
    event, call, adam, poster, track, django_capture_on_commit_callbacks
):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        domain.withdraw(draft, by=adam)

    draft.refresh_from_db()
    assert draft.state == "withdrawn"
    assert [m.subject for m in mail.outbox] == [
        f"[Mathematics of Machine Learning 2020] Submission {draft.code} withdrawn"
    ]
    with pytest.raises(domain.StateError):
        domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())


def test_decision_state_only_for_submitted(event, call, adam, alice, poster, track):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    with pytest.raises(domain.StateError):
        domain.set_decision_state(draft, "accepted_poster", by=alice)
    domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())

    decided = domain.set_decision_state(draft, "accepted_poster", by=alice)

    assert decided.state == "accepted_poster"
    assert decided.is_accepted
    with pytest.raises(domain.StateError):
        domain.set_decision_state(draft, "submitted", by=alice)
    with pytest.raises(domain.StateError):
        domain.withdraw(decided, by=adam)


def test_public_authors_only_after_acceptance(event, call, adam, alice, poster, track):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    domain.submit(draft, by=adam, idempotency_key=uuid.uuid4())
    assert draft.public_authors() == []

    domain.set_decision_state(draft, "accepted_talk", by=alice)

    assert [a.name for a in Submission.objects.get().public_authors()] == [
        "Adam Author",
        "Rita Reviewer",
    ]


def test_extension_link_lets_one_author_submit_late(
    event, call, adam, oscar, alice, poster, track, django_capture_on_commit_callbacks
):
    draft = domain.save_draft(
        event, by=adam, content=content(poster, track), idempotency_key=uuid.uuid4()
    )
    late = call.closes_at + dt.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        extension = domain.grant_extension(event, email="adam@imperial.ac.uk", until=late, by=alice)
    token = domain.extension_token(extension)
    after_deadline = call.closes_at + dt.timedelta(days=1)

    assert token in mail.outbox[0].body
    with pytest.raises(domain.DeadlineError):
        domain.submit(draft, by=adam, idempotency_key=uuid.uuid4(), now=after_deadline)
    domain.claim_extension(event, token, user=adam)
    version = domain.submit(draft, by=adam, idempotency_key=uuid.uuid4(), now=after_deadline)

    assert version.number == 1
    with pytest.raises(domain.CfpError, match="another account"):
        domain.claim_extension(event, token, user=oscar)
    with pytest.raises(domain.CfpError, match="not valid"):
        domain.claim_extension(event, token + "x", user=adam)


def test_revoked_extension_no_longer_counts(event, call, adam, alice, poster):
    extension = domain.grant_extension(
        event, email="adam@imperial.ac.uk", until=call.closes_at + dt.timedelta(days=5), by=alice
    )
    domain.claim_extension(event, domain.extension_token(extension), user=adam)

    domain.revoke_extension(extension, by=alice)

    assert Extension.objects.get().revoked
    assert domain.deadline_for(call, contribution_type=poster, user=adam) == call.closes_at


def test_nothing_before_the_call_opens(event, call, adam):
    call.opens_at = timezone.now() + dt.timedelta(hours=1)
    call.save()

    with pytest.raises(domain.DeadlineError, match="opens on"):
        domain.save_draft(event, by=adam, content=SubmissionContent(), idempotency_key=uuid.uuid4())
