"""The visible set of each role, and 404 for everything else."""

import pytest
from django.http import Http404

from symposia.reviews import domain, rules
from symposia.reviews.enums import ConflictStatus
from symposia.reviews.models import Conflict


def codes(qs):
    return sorted(s.title for s in qs)


def test_visible_submissions_per_role(subs, event, alice, rita, cora, adam, bob, oscar):
    assert codes(rules.visible_submissions(alice, event)) == [
        "Adam's $L^2$ estimates",
        "Bob's gradient flows",
        "Bob's withdrawn poster",
    ]
    assert codes(rules.visible_submissions(rita, event)) == [
        "Adam's $L^2$ estimates",
        "Bob's gradient flows",
    ]
    assert codes(rules.visible_submissions(cora, event)) == ["Bob's gradient flows"]
    assert codes(rules.visible_submissions(adam, event)) == ["Adam's $L^2$ estimates"]
    assert codes(rules.visible_submissions(bob, event)) == [
        "Bob's draft",
        "Bob's gradient flows",
        "Bob's withdrawn poster",
    ]
    assert codes(rules.visible_submissions(oscar, event)) == []


def test_anonymous_sees_nothing(subs, event):
    from django.contrib.auth.models import AnonymousUser

    assert codes(rules.visible_submissions(AnonymousUser(), event)) == []


def test_detected_conflict_hides_until_dismissed(subs, event, rita):
    conflict = Conflict.objects.create(
        event=event, submission=subs["B"], user=rita, source="affiliation"
    )
    assert codes(rules.visible_submissions(rita, event)) == ["Adam's $L^2$ estimates"]

    domain.decide_conflict(conflict, status=ConflictStatus.DISMISSED, by=None)

    assert codes(rules.visible_submissions(rita, event)) == [
        "Adam's $L^2$ estimates",
        "Bob's gradient flows",
    ]


def test_removed_reviewer_sees_nothing(subs, event, rita, committee):
    domain.set_reviewer_status(committee["rita"], "inactive", by=None)

    assert codes(rules.visible_submissions(rita, event)) == []


def test_get_access_roles_and_404(subs, event, alice, rita, cora, adam, oscar):
    code = subs["A"].code
    assert rules.get_access(alice, event, code).role == "organiser"
    assert rules.get_access(rita, event, code).role == "reviewer"
    assert rules.get_access(adam, event, code).role == "author"
    for user in (cora, oscar):
        with pytest.raises(Http404):
            rules.get_access(user, event, code)
    with pytest.raises(Http404):
        rules.get_access(rita, event, subs["C"].code)  # a draft
    with pytest.raises(Http404):
        rules.get_access(rita, event, "NOSUCHCODE")


def test_reviewer_who_is_author_sees_own_submission_as_author(subs, event, rita, committee):
    from tests.reviews.conftest import make_submission

    own = make_submission(event, rita, title="Rita's own poster")
    access = rules.get_access(rita, event, own.code)

    assert access.role == "author"
    assert not access.may_review
    assert not access.may_read_reviews


def test_other_event_code_is_404(subs, event, rita):
    from symposia.events.models import Event

    other = Event.objects.create(slug="other", title="Other")
    with pytest.raises(Http404):
        rules.get_access(rita, other, subs["A"].code)


def test_reviews_and_discussion_open_after_own_review(subs, event, rita, committee, criteria):
    from tests.reviews.conftest import assign

    assign(subs["B"], committee["rita"])
    access = rules.get_access(rita, event, subs["B"].code)
    assert access.may_review and not access.may_read_reviews

    domain.save_review(
        subs["B"],
        reviewer=committee["rita"],
        data=domain.ReviewData(scores={c.pk: 4 for c in criteria}, recommendation=4, confidence=3),
        submit=True,
    )

    assert rules.get_access(rita, event, subs["B"].code).may_read_reviews
