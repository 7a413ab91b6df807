"""Decisions: one function per transition, the log, bulk decisions (all or nothing), what the
authors see before notification, and the organisers' decision pages."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from symposia.cfp import decisions, domain
from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Decision, Submission

from .conftest import submitted

UTC = dt.UTC


def url(name, **kwargs):
    return reverse(name, kwargs={"event": "mathml2020", **kwargs})


def log(submission):
    return [
        (d.from_state, d.to_state, d.by.email if d.by else None)
        for d in submission.decision_log.all()
    ]


@pytest.mark.parametrize(
    ("function", "state"),
    [
        (decisions.accept_as_poster, "accepted_poster"),
        (decisions.accept_as_talk, "accepted_talk"),
        (decisions.reject, "rejected"),
        (decisions.waitlist, "waitlisted"),
    ],
)
def test_each_decision_has_its_function_and_log_row(submission, alice, function, state):
    with time_machine.travel(dt.datetime(2020, 6, 1, 9, 30, tzinfo=UTC), tick=False):
        decided = function(submission, by=alice)

    assert decided.state == state
    assert Submission.objects.get().state == state
    row = Decision.objects.get()
    assert (row.from_state, row.to_state, row.by, row.created) == (
        "submitted",
        state,
        alice,
        dt.datetime(2020, 6, 1, 9, 30, tzinfo=UTC),
    )


def test_decisions_move_between_each_other_and_back(submission, alice):
    decisions.waitlist(submission, by=alice)
    decisions.accept_as_talk(submission, by=alice)
    decisions.accept_as_talk(submission, by=alice)  # already so: no new row
    decisions.undo_decision(submission, by=alice)

    assert Submission.objects.get().state == "submitted"
    assert log(submission) == [
        ("submitted", "waitlisted", alice.email),
        ("waitlisted", "accepted_talk", alice.email),
        ("accepted_talk", "submitted", alice.email),
    ]


def test_drafts_and_withdrawn_submissions_take_no_decision(call, adam, alice, submission):
    withdrawn = submitted(call.event, adam, title="Withdrawn")
    domain.withdraw(withdrawn, by=adam)
    draft = domain.save_draft(
        call.event,
        by=adam,
        content=domain.SubmissionContent(title="Draft"),
        idempotency_key=uuid.uuid4(),
    )

    for target in (withdrawn, draft):
        for function in (decisions.accept_as_poster, decisions.reject, decisions.undo_decision):
            with pytest.raises(domain.StateError):
                function(target, by=alice)
    assert Decision.objects.count() == 0


def test_undo_is_refused_once_the_authors_were_notified(submission, alice):
    decisions.accept_as_poster(submission, by=alice)
    Submission.objects.filter(pk=submission.pk).update(notified_decision="accepted_poster")

    with pytest.raises(domain.StateError, match="notified"):
        decisions.undo_decision(submission, by=alice)
    decisions.waitlist(submission, by=alice)  # another decision is fine: notify again

    submission.refresh_from_db()
    assert (submission.state, submission.needs_notification) == ("waitlisted", True)
    assert submission.author_state == "accepted_poster"  # what they were told, until told again


def test_set_decision_state_goes_through_the_decisions_module(submission, alice):
    domain.set_decision_state(submission, "accepted_talk", by=alice)

    assert log(submission) == [("submitted", "accepted_talk", alice.email)]
    with pytest.raises(domain.StateError):
        domain.set_decision_state(submission, "submitted", by=alice)


def test_leaving_acceptance_resets_the_participation_answer(submission, alice, adam):
    decisions.accept_as_poster(submission, by=alice)
    Submission.objects.filter(pk=submission.pk).update(notified_decision="accepted_poster")
    submission.refresh_from_db()
    decisions.confirm_participation(submission, by=adam)

    decisions.accept_as_talk(submission, by=alice)
    assert Submission.objects.get().participation == "confirmed"
    decisions.reject(submission, by=alice)

    submission.refresh_from_db()
    assert (submission.participation, submission.participation_by) == ("pending", "")


def test_authors_see_under_review_until_notified(submission, alice):
    before = Submission.objects.get().updated
    decisions.reject(submission, by=alice)

    submission.refresh_from_db()
    assert submission.author_state == "submitted"
    assert submission.get_author_state_display() == "Under review"
    assert submission.updated == before  # "last change" does not betray the decision


# --- Bulk -------------------------------------------------------------------------------------


def test_bulk_decide_changes_all_and_reports(call, adam, alice):
    one, two, three = (submitted(call.event, adam, title=f"T{i}") for i in range(3))
    decisions.accept_as_poster(three, by=alice)

    report = decisions.bulk_decide(
        Submission.objects.filter(event=call.event), "accepted_poster", by=alice
    )

    assert sorted(report.changed) == sorted([one.code, two.code])
    assert report.unchanged == [three.code]
    assert set(Submission.objects.values_list("state", flat=True)) == {"accepted_poster"}
    assert Decision.objects.count() == 3


def test_bulk_decide_is_all_or_nothing(call, adam, alice):
    good = submitted(call.event, adam, title="Good")
    withdrawn = submitted(call.event, adam, title="Gone")
    domain.withdraw(withdrawn, by=adam)

    with pytest.raises(decisions.BulkDecisionError) as caught:
        decisions.bulk_decide(Submission.objects.filter(event=call.event), "rejected", by=alice)

    assert caught.value.refused == [(withdrawn.code, "it is withdrawn")]
    assert "Nothing was changed" in str(caught.value)
    good.refresh_from_db()
    assert good.state == "submitted"
    assert Decision.objects.count() == 0


def test_bulk_undo_refuses_notified_ones(call, adam, alice):
    told = submitted(call.event, adam, title="Told")
    quiet = submitted(call.event, adam, title="Quiet")
    decisions.bulk_decide(Submission.objects.all(), "accepted_talk", by=alice)
    Submission.objects.filter(pk=told.pk).update(notified_decision="accepted_talk")

    with pytest.raises(decisions.BulkDecisionError):
        decisions.bulk_decide(Submission.objects.all(), "submitted", by=alice)

    assert set(Submission.objects.values_list("state", flat=True)) == {"accepted_talk"}
    decisions.bulk_decide(Submission.objects.filter(pk=quiet.pk), "submitted", by=alice)
    assert Submission.objects.get(pk=quiet.pk).state == "submitted"


# --- Organiser pages --------------------------------------------------------------------------


def codes_in(response) -> list[str]:
    return re.findall(r'name="codes" value="([A-Z0-9]+)"', response.content.decode())


def test_decision_list_filters_by_state_and_notification(client, call, adam, alice):
    a = submitted(call.event, adam, title="Alpha")
    b = submitted(call.event, adam, title="Beta")
    submitted(call.event, adam, title="Gamma")
    decisions.accept_as_poster(a, by=alice)
    decisions.reject(b, by=alice)
    Submission.objects.filter(pk=b.pk).update(notified_decision="rejected")
    client.force_login(alice)

    assert codes_in(client.get(url("cfp:decisions"), {"state": "accepted_poster"})) == [a.code]
    assert codes_in(client.get(url("cfp:decisions"), {"notified": "pending"})) == [a.code]
    assert codes_in(client.get(url("cfp:decisions"), {"notified": "notified"})) == [b.code]
    assert codes_in(client.get(url("cfp:decisions"), {"q": "Beta"})) == [b.code]


def test_bulk_form_decides_ticked_ones(client, call, adam, alice):
    a = submitted(call.event, adam, title="Alpha")
    b = submitted(call.event, adam, title="Beta")
    c = submitted(call.event, adam, title="Gamma")
    client.force_login(alice)

    response = client.post(
        url("cfp:decisions") + "?state=submitted",
        {"action": "accepted_poster", "codes": [a.code, c.code]},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("cfp:decisions") + "?state=submitted"
    assert "Accepted as poster: 2 changed, 0 already so." in response.content.decode()
    states = dict(Submission.objects.values_list("code", "state"))
    assert states == {a.code: "accepted_poster", b.code: "submitted", c.code: "accepted_poster"}


def test_bulk_form_refuses_all_when_one_cannot(client, call, adam, alice):
    a = submitted(call.event, adam, title="Alpha")
    gone = submitted(call.event, adam, title="Gone")
    domain.withdraw(gone, by=adam)
    client.force_login(alice)

    response = client.post(
        url("cfp:decisions"), {"action": "rejected", "codes": [a.code, gone.code]}, follow=True
    )

    assert f"Nothing was changed. {gone.code}: it is withdrawn." in response.content.decode()
    assert Submission.objects.get(pk=a.pk).state == "submitted"


def test_bulk_form_refuses_codes_of_another_event(client, call, adam, alice):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    a = submitted(call.event, adam, title="Alpha")
    foreign = Submission.objects.create(event=other, owner=adam, state="submitted")
    client.force_login(alice)

    response = client.post(
        url("cfp:decisions"), {"action": "rejected", "codes": [a.code, foreign.code]}, follow=True
    )

    assert f"{foreign.code} is not a submission of this event." in response.content.decode()
    assert set(Submission.objects.values_list("state", flat=True)) == {"submitted"}


def test_detail_page_buttons_decide_and_show_the_log(client, submission, alice):
    client.force_login(alice)
    decide = url("cfp:decide", code=submission.code)
    detail = url("cfp:manage_submission", code=submission.code)

    response = client.post(decide, {"action": "accepted_talk"}, follow=True)

    assert response.redirect_chain[-1][0] == detail
    html = response.content.decode()
    assert f"{submission.code}: Accepted as talk." in html
    assert "The authors have not been notified: they see “Under review”." in html
    assert "Submitted → <strong>Accepted as talk</strong> by <bdi>Alice Organiser</bdi>" in html
    response = client.post(decide, {"action": "submitted"}, follow=True)
    assert Submission.objects.get().state == "submitted"
    response = client.post(decide, {"action": "nonsense"}, follow=True)
    assert "Choose a decision." in response.content.decode()


def test_decide_on_a_withdrawn_submission_is_an_error_message(client, submission, alice, adam):
    domain.withdraw(submission, by=adam)
    client.force_login(alice)

    response = client.post(
        url("cfp:decide", code=submission.code), {"action": "accepted_talk"}, follow=True
    )

    assert "cannot take this decision: it is withdrawn." in response.content.decode()


@pytest.mark.parametrize("name", ["cfp:decisions", "cfp:notify", "cfp:templates"])
def test_outsiders_and_authors_are_refused(client, submission, oscar, adam, name):
    for user in (oscar, adam):
        client.force_login(user)
        assert client.get(url(name)).status_code == 404
    client.logout()
    assert client.get(url(name))["Location"].startswith("/accounts/login/")


def test_outsider_cannot_decide(client, submission, oscar, adam):
    for user in (oscar, adam):
        client.force_login(user)
        response = client.post(url("cfp:decide", code=submission.code), {"action": "accepted_talk"})
        assert response.status_code == 404
        response = client.post(
            url("cfp:decisions"), {"action": "accepted_talk", "codes": [submission.code]}
        )
        assert response.status_code == 404
    assert Submission.objects.get().state == "submitted"


def test_decide_only_accepts_post(client, submission, alice):
    client.force_login(alice)

    assert client.get(url("cfp:decide", code=submission.code)).status_code == 405


def test_decide_for_another_events_code_is_404(client, call, adam, alice):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    foreign = Submission.objects.create(event=other, owner=adam, state="submitted")
    client.force_login(alice)

    response = client.post(url("cfp:decide", code=foreign.code), {"action": "rejected"})

    assert response.status_code == 404
    assert Submission.objects.get(pk=foreign.pk).state == "submitted"


@pytest.mark.parametrize("count", [1, 3])
def test_decision_list_query_count(client, call, adam, alice, count, django_assert_num_queries):
    for i in range(count):
        s = submitted(call.event, adam, title=f"Poster {i}")
        decisions.accept_as_poster(s, by=alice)
    client.force_login(alice)

    with django_assert_num_queries(13):
        response = client.get(url("cfp:decisions"))

    assert len(codes_in(response)) == count


def test_states_are_decision_states():
    assert set(decisions.TRANSITIONS) == {
        SubmissionState.ACCEPTED_POSTER,
        SubmissionState.ACCEPTED_TALK,
        SubmissionState.REJECTED,
        SubmissionState.WAITLISTED,
        SubmissionState.SUBMITTED,
    }


def test_decision_pages_render_hostile_text_inert(client, call, adam, alice):
    from symposia.cfp.domain import AuthorData

    hostile = submitted(
        call.event,
        adam,
        title='<script>alert(1)</script><img src=x onerror="alert(2)"> $x$',
        authors=[AuthorData("<svg onload=alert(3)>", "adam@imperial.ac.uk", "<b>U</b>", "", True)],
    )
    decisions.accept_as_poster(hostile, by=alice)
    client.force_login(alice)

    for page in (
        url("cfp:decisions"),
        url("cfp:notify") + "?kind=accept_poster",
        url("cfp:manage_submission", code=hostile.code),
    ):
        html = client.get(page).content.decode()
        assert "<script>alert" not in html, page
        assert "onerror=" not in html.replace("onerror=&quot;", ""), page
        assert "<svg onload" not in html, page
