"""Organisers' pages: refused to everyone else; progress, reminders, exports, committee,
conflicts, assignment with hand edits and reruns."""

import csv
import datetime as dt
import html
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from symposia.reviews import domain
from symposia.reviews.enums import AssignmentSource, ConflictStatus
from symposia.reviews.models import (
    Assignment,
    AssignmentRun,
    Conflict,
    Criterion,
    ForbiddenPair,
    Invitation,
    Reviewer,
)
from tests.reviews.conftest import assign, make_submission

MANAGE = [
    "manage",
    "manage_settings",
    "manage_form",
    "manage_committee",
    "manage_conflicts",
    "manage_assignment",
    "manage_csv",
    "manage_xlsx",
]


def url(name, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"event": "mathml2020", **kwargs})


def text(response) -> str:
    return html.unescape(response.content.decode())


def submit_review(submission, reviewer, criteria, **extra):
    data = {
        "scores": {c.pk: 4 for c in criteria},
        "recommendation": 4,
        "confidence": 3,
        "comments_to_authors": "Fine.",
    }
    data.update(extra)
    return domain.save_review(
        submission, reviewer=reviewer, data=domain.ReviewData(**data), submit=True
    )


@pytest.mark.parametrize("name", MANAGE)
def test_everyone_but_organisers_is_refused(client, subs, rita, cora, adam, oscar, name):
    for user in (rita, cora, adam, oscar):
        client.force_login(user)
        assert client.get(url(name)).status_code == 404


@pytest.mark.parametrize("name", MANAGE)
def test_anonymous_is_sent_to_log_in(client, subs, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_posts_refused_to_reviewers(client, subs, rita, committee):
    assign(subs["B"], committee["rita"])
    pk = Assignment.objects.get().pk
    client.force_login(rita)
    for target in (
        url("manage_remind"),
        url("manage_detect"),
        url("manage_assignment_remove", pk=pk),
        url("manage_assignment_add", code=subs["B"].code),
    ):
        assert client.post(target, {"reviewer": committee["rita"].pk}).status_code == 404
    assert Assignment.objects.count() == 1


# --- Progress, reminders, export ---------------------------------------------------------------


def test_dashboard_counts(client, subs, alice, committee, criteria):
    assign(subs["A"], committee["rita"])
    assign(subs["B"], committee["rita"])
    assign(subs["B"], committee["cora"])
    submit_review(subs["B"], committee["cora"], criteria, recommendation=2)
    submit_review(subs["B"], committee["rita"], criteria, recommendation=5)
    client.force_login(alice)
    page = text(client.get(url("manage")))
    assert "2 / 3" in page  # submitted of assigned over the event
    assert "disagreement" in page  # spread 5 - 2
    assert "Bob's withdrawn poster" not in page


def test_dashboard_sorts_submissions_by_score(client, subs, alice, committee, criteria):
    """A chair deciding wants the best-scored submissions first, unreviewed ones last."""
    extra = make_submission(subs["B"].event, subs["B"].owner, title="Unreviewed poster")
    assign(subs["A"], committee["rita"])
    assign(subs["B"], committee["rita"])
    submit_review(subs["A"], committee["rita"], criteria, recommendation=2)
    submit_review(subs["B"], committee["rita"], criteria, scores={c.pk: 5 for c in criteria})
    client.force_login(alice)

    def order(sort):
        page = text(client.get(url("manage") + f"?sort={sort}"))
        table = page[page.index('id="per-submission"') :]
        titles = ["Adam's", "Bob's gradient flows", "Unreviewed poster"]
        return sorted(titles, key=table.index)

    assert order("score") == ["Bob's gradient flows", "Adam's", "Unreviewed poster"]
    assert order("recommendation") == ["Bob's gradient flows", "Adam's", "Unreviewed poster"]
    assert extra.code in text(client.get(url("manage") + "?sort=nonsense"))


def test_reminders_never_mention_conflicts(
    client, subs, alice, committee, cora, event, django_capture_on_commit_callbacks
):
    assign(subs["A"], committee["rita"])
    assign(subs["B"], committee["rita"])
    # An assignment made before the conflict was known: cora must not hear of A.
    Assignment.objects.create(submission=subs["A"], reviewer=committee["cora"])
    assign(subs["B"], committee["cora"])
    mail.outbox.clear()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("manage_remind"))

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_recipient) == ["cora@warwick.ac.uk", "rita@ox.ac.uk"]
    cora_mail = by_recipient["cora@warwick.ac.uk"].body
    assert subs["B"].code in cora_mail
    assert subs["A"].code not in cora_mail and "Adam" not in cora_mail
    assert "1 review assigned to you is not submitted" in cora_mail
    rita_mail = by_recipient["rita@ox.ac.uk"].body
    assert subs["A"].code in rita_mail and subs["B"].code in rita_mail


def test_reminders_are_not_sent_twice_in_a_row(
    client, subs, alice, committee, django_capture_on_commit_callbacks
):
    assign(subs["B"], committee["rita"])
    client.force_login(alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url("manage_remind"), follow=True)
        again = client.post(url("manage_remind"), follow=True)  # a double click, a reload

    assert [m.to for m in mail.outbox] == [["rita@ox.ac.uk"]]
    assert "1 reminder queued." in text(first)
    assert "0 reminders queued." in text(again)
    assert "1 reviewer was reminded less than 10 minutes ago and not mailed again." in text(again)

    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url("manage_remind"))
    assert len(mail.outbox) == 2


def test_export_csv_and_xlsx(client, subs, alice, committee, criteria):
    assign(subs["B"], committee["rita"])
    submit_review(subs["B"], committee["rita"], criteria, comments_to_authors="=HYPERLINK(1)")
    client.force_login(alice)
    response = client.get(url("manage_csv"))
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Submission",
        "Title",
        "Track",
        "Type",
        "Reviewer",
        "Reviewer email",
        "State",
    ]
    assert [r[0] for r in rows[1:]] == [subs["B"].code]
    assert "'=HYPERLINK(1)" in rows[1]

    response = client.get(url("manage_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == subs["B"].code
    assert sheet.max_row == 2


# --- Settings and form -------------------------------------------------------------------------


def test_settings_deadline_in_event_zone(client, subs, alice, event):
    client.force_login(alice)
    response = client.post(
        url("manage_settings"),
        {
            "deadline_local": "2026-07-01T23:59",
            "reviewers_per_submission": "2",
            "min_load": "0",
            "max_load": "5",
            "double_blind": "on",
            "bid_bonus_eager": "0.5",
            "bid_bonus_willing": "0.2",
            "bid_bonus_not_willing": "-1",
            "top_n": "100",
        },
    )
    assert response.status_code == 302
    config = domain.get_settings(event)
    assert config.review_deadline.isoformat() == "2026-07-01T22:59:00+00:00"  # BST


def test_settings_reject_min_above_max(client, subs, alice):
    client.force_login(alice)
    response = client.post(
        url("manage_settings"),
        {
            "reviewers_per_submission": "2",
            "min_load": "5",
            "max_load": "1",
            "top_n": "10",
            "bid_bonus_eager": "0",
            "bid_bonus_willing": "0",
            "bid_bonus_not_willing": "0",
        },
    )
    assert "The maximum load cannot be below the minimum load." in text(response)


def test_review_form_criteria(client, subs, alice, event):
    client.force_login(alice)
    data = {
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-label": "Soundness",
        "criteria-0-scale_min": "1",
        "criteria-0-scale_max": "4",
        "criteria-0-weight": "2",
        "criteria-0-position": "0",
        "criteria-0-labels_text": "1 = unsound\n4 = solid",
    }
    assert client.post(url("manage_form"), data).status_code == 302
    criterion = Criterion.objects.get()
    assert criterion.labels == {"1": "unsound", "4": "solid"}

    data["criteria-0-labels_text"] = "9 = too high"
    data["criteria-0-label"] = "Other"
    response = client.post(url("manage_form"), data)
    assert "Line 1: 9 is outside the scale." in text(response)


def criteria_post(criteria, **changes):
    """The review form's POST data for `criteria` as they are, with `changes` applied."""
    data = {
        "criteria-TOTAL_FORMS": str(len(criteria)),
        "criteria-INITIAL_FORMS": str(len(criteria)),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(criteria):
        data.update(
            {
                f"criteria-{i}-id": str(c.pk),
                f"criteria-{i}-label": c.label,
                f"criteria-{i}-scale_min": str(c.scale_min),
                f"criteria-{i}-scale_max": str(c.scale_max),
                f"criteria-{i}-weight": str(c.weight),
                f"criteria-{i}-position": str(c.position),
                f"criteria-{i}-labels_text": "",
            }
        )
    data.update(changes)
    return data


def test_scale_cannot_drop_scores_already_given(client, subs, alice, committee, criteria):
    assign(subs["B"], committee["rita"])
    submit_review(subs["B"], committee["rita"], criteria)  # 4 on both criteria
    client.force_login(alice)

    response = client.post(
        url("manage_form"), criteria_post(criteria, **{"criteria-0-scale_max": "3"})
    )

    assert "1 review already scores Originality 4, outside 1–3" in text(response)
    assert 'name="criteria-0-scale_max" value="3"' in text(response)  # the input is kept
    assert Criterion.objects.get(pk=criteria[0].pk).scale_max == 5


def test_weights_changed_update_stored_scores(client, subs, alice, committee, criteria):
    assign(subs["B"], committee["rita"])
    review = submit_review(
        subs["B"], committee["rita"], criteria, scores={criteria[0].pk: 5, criteria[1].pk: 1}
    )
    assert review.weighted_score == round(2 / 3, 4)  # weights 2 and 1
    client.force_login(alice)

    response = client.post(
        url("manage_form"), criteria_post(criteria, **{"criteria-0-weight": "0"})
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.weighted_score == 0.0  # only Clarity counts now, and it got the lowest score
    assert review.scores == {str(criteria[0].pk): 5, str(criteria[1].pk): 1}


@pytest.mark.parametrize("weight", ["1e308", "1001", "-1", "nan", "inf"])
def test_unreasonable_weights_are_refused(client, subs, alice, criteria, weight):
    client.force_login(alice)

    response = client.post(
        url("manage_form"), criteria_post(criteria, **{"criteria-0-weight": weight})
    )

    assert response.status_code == 200
    assert "Please correct the marked fields" in text(response)
    assert Criterion.objects.get(pk=criteria[0].pk).weight == 2.0


# --- Committee ---------------------------------------------------------------------------------


def test_invite_reviewers(
    client, subs, alice, event, committee, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    client.force_login(alice)
    response = client.post(
        url("manage_committee"),
        {"people": "vera@lse.ac.uk, Vera Reviewer\nrita@ox.ac.uk\nnot-an-address"},
    )
    assert "Line 3: “not-an-address” is not an email address." in text(response)
    assert Invitation.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("manage_committee"), {"people": "vera@lse.ac.uk, Vera Reviewer\nrita@ox.ac.uk"}
        )
    assert list(Invitation.objects.values_list("email", "name")) == [
        ("vera@lse.ac.uk", "Vera Reviewer")
    ]
    assert [m.to for m in mail.outbox] == [["vera@lse.ac.uk"]]
    assert "/mathml2020/reviews/invitation/" in mail.outbox[0].body


def test_committee_page_lists_members(client, subs, alice, committee):
    client.force_login(alice)
    page = text(client.get(url("manage_committee")))
    assert "Rita Reviewer" in page and "cora@warwick.ac.uk" in page


def test_remove_reviewer_and_loads(client, subs, alice, committee, rita, event):
    client.force_login(alice)
    client.post(
        url("manage_reviewer", pk=committee["rita"].pk),
        {"action": "loads", "min_load": "1", "max_load": "2"},
    )
    committee["rita"].refresh_from_db()
    assert (committee["rita"].min_load, committee["rita"].max_load) == (1, 2)
    client.post(url("manage_reviewer", pk=committee["rita"].pk), {"action": "remove"})
    client.force_login(rita)
    assert client.get(url("bids")).status_code == 404


def test_unknown_committee_actions_change_nothing(client, subs, alice, committee, event):
    """A mistyped or forged action is refused; it used to clear the loads or withdraw."""
    rita = committee["rita"]
    domain.set_reviewer_loads(rita, min_load=1, max_load=2, by=alice)
    invitation = domain.invite_reviewers(event, people=[("new@x.org", "New")], by=alice)
    pending = Invitation.objects.get(email="new@x.org")
    client.force_login(alice)

    bogus_reviewer = client.post(url("manage_reviewer", pk=rita.pk), {"action": "bogus"})
    bogus_invitation = client.post(url("manage_invitation", pk=pending.pk, action="bogus"))

    assert bogus_reviewer.status_code == bogus_invitation.status_code == 404
    rita.refresh_from_db()
    pending.refresh_from_db()
    assert (rita.min_load, rita.max_load) == (1, 2)
    assert pending.state == "pending" and invitation.sent


@pytest.mark.parametrize("n", [1, 3])
def test_committee_query_count(client, event, alice, n, django_assert_num_queries):
    from tests.conftest import make_user

    for i in range(n):
        Reviewer.objects.create(event=event, user=make_user(f"r{i}@x.org", f"R {i}"))
        Invitation.objects.create(event=event, email=f"i{i}@x.org", token_hash=f"{i:064d}")
    client.force_login(alice)
    client.get(url("manage_committee"))
    with django_assert_num_queries(13):
        client.get(url("manage_committee"))


# --- Conflicts ---------------------------------------------------------------------------------


def test_detect_and_decide_conflicts(client, subs, alice, event, committee, rita):
    from symposia.cfp.models import SubmissionAuthor

    SubmissionAuthor.objects.filter(submission=subs["B"]).update(affiliation="Univ. of Oxford")
    client.force_login(alice)
    client.post(url("manage_detect"))
    conflict = Conflict.objects.get(user=rita)
    assert (conflict.submission, conflict.source, conflict.status) == (
        subs["B"],
        "affiliation",
        "detected",
    )
    page = text(client.get(url("manage_conflicts")))
    assert "Same affiliation" in page and "Rita Reviewer" in page

    client.post(url("manage_decide_conflict", pk=conflict.pk), {"status": "dismissed"})
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.DISMISSED and conflict.decided_by == alice


@pytest.mark.parametrize("n", [1, 3])
def test_conflicts_query_count(client, subs, alice, event, rita, bob, n, django_assert_num_queries):
    for i in range(n):
        s = make_submission(event, bob, title=f"C{i}")
        Conflict.objects.create(event=event, submission=s, user=rita, source="affiliation")
    client.force_login(alice)
    client.get(url("manage_conflicts"))
    with django_assert_num_queries(10):
        client.get(url("manage_conflicts"))


# --- Assignment --------------------------------------------------------------------------------


PARAMS = {
    "k": "1",
    "min_load": "0",
    "max_load": "2",
    "top_n": "50",
    "bonus_eager": "0.5",
    "bonus_willing": "0.2",
    "bonus_not_willing": "-1",
}


def pairs():
    return sorted(
        (a.submission.title, a.reviewer.user.name, a.source)
        for a in Assignment.objects.select_related("submission", "reviewer__user")
    )


def test_run_assignment_respects_conflicts(client, subs, alice):
    client.force_login(alice)
    response = client.post(url("manage_assignment"), PARAMS)
    run = AssignmentRun.objects.get()
    assert response["Location"] == url("manage_run", pk=run.pk)
    assert run.status == "done"
    # cora is conflicted with A, so A goes to rita; B to either.
    assert ("Adam's $L^2$ estimates", "Rita Reviewer", "auto") in pairs()
    assert len(pairs()) == 2
    page = text(client.get(url("manage_run", pk=run.pk)))
    assert "Total affinity" in page and "Load per reviewer" in page
    # The parameters in the organiser's words, not the code's.
    assert "<dt>Reviewers per submission</dt><dd>1</dd>" in page
    assert "<dt>Fairness: raise the worst-off submission's affinity first</dt><dd>no</dd>" in page
    assert "min_load" not in page and "False" not in page


def test_infeasible_run_explains(client, subs, alice):
    client.force_login(alice)
    client.post(url("manage_assignment"), {**PARAMS, "k": "2", "max_load": "1"})
    run = AssignmentRun.objects.get()
    assert run.status == "infeasible"
    page = text(client.get(url("manage_run", pk=run.pk)))
    assert "No assignment satisfies these settings" in page
    assert run.messages and "reviews" in run.messages[0]
    assert Assignment.objects.count() == 0


def test_manual_edits_survive_rerun(client, subs, alice, committee):
    client.force_login(alice)
    client.post(url("manage_assignment"), {**PARAMS, "max_load": "1"})
    b_auto = Assignment.objects.get(submission=subs["B"])
    assert b_auto.reviewer == committee["cora"]  # rita took A (cora is conflicted)

    # Swap by hand: remove cora from B, add rita to B (rita's load 2 is above max 1 later,
    # so raise it in the rerun).
    client.post(url("manage_assignment_remove", pk=b_auto.pk))
    client.post(
        url("manage_assignment_add", code=subs["B"].code), {"reviewer": committee["rita"].pk}
    )
    assert ForbiddenPair.objects.filter(submission=subs["B"], reviewer=committee["cora"]).exists()

    client.post(url("manage_assignment"), {**PARAMS, "max_load": "2"})
    assert pairs() == [
        ("Adam's $L^2$ estimates", "Rita Reviewer", "auto"),
        ("Bob's gradient flows", "Rita Reviewer", "manual"),
    ]


def test_manual_add_refuses_conflict(client, subs, alice, committee):
    client.force_login(alice)
    response = client.post(
        url("manage_assignment_add", code=subs["A"].code),
        {"reviewer": committee["cora"].pk},
        follow=True,
    )
    assert "has a conflict of interest" in text(response)
    assert Assignment.objects.count() == 0


def test_foreign_ids_are_404(client, subs, alice, committee):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    foreign = Reviewer.objects.create(event=other, user=alice)
    client.force_login(alice)
    response = client.post(
        url("manage_assignment_add", code=subs["B"].code), {"reviewer": foreign.pk}
    )
    assert response.status_code == 302
    assert Assignment.objects.count() == 0
    assert (
        client.post(url("manage_reviewer", pk=foreign.pk), {"action": "remove"}).status_code == 404
    )


@pytest.mark.parametrize("n", [1, 3])
def test_assignment_page_query_count(
    client, event, call, config, alice, committee, bob, n, django_assert_num_queries
):
    for i in range(n):
        assign(make_submission(event, bob, title=f"P{i}"), committee["rita"])
    client.force_login(alice)
    client.get(url("manage_assignment"))
    with django_assert_num_queries(16):
        response = client.get(url("manage_assignment"))
    assert text(response).count("Rita Reviewer</bdi>") == n


@pytest.mark.parametrize("n", [1, 3])
def test_dashboard_query_count(
    client, event, call, config, alice, committee, bob, n, django_assert_num_queries
):
    for i in range(n):
        assign(make_submission(event, bob, title=f"P{i}"), committee["rita"])
    client.force_login(alice)
    client.get(url("manage"))
    with django_assert_num_queries(17):  # 3 of them find the members who are authors
        client.get(url("manage"))


def test_pinned_source_kept_after_auto(subs, alice, committee):
    a = assign(subs["B"], committee["rita"])
    assert a.source == AssignmentSource.MANUAL


def test_overdue_list_after_deadline(client, subs, alice, committee, config, criteria):
    import datetime as dt

    import time_machine

    assign(subs["A"], committee["rita"])
    assign(subs["B"], committee["cora"])
    submit_review(subs["B"], committee["cora"], criteria)
    client.force_login(alice)
    page = text(client.get(url("manage")))
    assert "Nothing is overdue before the deadline." in page
    with time_machine.travel(config.review_deadline + dt.timedelta(seconds=1), tick=False):
        page = text(client.get(url("manage")))
    overdue = page.split('id="overdue-title"')[1].split("</section>")[0]
    assert "Rita Reviewer" in overdue and subs["A"].code in overdue
    assert "Cora" not in overdue


def test_large_runs_go_to_the_worker(
    client, subs, alice, monkeypatch, django_capture_on_commit_callbacks
):
    from symposia.reviews import assigning

    monkeypatch.setattr(assigning, "SYNC_LIMIT", 0)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("manage_assignment"), PARAMS)
    run = AssignmentRun.objects.get()
    assert run.status == "queued"
    assert "refreshes itself" in text(client.get(url("manage_run", pk=run.pk)))
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == "done" and Assignment.objects.count() == 2


def test_manual_add_by_email(client, subs, alice, committee):
    client.force_login(alice)
    page = text(client.get(url("manage_assignment")))
    assert '<option value="rita@ox.ac.uk">Rita Reviewer</option>' in page
    client.post(url("manage_assignment_add", code=subs["B"].code), {"reviewer": "RITA@ox.ac.uk"})
    response = client.post(
        url("manage_assignment_add", code=subs["B"].code),
        {"reviewer": "oscar@example.org"},
        follow=True,
    )
    assert "Choose a member of the committee (by email address)." in text(response)
    assert pairs() == [("Bob's gradient flows", "Rita Reviewer", "manual")]


def test_add_conflict_by_hand(client, subs, alice, rita, committee):
    client.force_login(alice)
    client.post(
        url("manage_add_conflict"), {"code": subs["B"].code.lower(), "reviewer": "rita@ox.ac.uk"}
    )
    assert list(Conflict.objects.filter(user=rita).values_list("source", "status")) == [
        ("organiser", "confirmed")
    ]
    response = client.post(
        url("manage_add_conflict"), {"code": subs["C"].code, "reviewer": "rita@ox.ac.uk"}
    )
    # Drafts are not reviewable: the error is next to the field and what was typed stays.
    page = text(response)
    assert response.status_code == 400
    assert f"No submission of this event has the code “{subs['C'].code}”." in page
    assert 'value="rita@ox.ac.uk"' in page


def test_add_conflict_by_hand_keeps_bad_input(client, subs, alice, committee):
    client.force_login(alice)

    response = client.post(
        url("manage_add_conflict"), {"code": subs["B"].code, "reviewer": "oscar@example.org"}
    )

    page = text(response)
    assert response.status_code == 400
    assert "oscar@example.org is not on this event's committee." in page
    assert f'value="{subs["B"].code}"' in page
    assert Conflict.objects.filter(source="organiser").count() == 0
