"""The organisers' mail outbox in a real browser."""

from symposia.common.mail import queue_mail

from .conftest import axe_violations, screenshot
from .test_site import sign_in


def test_outbox_fits_a_phone(phone_page, live_server, event, alice):
    # A visually hidden header label in the scrolling table once stretched the page to 931 px.
    for n in range(3):
        queue_mail(
            to=[f"someone.with.a.long.address{n}@example.org"],
            subject=f"Submission ABC{n} received",
            body_text="Thank you.",
            event=event,
            kind="cfp.receipt",
        )
    page = phone_page
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/mathml2020/mail/")

    assert page.locator("table.outbox tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    screenshot(page, "outbox-phone")
