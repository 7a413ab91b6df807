"""Reviewers' and authors' pages for every role: organiser, reviewer, conflicted reviewer,
author and outsider, with the exact visible set asserted."""

import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from symposia.reviews import domain
from symposia.reviews.enums import BidValue, ConflictSource, ReviewState
from symposia.reviews.models import Bid, Comment, Conflict, Review
from tests.reviews.conftest import assign, make_submission


def url(name, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"event": "mathml2020", **kwargs})


def text(response) -> str:
    return html.unescape(response.content.decode())


def listed_codes(response) -> list[str]:
    return sorted(re.findall(r'name="bid-([A-Z0-9]+)"', text(response)))


def review_data(criteria, **extra):
    data = {f"criterion_{c.pk}": "4" for c in criteria}
    data.update(
        {
            "recommendation": "4",
            "confidence": "3",
            "comments_to_authors": "Nice bound $\\|x\\|_2 \\le 1$.",
            "confidential_comments": "Secret remark for the committee.",
            "action": "submit",
        }
    )
    data.update(extra)
    return data


# --- Home --------------------------------------------------------------------------------------


def test_home_per_role(client, subs, alice, rita, cora, adam, oscar, committee):
    assign(subs["B"], committee["rita"])
    assign(subs["B"], committee["cora"])
    client.force_login(rita)
    page = text(client.get(url("home")))
    assert "Bob's gradient flows" in page and "Adam" not in page

    client.force_login(cora)
    page = text(client.get(url("home")))
    assert "Bob's gradient flows" in page
    assert subs["A"].code not in page

    client.force_login(adam)
    page = text(client.get(url("home")))
    assert subs["A"].code in page and subs["B"].code not in page

    client.force_login(alice)
    assert "progress, committee, conflicts and assignment" in text(client.get(url("home")))

    client.force_login(oscar)
    assert client.get(url("home")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, subs):
    for target in (url("home"), url("bids"), url("submission", code=subs["A"].code)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


# --- Bidding list: list, search, filter, sort, counts -----------------------------------------


def test_bid_list_shows_exactly_the_visible_set(client, subs, rita, cora):
    client.force_login(rita)
    response = client.get(url("bids"))
    assert listed_codes(response) == sorted([subs["A"].code, subs["B"].code])
    assert "2 submissions match." in text(response)

    client.force_login(cora)
    response = client.get(url("bids"))
    assert listed_codes(response) == [subs["B"].code]
    assert "1 submission matches." in text(response)


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "transport"}, ["A"]),
        ({"q": "gradient"}, ["B"]),
        ({"q": "Adam Author"}, []),  # double-blind: author names are not searchable
        ({"q": "Imperial"}, []),
        ({"sort": "title"}, ["A", "B"]),
    ],
)
def test_bid_list_search(client, subs, rita, query, expected):
    client.force_login(rita)
    response = client.get(url("bids"), query)
    assert listed_codes(response) == sorted(subs[k].code for k in expected)


def test_conflicted_reviewer_search_finds_nothing_of_the_conflict(client, subs, cora, event):
    client.force_login(cora)
    for q in ("transport", subs["A"].code, "Adam"):
        response = client.get(url("bids"), {"q": q})
        assert listed_codes(response) == []
        assert "0 submissions match." in text(response)


def test_bid_list_filters_by_track(client, subs, rita, cora, event):
    from symposia.cfp.models import Track

    transport = Track.objects.get(event=event, name="Optimal transport")
    client.force_login(rita)
    assert listed_codes(client.get(url("bids"), {"track": transport.pk})) == [subs["A"].code]
    client.force_login(cora)
    assert listed_codes(client.get(url("bids"), {"track": transport.pk})) == []


def test_single_blind_searches_authors(client, subs, rita, config):
    config.double_blind = False
    config.save()
    client.force_login(rita)
    assert listed_codes(client.get(url("bids"), {"q": "Adam Author"})) == [subs["A"].code]


def test_bids_are_saved_and_conflict_bid_hides(client, subs, rita, committee, event):
    client.force_login(rita)
    response = client.post(
        url("bids"),
        {f"bid-{subs['A'].code}": BidValue.EAGER, f"bid-{subs['B'].code}": BidValue.CONFLICT},
    )
    assert response.status_code == 302
    assert dict(Bid.objects.values_list("submission__code", "value")) == {
        subs["A"].code: "eager",
        subs["B"].code: "conflict",
    }
    assert list(
        Conflict.objects.filter(user=rita).values_list("submission__code", "source", "status")
    ) == [(subs["B"].code, ConflictSource.DECLARED_BY_REVIEWER, "confirmed")]
    assert listed_codes(client.get(url("bids"))) == [subs["A"].code]
    assert client.get(url("submission", code=subs["B"].code)).status_code == 404


def test_bid_on_invisible_submission_is_ignored(client, subs, cora):
    client.force_login(cora)
    client.post(url("bids"), {f"bid-{subs['A'].code}": BidValue.EAGER})
    assert Bid.objects.count() == 0


def test_outsider_and_author_cannot_bid(client, subs, oscar, adam):
    for user in (oscar, adam):
        client.force_login(user)
        assert client.get(url("bids")).status_code == 404
        assert client.get(url("profile")).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_bid_list_query_count(
    client, event, call, config, committee, rita, bob, n, django_assert_num_queries
):
    for i in range(n):
        make_submission(event, bob, title=f"Poster {i}")
    client.force_login(rita)
    client.get(url("bids"))  # warm caches (content types, session)
    with django_assert_num_queries(11):
        response = client.get(url("bids"))
    assert len(listed_codes(response)) == n


@pytest.mark.parametrize("n", [1, 3])
def test_home_query_count(
    client, event, call, config, committee, rita, bob, n, django_assert_num_queries
):
    for i in range(n):
        assign(make_submission(event, bob, title=f"Poster {i}"), committee["rita"])
    client.force_login(rita)
    client.get(url("home"))
    with django_assert_num_queries(11):
        response = client.get(url("home"))
    assert text(response).count("Poster ") == n


# --- Submission page, PDF ----------------------------------------------------------------------


def test_submission_page_per_role(client, subs, alice, rita, cora, adam, bob, oscar):
    code = subs["A"].code
    client.force_login(alice)
    page = text(client.get(url("submission", code=code)))
    assert "Adam Author" in page and "Imperial College London" in page

    client.force_login(rita)
    page = text(client.get(url("submission", code=code)))
    assert "<math" in page  # the title's maths
    assert "Adam Author" not in page and "Imperial" not in page
    assert "Hidden: this event reviews double-blind." in page

    client.force_login(adam)
    page = text(client.get(url("submission", code=code)))
    assert "Adam Author" in page and "Declare conflicts of interest" in page

    for user in (cora, bob, oscar):
        client.force_login(user)
        assert client.get(url("submission", code=code)).status_code == 404


def test_conflicted_is_indistinguishable_from_missing(client, subs, cora):
    client.force_login(cora)
    real = client.get(url("submission", code=subs["A"].code))
    fake = client.get(url("submission", code="ZZZZZZZZ"))
    assert real.status_code == fake.status_code == 404
    assert real.content == fake.content
    for name in ("pdf", "review"):
        assert client.get(url(name, code=subs["A"].code)).status_code == 404
    assert client.post(url("comment", code=subs["A"].code), {"text": "x"}).status_code == 404
    assert client.post(url("bid", code=subs["A"].code), {"bid": "eager"}).status_code == 404


def test_pdf_per_role(client, subs, alice, rita, cora, adam, oscar):
    code = subs["A"].code
    client.force_login(rita)
    response = client.get(url("pdf", code=code))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"] == "application/pdf"
    assert b"Adam Author" not in data and b"Secret title" not in data
    assert PdfReader(io.BytesIO(data)).metadata is None

    for user in (alice, adam):
        client.force_login(user)
        response = client.get(url("pdf", code=code))
        assert b"Adam Author" in b"".join(response.streaming_content)

    for user in (cora, oscar):
        client.force_login(user)
        assert client.get(url("pdf", code=code)).status_code == 404


# --- Reviews and discussion --------------------------------------------------------------------


def test_only_assigned_reviewer_gets_the_form(client, subs, rita, committee, criteria):
    client.force_login(rita)
    assert client.get(url("review", code=subs["B"].code)).status_code == 404
    assign(subs["B"], committee["rita"])
    page = text(client.get(url("review", code=subs["B"].code)))
    assert "Originality" in page and "1: poor" in page and "Save draft" in page


def test_draft_then_submit_keeps_versions(client, subs, rita, committee, criteria):
    assign(subs["B"], committee["rita"])
    client.force_login(rita)
    response = client.post(
        url("review", code=subs["B"].code),
        {"comments_to_authors": "First thoughts.", "action": "draft"},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.state == ReviewState.DRAFT

    response = client.post(url("review", code=subs["B"].code), review_data(criteria))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert review.weighted_score == 0.75
    assert [v.data["comments_to_authors"] for v in review.versions.order_by("number")] == [
        "First thoughts.",
        "Nice bound $\\|x\\|_2 \\le 1$.",
    ]


def test_incomplete_submit_keeps_text_and_marks_fields(client, subs, rita, committee, criteria):
    assign(subs["B"], committee["rita"])
    client.force_login(rita)
    response = client.post(
        url("review", code=subs["B"].code),
        {"comments_to_authors": "Keep me", "action": "submit"},
    )
    page = text(response)
    assert response.status_code == 400
    assert "Keep me" in page and "Choose a score to submit the review." in page
    assert Review.objects.count() == 0


def test_other_reviews_and_discussion_after_own_review(
    client, subs, rita, cora, alice, adam, committee, criteria
):
    assign(subs["B"], committee["rita"])
    assign(subs["B"], committee["cora"])
    domain.save_review(
        subs["B"],
        reviewer=committee["cora"],
        data=domain.ReviewData(
            scores={c.pk: 2 for c in criteria},
            recommendation=2,
            confidence=2,
            comments_to_authors="Cora's comment",
            confidential_comments="Cora's secret",
        ),
        submit=True,
    )
    client.force_login(rita)
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "Cora's comment" not in page and "Discussion" not in page
    assert client.post(url("comment", code=subs["B"].code), {"text": "hi"}).status_code == 404

    client.post(url("review", code=subs["B"].code), review_data(criteria))
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "Cora's comment" in page and "Cora's secret" in page

    client.post(url("comment", code=subs["B"].code), {"text": "Agree on $x^2$."})
    assert list(Comment.objects.values_list("text", flat=True)) == ["Agree on $x^2$."]
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "<math" in page and "Discussion" in page

    client.force_login(alice)
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "Cora's secret" in page and "Agree on" in page


def test_author_sees_released_comments_only(client, subs, bob, config, committee, criteria):
    assign(subs["B"], committee["rita"])
    domain.save_review(
        subs["B"],
        reviewer=committee["rita"],
        data=domain.ReviewData(
            scores={c.pk: 5 for c in criteria},
            recommendation=5,
            confidence=4,
            comments_to_authors="For the authors",
            confidential_comments="Not for the authors",
        ),
        submit=True,
    )
    Comment.objects.create(submission=subs["B"], author=None, text="Committee talk")
    client.force_login(bob)
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "For the authors" not in page and "Committee talk" not in page

    config.reviews_released_to_authors = True
    config.save()
    page = text(client.get(url("submission", code=subs["B"].code)))
    assert "For the authors" in page
    assert "Not for the authors" not in page
    assert "Rita" not in page and "Committee talk" not in page
    assert client.post(url("comment", code=subs["B"].code), {"text": "x"}).status_code == 404


# --- Authors' conflicts ------------------------------------------------------------------------


def test_author_declares_conflicts_with_names_only(client, subs, adam, rita, cora, committee):
    client.force_login(adam)
    page = text(client.get(url("author_conflicts", code=subs["A"].code)))
    assert "Rita Reviewer" in page and "Cora Conflicted" in page
    assert "rita@ox.ac.uk" not in page and "cora@warwick" not in page

    client.post(
        url("author_conflicts", code=subs["A"].code),
        {"reviewers": [committee["rita"].pk]},
    )
    assert sorted(
        Conflict.objects.filter(submission=subs["A"], source="declared_by_author").values_list(
            "user__email", flat=True
        )
    ) == ["rita@ox.ac.uk"]


def test_author_conflict_page_refused_to_others(client, subs, rita, bob, oscar, alice):
    for user in (rita, bob, oscar, alice):
        client.force_login(user)
        assert client.get(url("author_conflicts", code=subs["A"].code)).status_code == 404


def test_organiser_on_the_committee_reviews_too(client, subs, alice, event, criteria):
    from symposia.reviews.models import Reviewer

    member = Reviewer.objects.create(event=event, user=alice)
    assign(subs["B"], member)
    client.force_login(alice)
    assert "Write your review" in text(client.get(url("submission", code=subs["B"].code)))
    response = client.post(url("review", code=subs["B"].code), review_data(criteria))
    assert response.status_code == 302
    assert Review.objects.get().reviewer == member


def test_changing_page_keeps_the_bids_chosen(client, event, call, config, committee, rita, bob):
    """The pager saves the rows shown before it moves: a reviewer who picks bids and then
    presses Next loses nothing."""
    from symposia.reviews.views.reviewer import PAGE_SIZE

    for i in range(PAGE_SIZE + 1):
        make_submission(event, bob, title=f"Poster {i:03}")
    client.force_login(rita)
    first = listed_codes(client.get(url("bids") + "?sort=title"))
    assert len(first) == PAGE_SIZE
    page = text(client.get(url("bids") + "?sort=title"))
    assert 'name="goto" value="2"' in page

    response = client.post(
        url("bids") + "?sort=title", {f"bid-{first[0]}": BidValue.EAGER, "goto": "2"}
    )

    assert response["Location"] == url("bids") + "?sort=title&page=2"
    assert dict(Bid.objects.values_list("submission__code", "value")) == {first[0]: "eager"}
    assert len(listed_codes(client.get(response["Location"]))) == 1


def test_no_image_of_another_participant_is_loaded(client, subs, rita, committee, criteria):
    """An image in an abstract, a review or the discussion would be fetched by each reader's
    browser and tell its author who read it: double-blind reviewing forbids that."""
    submission = subs["B"]
    submission.abstract = "Abstract ![x](https://authors.example/pixel.png)"
    submission.save(update_fields=["abstract"])
    assign(submission, committee["rita"])
    client.force_login(rita)
    client.post(
        url("review", code=submission.code),
        review_data(criteria, comments_to_authors='<img src="https://reviewer.example/p.gif">'),
    )
    client.post(url("comment", code=submission.code), {"text": "![y](https://r.example/q.png)"})

    for name in ("submission", "bids"):
        page = text(client.get(url(name, **({"code": submission.code} if name != "bids" else {}))))
        assert "<img" not in page


def test_call_page_links_the_released_comments(client, subs, bob, config, committee, criteria):
    """The decision mail points authors to the call's page of their submission: once the
    reviews are released, it leads them to the comments."""
    assign(subs["B"], committee["rita"])
    domain.save_review(
        subs["B"],
        reviewer=committee["rita"],
        data=domain.ReviewData(
            scores={c.pk: 5 for c in criteria},
            recommendation=5,
            confidence=4,
            comments_to_authors="For the authors",
        ),
        submit=True,
    )
    detail = reverse("cfp:detail", kwargs={"event": "mathml2020", "code": subs["B"].code})
    client.force_login(bob)
    assert "reviewers' comments" not in text(client.get(detail))

    config.reviews_released_to_authors = True
    config.save()

    link = url("submission", code=subs["B"].code) + "#reviews-title"
    assert f'href="{link}">Read the reviewers\' comments (1)</a>' in text(client.get(detail))
