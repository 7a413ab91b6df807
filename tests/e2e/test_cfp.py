"""Browser journey of an author: sign up and confirm the address through the outbox, open the
call, write a poster with maths and a PDF, submit, edit, read the history and the receipt,
withdraw. A screenshot of every step."""

import re
from pathlib import Path

from django.core import mail
from django.test import Client

from symposia.accounts.models import User
from symposia.cfp.demo import showcase
from symposia.cfp.models import Submission
from symposia.common.models import OutboxMessage
from tests.cfp.conftest import pdf_bytes
from tests.conftest import PASSWORD

from .conftest import axe_violations, screenshot

ABSTRACT = "We estimate $\\int_0^1 f(x)\\,dx$ by quasi-Monte Carlo with error $O(n^{-1})$."


def sign_in(page, live_server, user):
    """Reuse a session made by Django's test client (the sign-up pages are tested apart)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def sign_up_through_the_outbox(page, live_server, email: str, name: str) -> None:
    """Create an account from the call page, confirm it with the mailed link, log in."""
    page.goto(f"{live_server.url}/mathml2020/cfp/")
    page.click("text=create an account")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Affiliation").fill("Universität Bonn")
    page.get_by_label("Country").fill("Germany")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    screenshot(page, "cfp-0-signup")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("h1").inner_text() == "Check your mail"

    message = OutboxMessage.objects.get(to=[email], kind__startswith="accounts")
    link = re.search(r"https?://\S+/accounts/verify/\S+", message.body_text).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm my address").click()
    assert page.locator("h1").inner_text() == "Log in"
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    assert User.objects.get(email=email).email_verified is True


def test_author_submits_edits_and_withdraws_a_poster(page, live_server, event):
    showcase(event, log=lambda _: None)
    sign_up_through_the_outbox(page, live_server, "nora@uni-bonn.de", "Nora Neumann")
    mail.outbox.clear()

    page.goto(f"{live_server.url}/mathml2020/cfp/")
    assert page.locator("h1").inner_text() == "Call for contributions"
    page.wait_for_selector(".cfp-localtime:not([hidden])")
    assert "your time" in page.locator(".cfp-localtime").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "cfp-1-call")

    page.click("text=Start a submission")
    page.fill("#id_title", "Quasi-Monte Carlo for $\\int_0^1 f$")
    page.select_option("#id_contribution_type", label="Poster")
    page.select_option("#id_track", label="Numerical analysis")
    page.fill("#id_abstract", ABSTRACT)
    page.fill("#id_keywords", "quasi-Monte Carlo, integration")
    page.fill("#id_authors-1-name", "Ольга Смирнова")
    page.fill("#id_authors-1-email", "olga@example.org")
    page.fill("#id_authors-1-affiliation", "Moscow State University")
    page.set_input_files(
        "#id_pdf",
        files=[{"name": "poster.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}],
    )
    page.wait_for_selector("#abstract-preview math")
    assert "words of 300" in page.locator(".cfp-counter").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "cfp-2-form")

    page.click("button[value=submit]")
    page.wait_for_selector("h1:has-text('Receipt')")
    submission = Submission.objects.get()
    version = submission.versions.get()
    receipt_text = page.locator(".cfp-receipt-data").inner_text()
    assert submission.code in receipt_text
    assert version.abstract_sha256 in receipt_text
    assert submission.pdf.sha256 in receipt_text
    screenshot(page, "cfp-3-receipt")
    assert {m.to[0] for m in mail.outbox} == {"nora@uni-bonn.de", "olga@example.org"}

    page.click("text=Back to the submission")
    page.click("a:has-text('Edit')")
    page.fill("#id_title", "Quasi-Monte Carlo for smooth integrands")
    screenshot(page, "cfp-4-edit")
    page.click("button[value=submit]")
    page.wait_for_selector("dd:has-text('2')")

    page.click("text=Back to the submission")
    history = page.locator(".cfp-history").inner_text()
    assert "Version 2" in history and "Title changed" in history
    assert page.locator(".cfp-abstract math").count() == 2
    assert axe_violations(page) == []
    screenshot(page, "cfp-5-history")

    page.click("a:has-text('Withdraw')")
    screenshot(page, "cfp-6-withdraw-confirm")
    page.click("button:has-text('Withdraw submission')")
    page.wait_for_selector(".badge.state-withdrawn")
    screenshot(page, "cfp-7-withdrawn")
    submission.refresh_from_db()
    assert submission.state == "withdrawn"
    assert [v.number for v in submission.versions.all()] == [1, 2]


def test_autosave_and_local_backup_keep_the_text(page, live_server, event, adam):
    showcase(event, log=lambda _: None)
    sign_in(page, live_server, adam)
    page.goto(f"{live_server.url}/mathml2020/cfp/submit/")

    page.fill("#id_title", "Autosaved title")
    page.fill("#id_abstract", "Typed but not yet saved")
    page.wait_for_selector("#autosave-status:has-text('Draft saved')", timeout=15_000)
    draft = Submission.objects.get()
    assert draft.state == "draft" and draft.title == "Autosaved title"
    assert re.search(rf"/cfp/submissions/{draft.code}/edit/$", page.url)

    page.context.clear_cookies()  # the session expires while the author writes
    page.fill("#id_abstract", "Written after the session expired")
    sign_in(page, live_server, adam)
    page.goto(f"{live_server.url}/mathml2020/cfp/submissions/{draft.code}/edit/")

    page.wait_for_selector("#cfp-restore:not([hidden])")
    assert page.input_value("#id_abstract") == "Written after the session expired"
    screenshot(page, "cfp-8-restored")


def test_organiser_sees_and_exports_the_submissions(page, live_server, event, alice):
    import random

    from symposia.cfp.demo import fill

    fill(event, rng=random.Random(3), options={"submissions": 12}, log=lambda _: None)
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/mathml2020/cfp/manage/")
    assert page.locator(".cfp-chart-svg rect").count() >= 1
    screenshot(page, "cfp-9-dashboard")
    page.click(".cfp-manage-nav >> text=Submissions")
    assert "12 submissions match" in page.locator("main").inner_text()
    screenshot(page, "cfp-10-list")

    with page.expect_download() as download:
        page.click("text=XLSX")
    assert download.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as download:
        page.click("a:has-text('CSV')")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 13


def test_submission_form_fits_a_phone(phone_page, live_server, event, adam):
    # A fieldset is as wide as its content by default: the author table once pushed the page
    # to 656 px on a 390 px phone, with name and email boxes 50 px wide.
    showcase(event, log=lambda _: None)
    page = phone_page
    sign_in(page, live_server, adam)

    page.goto(f"{live_server.url}/mathml2020/cfp/submit/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#id_authors-0-email").bounding_box()["width"] > 250
    assert page.get_by_text("Email of author 1").is_visible()
    page.get_by_label("Name of author 2").fill("Ольга Смирнова")
    assert axe_violations(page) == []
    screenshot(page, "cfp-form-phone")
