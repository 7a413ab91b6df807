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


@pytest.fixture
def rita_coauthor(event, subs, bob, rita):
    """Bob's new submission lists rita, a reviewer, among its authors; no detection has run."""
    from symposia.cfp.domain import AuthorData
    from tests.reviews.conftest import make_submission

    return make_submission(
        event,
        bob,
        title="Bob and Rita's poster",
        authors=[
            AuthorData(bob.display_name, bob.email, bob.affiliation, "UK", True),
            AuthorData("Rita R.", rita.email.upper(), "", "", False),
        ],
    )


def test_an_author_is_conflicted_without_detection(rita_coauthor, event, rita, committee):
    assert not Conflict.objects.filter(user=rita).exists()

    assert rules.is_conflicted(rita, rita_coauthor)
    assert codes(rules.reviewer_submissions(rita, event)) == [
        "Adam's $L^2$ estimates",
        "Bob's gradient flows",
    ]
    # ... and still sees it, as its author.
    assert "Bob and Rita's poster" in codes(rules.visible_submissions(rita, event))
    assert rules.get_access(rita, event, rita_coauthor.code).role == "author"
    assert (rita_coauthor.pk, rita.pk) in rules.author_pairs(event)


def test_a_dismissed_detection_does_not_clear_authorship(rita_coauthor, event, rita):
    conflict = Conflict.objects.create(
        event=event, submission=rita_coauthor, user=rita, source="author"
    )
    domain.decide_conflict(conflict, status=ConflictStatus.DISMISSED, by=None)

    assert rules.is_conflicted(rita, rita_coauthor)


def test_an_author_is_neither_assigned_nor_reminded(rita_coauthor, event, committee, alice):
    from symposia.reviews import assigning
    from symposia.reviews.models import Assignment

    with pytest.raises(domain.ReviewError, match="conflict of interest"):
        domain.add_assignment(rita_coauthor, reviewer=committee["rita"], by=alice)
    with pytest.raises(domain.ReviewError):
        domain.set_bids(committee["rita"], {rita_coauthor: "eager"})

    loaded = assigning.load_problem(event, assigning.Parameters(k=1))
    index = [s.pk for s in loaded.submissions].index(rita_coauthor.pk)
    assert [index, 0] in loaded.problem.conflicts.tolist()  # rita is reviewer 0

    # A pair made before the rule existed is left out of the reminders.
    Assignment.objects.create(submission=rita_coauthor, reviewer=committee["rita"])
    assert rita_coauthor not in domain.missing_reviews(event).get(committee["rita"], [])
