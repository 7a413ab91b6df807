"""The public list of accepted contributions: only notified acceptances, with authors and
abstracts, maths as MathML; declined ones leave it."""

import re
import uuid

import pytest
from django.urls import reverse

from symposia.cfp import decisions, notifications
from symposia.cfp.domain import AuthorData

from .conftest import submitted

ACCEPTED = reverse("cfp:accepted", kwargs={"event": "mathml2020"})


def notify(event, items, alice, kind):
    notifications.send_notifications(
        event,
        kind=kind,
        submissions=items,
        audience="presenting",
        by=alice,
        idempotency_key=uuid.uuid4(),
    )


def titles(html: str) -> list[str]:
    import re

    return re.findall(r'<li class="accepted-item" id="contribution-([A-Z0-9]+)">', html)


def test_accepted_contributions_are_public_with_authors_and_maths(client, call, adam, alice):
    talk = submitted(call.event, adam, title="Talk on $\\alpha$", type_name="Contributed talk")
    poster = submitted(call.event, adam, title="Poster on $\\beta$")
    decisions.accept_as_talk(talk, by=alice)
    decisions.accept_as_poster(poster, by=alice)
    notify(call.event, [talk], alice, "accept_talk")
    notify(call.event, [poster], alice, "accept_poster")

    response = client.get(ACCEPTED)

    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == [talk.code, poster.code]
    assert html.index("Talks (1)") < html.index("Posters (1)")
    assert "<math" in html.split("accepted-title")[1]  # the title's maths as MathML
    assert '<span class="affiliation">(<bdi>Imperial College London</bdi>)</span>' in html
    assert '<bdi class="name">Chen Wei 陈伟</bdi>' in html
    assert "<details><summary>Abstract</summary>" in html
    assert "adam@imperial.ac.uk" not in html
    assert "chen@tsinghua.edu.cn" not in html


def test_only_notified_acceptances_appear(client, call, adam, alice):
    secret = submitted(call.event, adam, title="Not yet announced")
    rejected = submitted(
        call.event,
        adam,
        title="Rejected",
        authors=[AuthorData("Rejected Person", "adam@imperial.ac.uk", "Nowhere", "", True)],
    )
    decisions.accept_as_poster(secret, by=alice)
    decisions.reject(rejected, by=alice)
    notify(call.event, [rejected], alice, "reject")
    submitted(call.event, adam, title="Undecided")

    html = client.get(ACCEPTED).content.decode()

    assert titles(html) == []
    assert "No accepted contributions have been announced yet." in html
    assert "Rejected Person" not in html
    assert "Chen Wei" not in html


def test_declined_participation_removes_it(client, call, adam, alice):
    poster = submitted(call.event, adam)
    decisions.accept_as_poster(poster, by=alice)
    notify(call.event, [poster], alice, "accept_poster")
    poster.refresh_from_db()
    assert titles(client.get(ACCEPTED).content.decode()) == [poster.code]

    decisions.decline_participation(poster, by=adam)

    assert titles(client.get(ACCEPTED).content.decode()) == []


def test_a_later_rejection_removes_it(client, call, adam, alice):
    poster = submitted(call.event, adam)
    decisions.accept_as_poster(poster, by=alice)
    notify(call.event, [poster], alice, "accept_poster")

    decisions.reject(poster, by=alice)

    assert titles(client.get(ACCEPTED).content.decode()) == []


def test_hidden_event_is_404(client, call, oscar):
    call.event.is_public = False
    call.event.save()
    client.force_login(oscar)

    assert client.get(ACCEPTED).status_code == 404


def test_hostile_text_is_inert(client, call, adam, alice):
    poster = submitted(
        call.event,
        adam,
        title="<script>alert(1)</script> $x$",
        authors=[
            AuthorData(
                "<img src=x onerror=alert(1)>", "adam@imperial.ac.uk", "<b>Uni</b>", "", True
            )
        ],
    )
    decisions.accept_as_poster(poster, by=alice)
    notify(call.event, [poster], alice, "accept_poster")

    html = client.get(ACCEPTED).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("count", [1, 3])
def test_query_count(client, call, adam, alice, count, django_assert_num_queries):
    items = []
    for i in range(count):
        s = submitted(call.event, adam, title=f"Poster {i}")
        decisions.accept_as_poster(s, by=alice)
        items.append(s)
    notify(call.event, items, alice, "accept_poster")

    with django_assert_num_queries(5):
        response = client.get(ACCEPTED)

    assert len(titles(response.content.decode())) == count


def test_menu_marks_only_the_accepted_list_as_current(client, call, adam, alice):
    poster = submitted(call.event, adam, title="Poster on $\\beta$")
    decisions.accept_as_poster(poster, by=alice)
    notify(call.event, [poster], alice, "accept_poster")

    html = client.get(ACCEPTED).content.decode()

    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [ACCEPTED]
