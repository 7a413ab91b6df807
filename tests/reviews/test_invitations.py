"""Invitations: a single-use link, accepted exactly once even under 20 parallel clicks."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from symposia.reviews import domain
from symposia.reviews.enums import InvitationState, ReviewerStatus
from symposia.reviews.models import Invitation, Reviewer
from tests.conftest import make_user


def invite(event, alice, email="vera@lse.ac.uk", name="Vera Reviewer"):
    mail.outbox.clear()
    result = domain.invite_reviewers(event, people=[(email, name)], by=alice)
    return result.sent[0]


def token_from_outbox(event_slug="mathml2020") -> str:
    from symposia.common.models import OutboxMessage

    body = OutboxMessage.objects.filter(kind="reviews.invitation").latest("pk").body_text
    return re.search(rf"/{event_slug}/reviews/invitation/([\w-]+)/", body).group(1)


def test_only_the_hash_is_stored(event, alice):
    invitation = invite(event, alice)
    token = token_from_outbox()
    assert len(token) >= 43
    assert invitation.token_hash == domain.token_hash(token)
    assert token not in str(Invitation.objects.values_list().get())


def test_accept_requires_login_then_accepts_once(client, event, alice, rita):
    invite(event, alice)
    token = token_from_outbox()
    link = reverse("reviews:invitation", kwargs={"event": event.slug, "token": token})

    page = client.get(link)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    response = client.post(link, {"action": "accept"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    client.force_login(rita)  # another address than the one invited
    response = client.post(link, {"action": "accept"})
    assert response["Location"] == reverse("reviews:profile", kwargs={"event": event.slug})
    invitation = Invitation.objects.get()
    assert (invitation.state, invitation.accepted_by) == (InvitationState.ACCEPTED, rita)
    assert list(Reviewer.objects.values_list("user__email", "status")) == [
        ("rita@ox.ac.uk", ReviewerStatus.ACTIVE)
    ]

    other = make_user("mallory@example.org", "Mallory")
    client.force_login(other)
    response = client.post(link, {"action": "accept"})
    assert Reviewer.objects.count() == 1
    assert "This invitation has already been answered" in response.content.decode()


def test_second_acceptance_is_refused_sequentially(event, alice, rita, oscar):
    invitation = invite(event, alice)
    domain.accept_invitation(invitation, user=rita)
    with pytest.raises(domain.ReviewError):
        domain.accept_invitation(invitation, user=oscar)
    with pytest.raises(domain.ReviewError):
        domain.decline_invitation(invitation)
    assert Reviewer.objects.filter(event=event).count() == 1


def test_decline_without_account(client, event, alice):
    invite(event, alice)
    link = reverse("reviews:invitation", kwargs={"event": event.slug, "token": token_from_outbox()})
    client.post(link, {"action": "decline"})
    assert Invitation.objects.get().state == InvitationState.DECLINED
    assert Reviewer.objects.count() == 0


def test_unknown_and_resent_tokens(client, event, alice):
    invitation = invite(event, alice)
    old = token_from_outbox()
    domain.resend_invitation(invitation, by=alice)
    new = token_from_outbox()
    assert old != new
    for token, status in ((old, 404), ("x" * 300, 404), (new, 200)):
        link = reverse("reviews:invitation", kwargs={"event": event.slug, "token": token})
        assert client.get(link).status_code == status


def test_revoked_invitation_cannot_be_accepted(event, alice, rita):
    invitation = invite(event, alice)
    domain.revoke_invitation(invitation, by=alice)
    with pytest.raises(domain.ReviewError):
        domain.accept_invitation(invitation, user=rita)


def test_token_of_another_event_is_unknown(client, event, alice):
    from symposia.events.models import Event

    invite(event, alice)
    Event.objects.create(slug="other", title="Other")
    link = reverse("reviews:invitation", kwargs={"event": "other", "token": token_from_outbox()})
    assert client.get(link).status_code == 404


def test_already_invited_and_members_are_skipped(event, alice, rita):
    Reviewer.objects.create(event=event, user=rita)
    invite(event, alice)
    result = domain.invite_reviewers(
        event, people=[("VERA@lse.ac.uk", ""), ("rita@ox.ac.uk", "")], by=alice
    )
    assert result.sent == []
    assert result.skipped == [
        "VERA@lse.ac.uk already has a pending invitation.",
        "rita@ox.ac.uk is already on the committee.",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (SQLite serialises writers)"
)
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_clicks_accept_exactly_once(event, alice):
    invitation = invite(event, alice)
    users = [make_user(f"clicker{i}@example.org", f"Clicker {i}") for i in range(20)]
    barrier = threading.Barrier(20)
    outcomes = []
    lock = threading.Lock()

    def click(user):
        try:
            barrier.wait()
            domain.accept_invitation(Invitation.objects.get(pk=invitation.pk), user=user)
            result = "accepted"
        except domain.ReviewError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=click, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted"] + ["refused"] * 19
    assert Reviewer.objects.filter(event=event).count() == 1
    assert Invitation.objects.get().state == InvitationState.ACCEPTED
