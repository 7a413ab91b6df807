"""The account journey in a browser: sign up, confirm the address from the mail, log in, edit
the profile (an ORCID iD with a typing error first)."""

import re

from django.core import mail

from symposia.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import axe_violations, screenshot


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_sign_up_confirm_log_in_and_edit_profile(page, live_server, db):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/accounts/signup/")
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill("nora@uni-bonn.de")
    page.get_by_label("Name").fill("Nora Neumann")
    page.get_by_label("Affiliation").fill("Universität Bonn")
    page.get_by_label("Country").fill("Germany")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    screenshot(page, "accounts-signup")
    page.get_by_role("button", name="Create account").click()

    assert page.locator("h1").inner_text() == "Check your mail"
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/verify/\S+", message.body).group(0)

    page.goto(live_server.url + _path(link))
    page.get_by_role("button", name="Confirm my address").click()

    assert page.locator("h1").inner_text() == "Log in"
    assert page.get_by_label("Email address").input_value() == "nora@uni-bonn.de"
    assert User.objects.get(email="nora@uni-bonn.de").email_verified is True
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.locator("h1").inner_text() == "Your profile"
    orcid = page.get_by_label("ORCID iD")
    orcid.fill("0000-0002-1825-0098")
    page.get_by_role("button", name="Save profile").click()

    error = page.locator("#id_orcid_error")
    assert "typing error" in error.inner_text()
    assert page.get_by_label("ORCID iD").get_attribute("aria-invalid") == "true"
    screenshot(page, "accounts-profile-error")
    page.get_by_label("ORCID iD").fill("https://orcid.org/0000-0002-1825-0097")
    page.get_by_role("button", name="Save profile").click()

    assert "Your profile has been saved." in page.locator(".messages").inner_text()
    assert page.get_by_label("ORCID iD").input_value() == "0000-0002-1825-0097"
    assert axe_violations(page) == []
    screenshot(page, "accounts-profile")


def test_unverified_banner_and_login_page_are_accessible(page, live_server, db):
    User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD, name="Nora")
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill("nora@uni-bonn.de")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/accounts/profile/")
    banner = page.get_by_role("complementary", name="Email address not confirmed")
    assert "Please confirm your email address" in banner.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "accounts-unverified-banner")


def test_plain_form_buttons_look_like_buttons(page, live_server, db):
    # Forms outside the call's pages once showed the browser's grey default button.
    User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD, name="Nora")
    page.goto(f"{live_server.url}/accounts/login/")
    log_in = page.get_by_role("button", name="Log in")
    assert log_in.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    page.get_by_label("Email address").fill("nora@uni-bonn.de")
    page.get_by_label("Password").fill(PASSWORD)
    log_in.click()

    page.goto(f"{live_server.url}/")
    banner = page.get_by_role("complementary", name="Email address not confirmed")
    resend = banner.get_by_role("button", name="Send a new link")
    assert resend.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    assert banner.locator(".banner").bounding_box()["x"] >= 0
