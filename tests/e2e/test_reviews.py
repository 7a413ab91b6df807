"""Browser journey of peer review: the organiser invites a reviewer (mail in the outbox),
the reviewer accepts, describes their expertise and bids, the organiser runs the assignment,
and the reviewer writes a review with maths. A screenshot of every step."""

import re

from django.core import mail
from django.test import Client

from symposia.cfp.demo import showcase as cfp_showcase
from symposia.reviews import domain
from symposia.reviews.demo import showcase as reviews_showcase
from symposia.reviews.models import Assignment, Invitation, Review
from tests.reviews.conftest import make_submission

from .conftest import axe_violations, screenshot


def sign_in(page, live_server, user):
    """Reuse a session made by Django's test client (the sign-in pages are tested apart)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_invite_accept_bid_assign_review(page, browser, live_server, event, alice, rita, adam):
    cfp_showcase(event, log=lambda _: None)
    reviews_showcase(event, log=lambda _: None)
    config = domain.get_settings(event)
    config.reviewers_per_submission = 1
    config.max_load = 3
    config.save()
    titles = [
        "Wasserstein gradient flows for $\\rho_t$",
        "Sparse recovery with $\\ell_1$ penalties",
        "Learned regularisers for inverse problems",
    ]
    for title in titles:
        make_submission(
            event, adam, title=title, abstract=f"We study {title.lower()}.", track="Optimisation"
        )
    base = f"{live_server.url}/mathml2020/reviews"

    # The organiser invites Rita.
    sign_in(page, live_server, alice)
    page.goto(f"{base}/manage/committee/")
    page.fill("#id_people", "rita@ox.ac.uk, Rita Reviewer")
    screenshot(page, "reviews-1-invite")
    page.click("text=Send invitations")
    page.wait_for_selector("text=1 invitation sent.")
    assert Invitation.objects.get().email == "rita@ox.ac.uk"
    body = next(m.body for m in mail.outbox if m.to == ["rita@ox.ac.uk"])
    link = re.search(r"http://\S+/reviews/invitation/\S+/", body).group(0)

    # Rita accepts in her own browser, then gives her expertise and bids.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = context.new_page()
    reviewer.set_default_timeout(15_000)
    sign_in(reviewer, live_server, rita)
    reviewer.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert "Invitation to the programme committee" in reviewer.locator("h1").inner_text()
    screenshot(reviewer, "reviews-2-invitation")
    reviewer.click("button[value=accept]")
    reviewer.wait_for_selector("h1:has-text('Your expertise')")
    reviewer.fill("#id_keywords", "optimal transport, Wasserstein gradient flows")
    reviewer.fill("#id_pasted", "Gradient flows in Wasserstein space\nWe study JKO schemes.")
    reviewer.click("button:has-text('Save')")
    reviewer.wait_for_selector("text=1 paper read.")
    screenshot(reviewer, "reviews-3-profile")

    reviewer.goto(f"{base}/bids/")
    assert reviewer.locator("#match-count").inner_text() == "3 submissions match."
    first_code = reviewer.locator("td code").first.inner_text()
    reviewer.select_option(f"#bid-{first_code}", "eager")
    assert axe_violations(reviewer) == []
    screenshot(reviewer, "reviews-4-bids")
    reviewer.click("text=Save bids")
    reviewer.wait_for_selector("text=1 bid saved.")

    # The organiser runs the assignment.
    page.goto(f"{base}/manage/assignment/")
    page.fill("#id_k", "1")
    page.fill("#id_max_load", "3")
    page.click("text=Run the assignment")
    page.wait_for_selector("#run-status:has-text('Done')")
    assert "Total affinity" in page.inner_text("main")
    screenshot(page, "reviews-5-assignment")
    assert Assignment.objects.count() == 3

    # Rita writes a review with maths.
    reviewer.goto(f"{base}/")
    reviewer.click("a:has-text('Wasserstein gradient flows')")
    reviewer.click("text=Write your review")
    for label in ("Originality", "Clarity", "Relevance"):
        reviewer.get_by_role("group", name=label).locator("input[value='4']").check()
    reviewer.get_by_role("group", name="Overall recommendation").locator("input[value='4']").check()
    reviewer.get_by_role("group", name="Confidence").locator("input[value='3']").check()
    reviewer.fill(
        "#id_comments_to_authors",
        "The flow $\\partial_t \\rho = \\nabla\\cdot(\\rho\\nabla V)$ is well motivated.",
    )
    assert axe_violations(reviewer) == []
    screenshot(reviewer, "reviews-6-review-form")
    reviewer.click("button[value=submit]")
    reviewer.wait_for_selector("text=Review submitted.")
    assert reviewer.locator(".reviews-review math").count() == 1
    screenshot(reviewer, "reviews-7-submitted")
    review = Review.objects.get()
    assert (review.state, review.reviewer.user, review.versions.count()) == ("submitted", rita, 1)
    context.close()
