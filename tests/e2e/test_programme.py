"""Browser journey of the programme: an organiser builds a day with the forms and one drag and
drop, publishes it; a visitor reads an abstract, switches time zones and downloads the
calendar. Screenshots of the programme on desktop and phone; axe-core on the public pages."""

import uuid
from pathlib import Path

from django.test import Client
from icalendar import Calendar

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission, SubmissionAuthor
from symposia.events.models import Page
from symposia.schedule.models import Item, Publication, Session

from .conftest import axe_violations, screenshot

SEED = Path(__file__).resolve().parents[2] / "examples" / "mathml2020" / "index.md"


def sign_in(page, live_server, user):
    """Reuse a session made by Django's test client (log-in is tested apart)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def accepted_talk(event, adam):
    submission = Submission.objects.create(
        event=event,
        owner=adam,
        title="Convergence of SGD with step $\\eta_k = c/\\sqrt{k}$",
        abstract="We prove $\\mathbb{E} f(x_k) - f^\\star = O(k^{-1/2})$ for convex $f$.",
        state=SubmissionState.ACCEPTED_TALK,
        idempotency_key=uuid.uuid4(),
    )
    SubmissionAuthor.objects.create(
        submission=submission,
        name=adam.name,
        email=adam.email,
        affiliation="Imperial College London",
        country="UK",
        is_presenting=True,
        user=adam,
    )
    return submission


def test_organiser_builds_and_publishes_a_day_visitor_reads_it(
    page, phone_page, live_server, event, alice, adam
):
    Page.objects.create(event=event, slug="index", body=SEED.read_text(encoding="utf-8"))
    talk = accepted_talk(event, adam)
    sign_in(page, live_server, alice)
    base = f"{live_server.url}/mathml2020/programme"

    # People from the seed page, then a room.
    page.goto(f"{base}/manage/people/")
    page.click("text=Import people from pages")
    page.wait_for_selector("text=20 people added")
    page.goto(f"{base}/manage/rooms/")
    page.fill("#id_name", "Lecture theatre")
    page.fill("#id_capacity", "150")
    page.click("button:has-text('Add')")
    page.wait_for_selector("td a:has-text('Lecture theatre')")

    # A session with a chair, through the form.
    page.goto(f"{base}/manage/sessions/new/")
    page.fill("#id_title", "Optimisation and learning")
    page.fill("#id_start", "2020-09-07T09:00")
    page.fill("#id_end", "2020-09-07T10:30")
    page.select_option("#id_room", label="Lecture theatre")
    page.select_option("#id_chair", label="Clarice Poon")
    page.click("button:has-text('Create the session')")
    page.wait_for_selector("text=Session “Optimisation and learning” created.")

    # An invited talk, placed with the item's form.
    page.goto(f"{base}/manage/items/new/")
    page.fill("#id_title", "Understanding interpolation")
    page.fill("#id_abstract", "Why models with $p \\gg n$ parameters generalise: *double descent*.")
    page.select_option("#id_speakers", label="Stephane Chretien")
    page.click("button:has-text('Create')")
    page.select_option("#id_session", index=1)
    page.fill("#id_start", "2020-09-07T09:00")
    page.click("button:has-text('Place')")
    page.wait_for_selector("text=“Understanding interpolation” placed.")

    # The accepted contribution, dragged from the list onto the session in the grid.
    page.goto(f"{base}/manage/?day=2020-09-07")
    assert "is not in the timetable" in page.locator(".ed-warnings").inner_text()
    session = page.locator(".ed-session").first
    box = session.bounding_box()
    page.drag_and_drop(
        f"[data-submission='{talk.code}']",
        ".ed-session",
        target_position={"x": box["width"] / 2, "y": box["height"] * 0.6},
    )
    page.wait_for_selector(".ed-item:has-text('Convergence of SGD')")
    item = Item.objects.get(submission=talk)
    morning = Session.objects.get()
    assert item.session == morning
    assert morning.start < item.start and item.end <= morning.end
    assert "No clashes" in page.locator(".ed-warnings").inner_text()
    screenshot(page, "programme-1-editor")

    page.click("button:has-text('Publish the programme')")
    page.wait_for_selector("text=Programme published (version 1).")
    assert Publication.objects.get(event=event).is_public

    # A visitor, on a computer and on a phone.
    visitor = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900},
        timezone_id="America/New_York",
        accept_downloads=True,
    ).new_page()
    visitor.goto(f"{base}/")
    assert "BST (Europe/London)" in visitor.locator(".sch-zone").inner_text()
    details = visitor.locator("details.sch-abstract", has_text="Understanding interpolation")
    assert details.get_attribute("open") is None
    details.locator("summary").click()
    assert details.get_attribute("open") == ""
    assert details.locator(".sch-abstract-text math").count() == 1
    assert "double descent" in details.locator(".sch-abstract-text").inner_text()
    assert axe_violations(visitor) == []
    screenshot(visitor, "programme-2-desktop")

    first_time = visitor.locator(".sch-item time").first
    assert first_time.inner_text() == "09:00"
    visitor.click("button:has-text('Show times in my time zone')")
    assert first_time.inner_text() == "04:00"  # 09:00 BST is 04:00 EDT
    assert "America/New_York" in visitor.locator(".sch-zone-name").inner_text()
    visitor.click("button:has-text('Show times in my time zone')")
    assert first_time.inner_text() == "09:00"

    with visitor.expect_download() as download:
        visitor.click("text=Whole programme (.ics)")
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert [str(e["SUMMARY"]) for e in events][0] == "Understanding interpolation"
    assert events[0].decoded("DTSTART").strftime("%Y-%m-%d %H:%M %Z") == "2020-09-07 09:00 BST"
    visitor.context.close()

    phone_page.goto(f"{base}/")
    phone_page.locator("details.sch-abstract summary").first.click()
    assert axe_violations(phone_page) == []
    screenshot(phone_page, "programme-3-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
