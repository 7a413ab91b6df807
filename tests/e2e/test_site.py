"""The public site and the page editor in a real browser (Debian's chromium, headless)."""

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from symposia.events.importing import import_site
from symposia.events.models import Event

from .conftest import axe_violations, screenshot

SEED = Path(__file__).resolve().parents[2] / "examples" / "mathml2020"


@pytest.fixture
def seed_event(event):
    """The MathML 2020 workshop imported from examples/, with its dates and venue."""
    import_site(SEED, slug="mathml2020")
    event.refresh_from_db()
    event.start_date, event.end_date = dt.date(2020, 9, 14), dt.date(2020, 9, 16)
    event.venue = event.venue or "University of Bath, UK"
    event.save()
    return event


def sign_in(page, live_server, user) -> None:
    """Give the browser a session for `user`, made by Django's test client."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_home_page_on_a_desktop(page, live_server, seed_event):
    page.goto(f"{live_server.url}/mathml2020/")

    headings = page.locator("article h1").all_inner_texts()
    assert headings[:3] == ["Scope", "Invited Participants", "Organisers"]
    assert page.locator(".masthead__title").inner_text() == "Mathematics of Machine Learning 2020"
    assert page.locator(".masthead__dates").inner_text() == "14–16 September 2020"
    participants = page.locator("article h1:has-text('Invited Participants') + ul > li")
    assert participants.count() == 16
    assert participants.nth(5).inner_text() == "Weinan E, Princeton University, USA"
    assert "Powered by Symposia" in page.locator("footer").inner_text()
    # The stylesheets loaded: the masthead has the event's colour, the text its serif face.
    masthead = page.locator(".masthead").evaluate("e => getComputedStyle(e).backgroundImage")
    assert "linear-gradient" in masthead
    assert "rgb(29, 63, 114)" in masthead
    screenshot(page, "site-home-desktop")


def test_home_page_on_a_phone(phone_page, live_server, seed_event):
    page = phone_page
    page.goto(f"{live_server.url}/mathml2020/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    menu = page.locator(".event-nav__toggle")
    assert page.locator(".event-nav__list").is_hidden()
    menu.locator("summary").click()
    assert page.locator(".event-nav__list a").all_inner_texts() == ["Home"]
    screenshot(page, "site-home-phone")


WIDE_PAGE = r"""
## Schedule

| Time | Monday | Tuesday | Wednesday | Thursday |
|------|--------|---------|-----------|----------|
| 09:00 | Registration and coffee | Talk: Weinan E | Talk: Anders Hansen | Posters |

$$\int_{\mathbb{R}^d} \left| \hat{f}(\xi) \right| |\xi| \, d\xi < \infty
\quad\text{and}\quad \sum_{n=1}^\infty \frac{1}{n^2} = \frac{\pi^2}{6}
\quad\text{and}\quad \prod_{p} \frac{1}{1-p^{-s}} = \zeta(s)$$
"""


def test_wide_tables_and_formulas_scroll_on_their_own_on_a_phone(
    phone_page, live_server, seed_event
):
    seed_event.pages.create(slug="programme-info", title="Programme", body=WIDE_PAGE)
    page = phone_page
    page.goto(f"{live_server.url}/mathml2020/programme-info/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    formula = page.locator(".math.block, .math.display")
    assert formula.evaluate("e => e.scrollWidth > e.clientWidth")
    # site.js lets keyboard users reach the scrolling areas.
    assert formula.get_attribute("tabindex") == "0"
    assert axe_violations(page) == []
    screenshot(page, "site-wide-content-phone")


def test_keyboard_user_sees_the_skip_link_and_focus(page, live_server, seed_event):
    page.goto(f"{live_server.url}/mathml2020/")

    page.keyboard.press("Tab")

    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused_outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' '"
        " + getComputedStyle(document.activeElement).outlineWidth"
    )
    assert focused_outline == "solid 3px"


@pytest.mark.parametrize("url", ["/mathml2020/", "/"])
def test_no_serious_accessibility_violations(page, live_server, seed_event, url):
    page.goto(f"{live_server.url}{url}")

    violations = axe_violations(page)

    assert [(v["id"], v["impact"], v["help"]) for v in violations] == []


def test_event_list(page, live_server, seed_event):
    Event.objects.create(
        slug="mathml2026",
        title="Mathematics of Machine Learning 2026",
        start_date=dt.date.today() + dt.timedelta(days=60),
        venue="University of Bath, UK",
    )

    page.goto(f"{live_server.url}/")

    assert page.locator(".event-card__title").all_inner_texts() == [
        "Mathematics of Machine Learning 2026"
    ]
    assert page.locator(".past-events a").all_inner_texts() == [
        "Mathematics of Machine Learning 2020"
    ]
    screenshot(page, "site-event-list")
    page.locator(".past-events a").click()
    assert page.url == f"{live_server.url}/mathml2020/"


def test_organiser_edits_the_home_page_with_live_preview(page, live_server, seed_event, alice):
    sign_in(page, live_server, alice)
    page.goto(f"{live_server.url}/mathml2020/")
    page.get_by_role("link", name="Edit this page").click()
    assert page.locator("h1").first.inner_text() == "Edit “Home page”"

    textarea = page.get_by_label("Text")
    textarea.press("Control+End")
    textarea.press_sequentially(
        "\n\n# Key result\n\n$$\\sum_{n=1}^\\infty \\frac{1}{n^2} = \\frac{\\pi^2}{6}$$\n"
    )

    preview = page.locator("#preview")
    preview.locator("h1", has_text="Key result").wait_for()
    assert preview.locator("math[display=block]").count() == 1
    assert "∑" in preview.locator("math[display=block]").text_content()
    preview.locator("math[display=block]").scroll_into_view_if_needed()
    screenshot(page, "site-editor")
    page.get_by_role("button", name="Save page").click()
    assert page.locator(".message--success").inner_text() == "Saved “Home page”."

    page.goto(f"{live_server.url}/mathml2020/")
    assert page.locator("article h1").all_inner_texts()[-1] == "Key result"
    assert page.locator("article math[display=block]").count() == 1


def test_editor_works_without_javascript(browser, live_server, seed_event, alice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, alice)
    home = seed_event.pages.get(slug="index")
    page.goto(f"{live_server.url}/mathml2020/manage/pages/{home.pk}/")

    page.get_by_label("Text").fill("Inline $a^2+b^2=c^2$ only.")
    page.get_by_role("button", name="Preview").click()

    assert page.locator("#preview math").count() == 1
    assert page.get_by_label("Text").input_value() == "Inline $a^2+b^2=c^2$ only."
    page.get_by_role("button", name="Save page").click()
    page.goto(f"{live_server.url}/mathml2020/")
    assert page.locator("article p").first.inner_text().startswith("Inline")
    assert page.locator("article math").count() == 1
    context.close()
