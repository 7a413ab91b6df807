"""Confirmation of participation after a notified acceptance: owner, presenting co-author by
signed link (no account), everyone else refused."""

import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from symposia.cfp import decisions, notifications
from symposia.cfp.domain import AuthorData, StateError
from symposia.cfp.models import Submission
from tests.conftest import make_user

from .conftest import submitted

UTC = dt.UTC


def confirm_url(submission):
    return reverse("cfp:confirm", kwargs={"event": "mathml2020", "code": submission.code})


def notify(submission, alice, kind="accept_poster", audience="all"):
    notifications.send_notifications(
        submission.event,
        kind=kind,
        submissions=[submission],
        audience=audience,
        by=alice,
        idempotency_key=uuid.uuid4(),
        resend=True,
    )
    submission.refresh_from_db()


@pytest.fixture
def chen_presents(call, adam, alice):
    """Adam's poster presented by Chen Wei, who has no account; accepted and notified."""
    s = submitted(
        call.event,
        adam,
        authors=[
            AuthorData("Adam Author", "adam@imperial.ac.uk", "Imperial"),
            AuthorData("Chen Wei", "chen@tsinghua.edu.cn", "Tsinghua", is_presenting=True),
            AuthorData("Olga Smirnova", "olga@example.org", "MSU"),
        ],
    )
    decisions.accept_as_poster(s, by=alice)
    mail.outbox.clear()
    notify(s, alice)
    return s


def link_in(mail_to: str) -> str:
    message = next(m for m in mail.outbox if m.to == [mail_to])
    found = re.search(r"https?://\S+/confirm/\?token=\S+", message.body)
    return found.group(0) if found else ""


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_owner_confirms_while_signed_in(client, submission, alice, adam):
    decisions.accept_as_talk(submission, by=alice)
    notify(submission, alice, kind="accept_talk")
    client.force_login(adam)

    page = client.get(confirm_url(submission))
    with time_machine.travel(dt.datetime(2020, 7, 2, 8, 0, tzinfo=UTC), tick=False):
        response = client.post(confirm_url(submission), {"answer": "confirm"}, follow=True)

    assert "is <strong>accepted as talk</strong>" in page.content.decode()
    assert "Thank you: your participation is confirmed." in response.content.decode()
    submission.refresh_from_db()
    assert (submission.participation, submission.participation_at, submission.participation_by) == (
        "confirmed",
        dt.datetime(2020, 7, 2, 8, 0, tzinfo=UTC),
        "Adam Author <adam@imperial.ac.uk>",
    )


def test_presenting_coauthor_confirms_by_signed_link_without_account(client, chen_presents):
    link = link_in("chen@tsinghua.edu.cn")
    assert link
    assert link_in("olga@example.org") == ""  # other co-authors get no link

    page = client.get(path_of(link))
    response = client.post(
        path_of(link),
        {"answer": "decline", "token": link.split("token=")[1]},
        follow=True,
    )

    assert page.status_code == 200
    assert "Presenting author: <bdi>Chen Wei</bdi>." in page.content.decode()
    assert response.redirect_chain[-1][0] == path_of(link)
    assert "will not be presented" in response.content.decode()
    chen_presents.refresh_from_db()
    assert (chen_presents.participation, chen_presents.participation_by) == (
        "declined",
        "Chen Wei <chen@tsinghua.edu.cn>",
    )


def test_owner_gets_the_page_address_in_the_mail(chen_presents):
    message = next(m for m in mail.outbox if m.to == ["adam@imperial.ac.uk"])

    assert f"/mathml2020/cfp/submissions/{chen_presents.code}/confirm/\n" in message.body


def test_presenting_author_signed_in_may_answer(client, chen_presents):
    chen = make_user("chen@tsinghua.edu.cn", "Chen Wei")
    client.force_login(chen)

    client.post(confirm_url(chen_presents), {"answer": "confirm"})

    assert Submission.objects.get().participation == "confirmed"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "wrong-salt",
    ],
)
def test_bad_tokens_are_refused(client, chen_presents, token):
    if token == "wrong-salt":
        # Made here, not at collection: a signed value embeds the time it was made.
        token = signing.dumps({"s": 1, "a": 1, "e": "x"}, salt="wrong-salt")
    response = client.get(confirm_url(chen_presents), {"token": token})

    if token:
        assert response.status_code == 404
    else:
        assert response["Location"].startswith("/accounts/login/")


def test_token_of_a_non_presenting_author_is_refused(client, chen_presents):
    olga = chen_presents.authors.get(email="olga@example.org")

    response = client.get(
        confirm_url(chen_presents), {"token": decisions.participation_token(olga)}
    )

    assert response.status_code == 404


def test_token_of_another_submission_is_refused(client, call, adam, alice, chen_presents):
    other = submitted(call.event, adam, title="Other")
    decisions.accept_as_poster(other, by=alice)
    notify(other, alice)
    token = link_in("chen@tsinghua.edu.cn").split("token=")[1]

    response = client.get(confirm_url(other), {"token": token})

    assert response.status_code == 404


def test_expired_token_is_refused(client, chen_presents):
    link = link_in("chen@tsinghua.edu.cn")
    later = dt.datetime.now(UTC) + dt.timedelta(days=decisions.PARTICIPATION_LINK_DAYS + 1)

    with time_machine.travel(later):
        response = client.get(path_of(link))

    assert response.status_code == 404


def test_outsiders_and_other_coauthors_are_refused(client, chen_presents, oscar):
    olga = make_user("olga@example.org", "Olga Smirnova")
    for user in (oscar, olga):
        client.force_login(user)
        assert client.get(confirm_url(chen_presents)).status_code == 404
        response = client.post(confirm_url(chen_presents), {"answer": "decline"})
        assert response.status_code == 404
    assert Submission.objects.get().participation == "pending"


def test_nothing_to_confirm_before_notification(client, submission, alice, adam):
    decisions.accept_as_poster(submission, by=alice)
    client.force_login(adam)

    assert client.get(confirm_url(submission)).status_code == 404
    with pytest.raises(StateError):
        decisions.confirm_participation(submission, by=adam)


def test_nothing_to_confirm_after_rejection(client, submission, alice, adam):
    decisions.reject(submission, by=alice)
    notify(submission, alice, kind="reject")
    client.force_login(adam)

    assert client.get(confirm_url(submission)).status_code == 404


def test_invalid_answer_is_a_form_error(client, submission, alice, adam):
    decisions.accept_as_poster(submission, by=alice)
    notify(submission, alice)
    client.force_login(adam)

    response = client.post(confirm_url(submission), {"answer": "maybe"})

    assert "Select a valid choice." in response.content.decode()
    assert Submission.objects.get().participation == "pending"


def test_organisers_see_the_answer_in_the_list(client, chen_presents, alice):
    decisions.confirm_participation(
        chen_presents, author=chen_presents.authors.get(is_presenting=True)
    )
    client.force_login(alice)

    html = client.get(
        reverse("cfp:decisions", kwargs={"event": "mathml2020"}), {"participation": "confirmed"}
    ).content.decode()

    assert f'value="{chen_presents.code}"' in html
    assert '<span class="badge participation-confirmed">Confirmed</span>' in html
