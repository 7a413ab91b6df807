"""Notifications: editable templates in the sandbox, preview, sending through the outbox with a
report, idempotency, and what the authors see before and after."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from symposia.cfp import decisions, notifications
from symposia.cfp.models import NotificationBatch, NotificationTemplate, Submission
from symposia.common.mail_templates import TemplateVariable
from symposia.common.models import OutboxMessage

from .conftest import submitted

UTC = dt.UTC


def url(name, **kwargs):
    return reverse(name, kwargs={"event": "mathml2020", **kwargs})


@pytest.fixture
def accepted(submission, alice):
    decisions.accept_as_poster(submission, by=alice)
    submission.refresh_from_db()
    mail.outbox.clear()
    return submission


def send(event, submissions, *, kind="accept_poster", audience="presenting", by, **kwargs):
    return notifications.send_notifications(
        event,
        kind=kind,
        submissions=submissions,
        audience=audience,
        by=by,
        idempotency_key=kwargs.pop("key", uuid.uuid4()),
        **kwargs,
    )


# --- Templates --------------------------------------------------------------------------------


def test_default_templates_are_created_on_first_use(event):
    template = notifications.get_template(event, "accept_poster")

    assert template.subject == "Your contribution {{ submission.code }} is accepted as a poster"
    assert "{% if confirm_url %}" in template.body
    assert notifications.get_template(event, "accept_poster") == template
    assert NotificationTemplate.objects.count() == 1


@pytest.mark.parametrize("kind", ["accept_poster", "accept_talk", "reject", "waitlist", "custom"])
def test_every_default_template_passes_its_own_check(kind):
    notifications.check_text(*notifications.default_text(kind))


def test_template_editor_saves_valid_text(client, event, alice):
    client.force_login(alice)

    response = client.post(
        url("cfp:template_edit", kind="reject"),
        {"subject": "About {{ submission.code }}", "body": "Dear {{ author.name }},\nNo.\n"},
        follow=True,
    )

    assert "Template saved." in response.content.decode()
    template = NotificationTemplate.objects.get(kind="reject")
    assert (template.subject, template.body, template.updated_by) == (
        "About {{ submission.code }}",
        "Dear {{ author.name }},\nNo.",
        alice,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "Dear {{ author.name }},\n{% load static %}",
            "Line 2: The tag “{% load %}” is not available",
        ),
        ("{% include 'base.html' %}", "Line 1: The tag “{% include %}” is not available"),
        ("{% debug %}", "The tag “{% debug %}” is not available"),
        ("{% if confirm_url %}unclosed", "Line 1: Unclosed tag on line 1: &#x27;if&#x27;"),
        ("{% for c in submission.title %}{% endfor %}", "loops only over lists"),
        ("{{ ''.__class__ }}", "Could not parse the remainder"),
    ],
)
def test_template_errors_are_form_errors_on_save_and_preview(client, event, alice, body, message):
    client.force_login(alice)
    before = notifications.get_template(event, "reject").body

    for action in ("save", "preview"):
        response = client.post(
            url("cfp:template_edit", kind="reject"),
            {"subject": "S", "body": body, "action": action},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert 'id="id_body_error"' in html
        assert ">\n" + body.replace("'", "&#x27;") + "</textarea>" in html  # text kept
    assert NotificationTemplate.objects.get(kind="reject").body == before


def test_secret_names_render_empty_in_previews(client, accepted, alice):
    client.force_login(alice)

    response = client.post(
        url("cfp:template_edit", kind="accept_poster"),
        {
            "subject": "S",
            "body": "[{{ settings.SECRET_KEY }}][{{ submission.owner.password }}]"
            "[{{ author.user.password }}][{{ event.organisers }}]{{ author.name }}",
            "action": "preview",
            "preview_code": accepted.code,
        },
    )

    html = response.content.decode()
    assert '<pre class="mail-body">[][][][]Adam Author\n</pre>' in html


def test_template_preview_with_example_data(client, event, alice):
    client.force_login(alice)

    response = client.post(
        url("cfp:template_edit", kind="custom"),
        {"subject": "Hi {{ author.name }}", "body": "{{ submission.title }}", "action": "preview"},
    )

    html = response.content.decode()
    assert "[Mathematics of Machine Learning 2020] Hi Ada Lovelace" in html
    assert "Gradient flows in $W_2$" in html
    assert NotificationTemplate.objects.get(kind="custom").subject.startswith("About")


def test_template_reset_restores_the_default(client, event, alice):
    template = notifications.get_template(event, "waitlist")
    template.subject = "changed"
    template.save()
    client.force_login(alice)

    client.post(url("cfp:template_edit", kind="waitlist"), {"action": "reset"})

    template.refresh_from_db()
    assert template.subject == notifications.default_text("waitlist")[0]


def test_template_editor_documents_the_variables(client, event, alice):
    client.force_login(alice)

    html = client.get(url("cfp:template_edit", kind="accept_talk")).content.decode()

    for name in (
        "submission.title",
        "submission.url",
        "author.name",
        "event.title",
        "confirm_url",
        "reviews",
        "decision",
    ):
        assert f"<code>{{{{ {name} }}}}</code>" in html


def test_unknown_template_kind_is_404(client, event, alice):
    client.force_login(alice)

    assert client.get(url("cfp:template_edit", kind="secret")).status_code == 404
    assert client.get(url("cfp:notify"), {"kind": "secret"}).status_code == 404


def test_template_pages_refuse_outsiders(client, event, oscar, adam):
    for user in (oscar, adam):
        client.force_login(user)
        assert client.get(url("cfp:template_edit", kind="reject")).status_code == 404
        response = client.post(
            url("cfp:template_edit", kind="reject"), {"subject": "x", "body": "y"}
        )
        assert response.status_code == 404
    assert NotificationTemplate.objects.count() == 0


# --- Rendering and context --------------------------------------------------------------------


def test_context_holds_only_documented_plain_data(accepted):
    recipient = notifications.recipients(accepted, "all")[1]

    data = notifications.context_for(accepted, recipient, kind="accept_poster")

    assert sorted(data) == [
        "accepted",
        "author",
        "confirm_url",
        "decision",
        "event",
        "presenting_author",
        "reviews",
        "submission",
    ]
    assert data["author"] == {
        "name": "Chen Wei 陈伟",
        "email": "chen@tsinghua.edu.cn",
        "is_presenting": False,
    }
    assert data["confirm_url"] == ""  # only the presenting author (and the owner) get a link
    assert data["reviews"] == []
    assert data["submission"]["authors"] == ["Adam Author", "Chen Wei 陈伟"]


def test_extra_context_hook_adds_documented_variables(accepted, monkeypatch):
    monkeypatch.setattr(notifications, "_extra_context", [])
    notifications.register_extra_context(
        lambda s: {"reviews": [f"Review of {s.code}"]},
        variables=[TemplateVariable("reviews", "Released reviews.", ["x"])],
    )
    recipient = notifications.recipients(accepted, "presenting")[0]

    rendered = notifications.render_for(
        accepted,
        recipient,
        kind="accept_poster",
        subject="S",
        body="{% for r in reviews %}{{ r }}{% endfor %}",
    )

    assert rendered.body == f"Review of {accepted.code}\n"


def test_custom_message_does_not_reveal_an_unnotified_decision(submission, alice):
    decisions.reject(submission, by=alice)
    submission = notifications.with_authors(Submission.objects.all()).get()
    recipient = notifications.recipients(submission, "presenting")[0]

    data = notifications.context_for(submission, recipient, kind="custom")

    assert (data["decision"], data["accepted"], data["confirm_url"]) == ("Under review", False, "")


# --- Sending ----------------------------------------------------------------------------------


def test_send_mails_each_recipient_and_marks_notified(event, accepted, alice):
    with time_machine.travel(dt.datetime(2020, 7, 1, 12, 0, tzinfo=UTC), tick=False):
        batch = send(event, [accepted], audience="all", by=alice)

    assert sorted(m.to[0] for m in mail.outbox) == ["adam@imperial.ac.uk", "chen@tsinghua.edu.cn"]
    adam_mail = next(m for m in mail.outbox if m.to == ["adam@imperial.ac.uk"])
    assert adam_mail.subject == (
        f"[Mathematics of Machine Learning 2020] Your contribution {accepted.code} "
        "is accepted as a poster"
    )
    assert adam_mail.body.startswith("Dear Adam Author,\n")
    assert re.search(
        rf"/mathml2020/cfp/submissions/{accepted.code}/confirm/\?token=\S+", adam_mail.body
    )
    chen_mail = next(m for m in mail.outbox if m.to == ["chen@tsinghua.edu.cn"])
    assert "confirm" not in chen_mail.body.split("has been accepted")[1].split("The decision")[0]
    accepted.refresh_from_db()
    assert (accepted.notified_decision, accepted.decision_notified_at) == (
        "accepted_poster",
        dt.datetime(2020, 7, 1, 12, 0, tzinfo=UTC),
    )
    assert batch.mail_count == 2
    assert batch.report["sent"] == [
        {
            "code": accepted.code,
            "title": accepted.title,
            "to": ["adam@imperial.ac.uk", "chen@tsinghua.edu.cn"],
        }
    ]
    assert OutboxMessage.objects.filter(kind="cfp.notify.accept_poster").count() == 2


def test_presenting_audience_mails_presenting_author_and_owner(call, adam, alice):
    from symposia.cfp.domain import AuthorData

    s = submitted(
        call.event,
        adam,
        authors=[
            AuthorData("Adam Author", "adam@imperial.ac.uk", "Imperial"),
            AuthorData("Chen Wei", "chen@tsinghua.edu.cn", "Tsinghua", is_presenting=True),
            AuthorData("Olga", "olga@example.org", "MSU"),
        ],
    )
    decisions.reject(s, by=alice)
    mail.outbox.clear()

    send(call.event, [s], kind="reject", by=alice)

    assert [m.to for m in mail.outbox] == [["chen@tsinghua.edu.cn"], ["adam@imperial.ac.uk"]]


def test_send_skips_with_reasons(event, call, adam, alice, accepted):
    rejected = submitted(call.event, adam, title="Rejected one")
    decisions.reject(rejected, by=alice)
    send(event, [accepted], by=alice)
    mail.outbox.clear()

    batch = send(event, [accepted, rejected], by=alice)

    assert mail.outbox == []
    reasons = sorted(row["reason"] for row in batch.report["skipped"])
    assert reasons[0].startswith("its authors were already notified on ")
    assert reasons[1] == "its decision is “Rejected”, not “Accepted as poster”"
    assert batch.report["sent"] == []


def test_resend_sends_again_when_asked(event, accepted, alice):
    send(event, [accepted], by=alice)
    mail.outbox.clear()

    send(event, [accepted], by=alice, resend=True)

    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]


def test_same_key_sends_once(event, accepted, alice):
    key = uuid.uuid4()

    first = send(event, [accepted], by=alice, key=key, resend=True)
    second = send(event, [accepted], by=alice, key=key, resend=True)

    assert first == second
    assert len(mail.outbox) == 1
    assert NotificationBatch.objects.count() == 1


def test_broken_template_sends_nothing(event, accepted, alice):
    NotificationTemplate.objects.create(
        event=event,
        kind="accept_poster",
        subject="S",
        body="{% for c in author.name %}{% endfor %}",
    )

    with pytest.raises(notifications.NotificationError, match="loops only over lists"):
        send(event, [accepted], by=alice)

    assert mail.outbox == []
    assert NotificationBatch.objects.count() == 0
    assert Submission.objects.get().notified_decision == ""


def test_custom_message_marks_nothing(event, accepted, alice):
    send(event, [accepted], kind="custom", by=alice)

    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]
    assert "current status: Under review" in mail.outbox[0].body
    assert Submission.objects.get().notified_decision == ""


# --- The notify page --------------------------------------------------------------------------


def notify_form(client, kind="accept_poster"):
    html = client.get(url("cfp:notify"), {"kind": kind}).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', html).group(1)
    checked = re.findall(r'name="codes" value="([A-Z0-9]+)" id="[^"]+" checked', html)
    return html, key, checked


def test_notify_page_defaults_to_decided_not_notified(client, event, call, adam, alice, accepted):
    told = submitted(call.event, adam, title="Told")
    decisions.accept_as_poster(told, by=alice)
    send(event, [told], by=alice)
    client.force_login(alice)

    html, _key, checked = notify_form(client)

    assert checked == [accepted.code]
    assert "Accepted as poster (1 to notify of 2)" in html


def test_preview_shows_exactly_what_will_be_sent_and_sends_nothing(client, event, accepted, alice):
    client.force_login(alice)
    _html, key, _checked = notify_form(client)

    response = client.post(
        url("cfp:notify") + "?kind=accept_poster",
        {
            "idempotency_key": key,
            "kind": "accept_poster",
            "audience": "all",
            "codes": [accepted.code],
            "preview": f"{accepted.code} chen@tsinghua.edu.cn",
            "action": "preview",
        },
    )

    html = response.content.decode()
    assert mail.outbox == []
    assert "<bdi>Chen Wei 陈伟 &lt;chen@tsinghua.edu.cn&gt;</bdi>" in html
    subject = f"Your contribution {accepted.code} is accepted as a poster"
    assert f"[Mathematics of Machine Learning 2020] {subject}" in html
    assert "Dear Chen Wei 陈伟," in html
    assert f'value="{key}"' in html  # the same form token: sending next is still once


def test_send_from_the_page_reports_and_links_the_outbox(client, event, accepted, alice):
    client.force_login(alice)
    _html, key, _checked = notify_form(client)
    data = {
        "idempotency_key": key,
        "kind": "accept_poster",
        "audience": "all",
        "codes": [accepted.code],
        "action": "send",
    }

    response = client.post(url("cfp:notify"), data, follow=True)
    again = client.post(url("cfp:notify"), data, follow=True)  # double click

    batch = NotificationBatch.objects.get()
    report_url = url("cfp:notify_report", pk=batch.pk)
    assert response.redirect_chain[-1][0] == report_url
    assert again.redirect_chain[-1][0] == report_url
    assert len(mail.outbox) == 2
    html = response.content.decode()
    assert "<strong>2 mails</strong> queued for 1 submission; 0 skipped." in html
    assert "adam@imperial.ac.uk, chen@tsinghua.edu.cn" in html
    assert f'href="{url("outbox:list")}"' in html


def test_resending_from_the_page_asks_for_confirmation(client, event, accepted, alice):
    send(event, [accepted], by=alice)
    mail.outbox.clear()
    client.force_login(alice)
    _html, key, checked = notify_form(client)
    assert checked == []
    data = {
        "idempotency_key": key,
        "kind": "accept_poster",
        "audience": "presenting",
        "codes": [accepted.code],
        "action": "send",
    }

    response = client.post(url("cfp:notify"), data)

    assert mail.outbox == []
    assert "were already notified of this decision. Tick this box" in response.content.decode()
    response = client.post(url("cfp:notify"), {**data, "resend": "on"}, follow=True)
    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]


def test_sending_nothing_ticked_is_a_form_error(client, event, accepted, alice):
    client.force_login(alice)
    _html, key, _checked = notify_form(client)

    response = client.post(
        url("cfp:notify"),
        {"idempotency_key": key, "kind": "accept_poster", "audience": "all", "action": "send"},
    )

    assert "Tick at least one submission." in response.content.decode()
    assert NotificationBatch.objects.count() == 0


def test_notify_pages_refuse_outsiders(client, event, accepted, alice, oscar, adam):
    batch = send(event, [accepted], by=alice)
    mail.outbox.clear()
    for user in (oscar, adam):
        client.force_login(user)
        assert client.get(url("cfp:notify_report", pk=batch.pk)).status_code == 404
        response = client.post(
            url("cfp:notify"),
            {
                "idempotency_key": str(uuid.uuid4()),
                "kind": "accept_poster",
                "audience": "all",
                "codes": [accepted.code],
                "resend": "on",
                "action": "send",
            },
        )
        assert response.status_code == 404
    assert mail.outbox == []


def test_report_of_another_event_is_404(client, event, accepted, alice):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    other.organisers.add(alice)
    batch = send(event, [accepted], by=alice)
    client.force_login(alice)

    response = client.get(reverse("cfp:notify_report", kwargs={"event": "other", "pk": batch.pk}))

    assert response.status_code == 404


# --- What the authors see ---------------------------------------------------------------------


def test_author_sees_the_decision_only_after_notification(client, event, accepted, alice, adam):
    client.force_login(adam)
    detail = url("cfp:detail", code=accepted.code)

    for page in (detail, url("cfp:mine"), url("cfp:call")):
        html = client.get(page).content.decode()
        assert "Under review" in html, page
        assert "Accepted" not in html, page

    send(event, [accepted], by=alice)

    html = client.get(detail).content.decode()
    assert "Decision: Accepted as poster" in html
    assert "Confirm or decline participation" in html
    assert "Accepted as poster" in client.get(url("cfp:mine")).content.decode()


def test_coauthor_sees_decision_but_is_not_offered_to_answer(client, event, accepted, alice):
    from tests.conftest import make_user

    chen = make_user("chen@tsinghua.edu.cn", "Chen Wei")
    send(event, [accepted], by=alice)
    client.force_login(chen)

    html = client.get(url("cfp:detail", code=accepted.code)).content.decode()

    assert "Decision: Accepted as poster" in html
    assert "Confirm or decline participation" not in html
    assert "The presenting author confirms participation." in html


@pytest.mark.parametrize("count", [1, 3])
def test_notify_page_query_count(
    client, event, call, adam, alice, count, django_assert_num_queries
):
    for i in range(count):
        decisions.accept_as_poster(submitted(call.event, adam, title=f"P{i}"), by=alice)
    notifications.get_template(event, "accept_poster")
    client.force_login(alice)

    with django_assert_num_queries(11):
        response = client.get(url("cfp:notify"), {"kind": "accept_poster"})

    assert len(re.findall(r'name="codes"', response.content.decode())) == count


def test_custom_message_page_lists_every_submitted_contribution(client, event, submission, alice):
    # The list's filters prefetch the authors too; both prefetches once made the page fail.
    client.force_login(alice)

    html, _key, checked = notify_form(client, kind="custom")

    assert checked == [submission.code]
    assert submission.title.split(" ")[0] in html
