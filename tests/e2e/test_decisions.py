"""Browser journey of decisions: the organiser accepts one contribution as a poster and rejects
another in bulk, previews and sends the notifications; the author reads the decision and
confirms participation; the public list shows the accepted poster with its maths."""

from django.core import mail

from symposia.cfp.demo import showcase
from symposia.cfp.models import NotificationBatch, Submission
from tests.cfp.conftest import submitted

from .conftest import axe_violations, screenshot
from .test_cfp import sign_in


def test_organiser_decides_notifies_and_author_confirms(page, live_server, event, alice, adam):
    showcase(event, log=lambda _: None)
    poster = submitted(event, adam, title="Gradient flows in $W_2$ for sampling")
    other = submitted(event, adam, title="An idea that did not make it")
    mail.outbox.clear()
    base = f"{live_server.url}/mathml2020/cfp"

    sign_in(page, live_server, alice)
    page.goto(f"{base}/manage/decisions/")
    page.check(f"#tick-{poster.code}")
    page.select_option("#id_action", label="Accept as poster")
    page.click(".decisions-bulk-bar button")
    page.wait_for_selector("text=Accepted as poster: 1 changed")
    page.check(f"#tick-{other.code}")
    page.select_option("#id_action", label="Reject")
    page.click(".decisions-bulk-bar button")
    page.wait_for_selector("text=Rejected: 1 changed")
    screenshot(page, "decisions-1-list")
    assert dict(Submission.objects.values_list("code", "state")) == {
        poster.code: "accepted_poster",
        other.code: "rejected",
    }

    page.goto(f"{base}/manage/decisions/templates/accept_poster/")
    body = page.input_value("#id_body")
    page.fill("#id_body", body + "\n{{ settings.SECRET_KEY }}{% load static %}\n")
    page.click("button:has-text('Preview without saving')")
    page.wait_for_selector("#id_body_error")
    assert (
        "The tag “{% load %}” is not available here." in page.locator("#id_body_error").inner_text()
    )
    screenshot(page, "decisions-2-template-error")
    page.fill("#id_body", body.replace("With best regards", "See you in Bath"))
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Template saved.")

    page.goto(f"{base}/manage/decisions/")
    page.click("a:has-text('1 not notified') >> nth=0")
    assert page.is_checked(f"#notify-{poster.code}")
    page.click("button:has-text('Preview')")
    page.wait_for_selector(".mail-body")
    preview = page.locator(".mail-body").inner_text()
    assert preview.startswith("Dear Adam Author,")
    assert "has been accepted for presentation as a poster" in preview
    assert "See you in Bath" in preview
    assert f"/cfp/submissions/{poster.code}/confirm/?token=" in preview
    screenshot(page, "decisions-3-preview")
    assert mail.outbox == []

    page.click("button:has-text('Send notifications')")
    page.wait_for_selector("h1:has-text('Notification report')")
    assert (
        "1 mail queued for 1 submission; 0 skipped." in page.locator(".notify-summary").inner_text()
    )
    screenshot(page, "decisions-4-report")
    page.goto(f"{base}/manage/decisions/notify/?kind=reject")
    page.click("button:has-text('Send notifications')")
    page.wait_for_selector("h1:has-text('Notification report')")
    assert NotificationBatch.objects.count() == 2
    assert sorted(m.subject.split("] ")[1] for m in mail.outbox) == [
        f"Decision on your contribution {other.code}",
        f"Your contribution {poster.code} is accepted as a poster",
    ]

    page.context.clear_cookies()
    sign_in(page, live_server, adam)
    page.goto(f"{base}/submissions/{other.code}/")
    assert page.locator("#decision-title").inner_text() == "Decision: Rejected"
    page.goto(f"{base}/submissions/{poster.code}/")
    assert page.locator("#decision-title").inner_text() == "Decision: Accepted as poster"
    assert axe_violations(page) == []
    screenshot(page, "decisions-5-author")
    page.click("text=Confirm or decline participation")
    page.check("input[value=confirm]")
    assert axe_violations(page) == []
    page.click("button:has-text('Send my answer')")
    page.wait_for_selector("text=Thank you: your participation is confirmed.")
    screenshot(page, "decisions-6-confirmed")
    assert Submission.objects.get(pk=poster.pk).participation == "confirmed"

    page.context.clear_cookies()
    page.goto(f"{base}/accepted/")
    item = page.locator(f"#contribution-{poster.code}")
    assert item.locator(".accepted-title math").count() == 1
    assert "Chen Wei 陈伟 (Tsinghua University)" in item.inner_text()
    assert page.locator(f"#contribution-{other.code}").count() == 0
    item.locator("summary").click()
    assert item.locator(".cfp-abstract math").count() == 2
    assert axe_violations(page) == []
    screenshot(page, "decisions-7-accepted")
