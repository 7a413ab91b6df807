"""Browser journey: register, get waitlisted, someone cancels, promoted, confirm from the link
in the mail, and the organiser checks the person in on a phone."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from symposia.registration import domain
from symposia.registration.enums import Status
from symposia.registration.models import Category, Registration

from .conftest import axe_violations, screenshot

LINK = re.compile(r"https?://[^\s/]+(/mathml2020/registration/r/[^\s/]+/)")


def link_in_mail(to: str, subject_part: str) -> str:
    """The path of the signed link in the latest mail to `to` whose subject has `subject_part`."""
    messages = [m for m in mail.outbox if to in m.to and subject_part in m.subject]
    assert messages, f"no mail to {to} about {subject_part!r}"
    return LINK.search(messages[-1].body).group(1)


@pytest.fixture
def full_event(event):
    domain.configure(
        event, values={"opens_at": timezone.now() - dt.timedelta(days=1), "capacity": 1}
    )
    academic = Category.objects.create(event=event, name="Academic", fee="150", currency="GBP")
    domain.register(
        event,
        details={"name": "Bob Early", "email": "bob@example.org", "category": academic},
    )
    return event


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_waitlist_journey(page, phone_page, live_server, full_event, alice):
    base = f"{live_server.url}/mathml2020/registration/"

    # Zoë finds the event full and joins the waitlist.
    page.goto(base)
    assert page.get_by_text("All places are taken.").is_visible()
    assert axe_violations(page) == []
    page.fill("#id_name", "Zoë Ångström")
    page.fill("#id_email", "zoe@example.org")
    page.fill("#id_affiliation", "Université de Lyon")
    page.fill("#id_country", "France")
    page.get_by_label("Academic (150.00 GBP)").check()
    page.get_by_label("Show my name, affiliation and country").check()
    page.get_by_role("button", name="Join the waitlist").click()
    page.wait_for_url(re.compile(r"/registration/r/"))
    assert "You are number 1 on the waitlist." in page.locator(".reg-card").inner_text()
    screenshot(page, "registration-waitlisted")

    # Bob cancels through the link in his confirmation mail.
    page.goto(live_server.url + link_in_mail("bob@example.org", "confirmed"))
    page.get_by_role("link", name="Cancel registration").click()
    page.get_by_role("button", name="Cancel my registration").click()
    assert page.get_by_text("Your registration is cancelled.").first.is_visible()

    # Zoë is offered the place by mail and confirms it from the link.
    page.goto(live_server.url + link_in_mail("zoe@example.org", "A place is available"))
    assert "A place is available for you." in page.locator(".reg-card").inner_text()
    screenshot(page, "registration-offered")
    page.get_by_role("button", name="Confirm my place").click()
    assert page.get_by_text("Your place is confirmed. See you there!").is_visible()
    zoe = Registration.objects.get(email="zoe@example.org")
    assert zoe.status == Status.CONFIRMED
    screenshot(page, "registration-confirmed")

    # At the venue, the organiser finds her on a phone and ticks her arrival.
    sign_in(phone_page, live_server, alice)
    phone_page.goto(f"{base}manage/checkin/")
    phone_page.fill("#id_q", "zoe angstrom")
    phone_page.get_by_role("button", name="Search").click()
    phone_page.get_by_role("button", name="Mark Zoë Ångström arrived").click()
    assert "Arrived" in phone_page.locator(".reg-checkin-row").first.inner_text()
    zoe.refresh_from_db()
    assert zoe.checked_in_at is not None
    screenshot(phone_page, "registration-checkin-phone")


def test_long_unbroken_input_does_not_widen_pages_on_a_phone(phone_page, live_server, event, alice):
    domain.configure(event, values={"opens_at": timezone.now() - dt.timedelta(days=1)})
    Category.objects.create(
        event=event, name="Doctoral-researchers-and-postdoctoral-fellows", fee="0", currency="GBP"
    )
    formula = '=HYPERLINK("https://example.org/a-very-long-path-without-any-space","x")'
    person = domain.register(
        event,
        details={
            "name": "Wolfeschlegelsteinhausenbergerdorff-Ἀριστοτέλης",
            "email": "long@example.org",
            "affiliation": "Eidgenössische-Technische-Hochschule-Zürich-Informatik",
            "dietary_notes": formula,
            "accessibility": "https://example.org/" + "x" * 200,
            "consent_public_list": True,
        },
    )
    base = f"{live_server.url}/mathml2020/registration/"
    sign_in(phone_page, live_server, alice)

    widths = {}
    for path in (
        "participants/",
        "manage/catering/",
        "manage/categories/",
        f"manage/{person.code}/",
    ):
        phone_page.goto(base + path)
        widths[path] = phone_page.evaluate("document.documentElement.scrollWidth")
    screenshot(phone_page, "registration-detail-long-input-phone")

    assert widths == dict.fromkeys(widths, 390)
