"""Automatic conflict detection: affiliations, email domains, co-authorship."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symposia.cfp.domain import AuthorData
from symposia.reviews import domain
from symposia.reviews.conflicts import (
    AuthorRow,
    Person,
    detect,
    institution_domain,
    normalise_affiliation,
    registrable_domain,
)
from symposia.reviews.enums import ConflictStatus
from symposia.reviews.models import Conflict
from tests.conftest import make_user
from tests.reviews.conftest import make_submission


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("University of Bath", "university bath"),
        ("Univ. of Bath", "university bath"),
        ("The University of Bath", "university bath"),
        ("Department of Mathematical Sciences, University of Bath", "university bath"),
        ("Dept. of Computer Science, The Univ. of Bath", "university bath"),
        ("  UNIVERSITY   OF BATH.", "university bath"),
        ("Université Paris-Saclay", "university paris saclay"),
        ("ETH Zürich", "eth zurich"),
        (
            "Max Planck Inst. for Intelligent Systems",
            "max planck institute for intelligent systems",
        ),
        ("", ""),
        ("---", ""),
    ],
)
def test_normalise_affiliation(raw, expected):
    assert normalise_affiliation(raw) == expected


@given(st.text(max_size=80))
def test_normalise_is_idempotent(text):
    once = normalise_affiliation(text)
    assert normalise_affiliation(once) == once


@pytest.mark.parametrize(
    "domain_name, expected",
    [
        ("maths.bath.ac.uk", "bath.ac.uk"),
        ("bath.ac.uk", "bath.ac.uk"),
        ("cs.stanford.edu", "stanford.edu"),
        ("unimelb.edu.au", "unimelb.edu.au"),
        ("mail.tsinghua.edu.cn", "tsinghua.edu.cn"),
        ("ethz.ch", "ethz.ch"),
        ("inf.ethz.ch", "ethz.ch"),
    ],
)
def test_registrable_domain(domain_name, expected):
    assert registrable_domain(domain_name) == expected


@pytest.mark.parametrize(
    "email, expected",
    [
        ("a@gmail.com", ""),
        ("a@qq.com", ""),
        ("a@163.com", ""),
        ("a@mail.yahoo.com", ""),
        ("a@maths.bath.ac.uk", "bath.ac.uk"),
        ("no-at-sign", ""),
    ],
)
def test_institution_domain_ignores_public_providers(email, expected):
    assert institution_domain(email) == expected


def test_detect_rules():
    members = [
        (1, Person("rita@maths.ox.ac.uk", "Univ. of Oxford", 1)),
        (2, Person("gina@gmail.com", "Somewhere", 2)),
        (3, Person("carl@cam.ac.uk", "", 3)),
    ]
    authors = [
        AuthorRow(10, Person("x@stats.ox.ac.uk", "Other place")),  # same domain as rita
        AuthorRow(11, Person("y@example.net", "University of Oxford")),  # same affiliation
        AuthorRow(12, Person("z@gmail.com", "Elsewhere")),  # gmail: no conflict with gina
        AuthorRow(13, Person("carl@cam.ac.uk", "")),  # carl is an author of 13
        AuthorRow(13, Person("dora@kth.se", "")),
        AuthorRow(14, Person("dora@kth.se", "")),  # dora co-authored 13 with carl
    ]
    found = [(f.submission_id, f.user_id, f.source) for f in detect(members, authors)]
    assert found == [
        (10, 1, "email_domain"),
        (11, 1, "affiliation"),
        (13, 3, "author"),
        (14, 3, "coauthor"),
    ]


def test_detect_conflicts_saves_and_keeps_decisions(
    event, call, config, alice, committee, rita, bob
):
    sub = make_submission(
        event,
        bob,
        authors=[
            AuthorData("Bob Author", "bob@cam.ac.uk", "Cambridge", "UK", True),
            AuthorData("Olga", "olga@maths.ox.ac.uk", "Dept. of Statistics, Univ. of Oxford", "UK"),
        ],
    )
    result = domain.detect_conflicts(event)
    assert result.created == 2
    rows = sorted(Conflict.objects.values_list("user__email", "source", "status"))
    assert rows == [
        ("rita@ox.ac.uk", "affiliation", "detected"),
        ("rita@ox.ac.uk", "email_domain", "detected"),
    ]
    for conflict in Conflict.objects.all():
        domain.decide_conflict(conflict, status=ConflictStatus.DISMISSED, by=alice)

    again = domain.detect_conflicts(event)
    assert again.created == 0
    assert set(Conflict.objects.values_list("status", flat=True)) == {"dismissed"}

    # The author list changes: undecided findings that no longer hold disappear.
    Conflict.objects.update(status=ConflictStatus.DETECTED)
    sub.authors.filter(email="olga@maths.ox.ac.uk").delete()
    assert domain.detect_conflicts(event).removed == 2
    assert Conflict.objects.count() == 0


def test_reviewer_who_is_coauthor_elsewhere(event, call, config, alice, committee, rita, bob):
    # rita and olga wrote submission 1 together; olga is an author of submission 2.
    make_submission(
        event,
        rita,
        title="Joint",
        authors=[
            AuthorData("Rita", "rita@ox.ac.uk", "", "UK", True),
            AuthorData("Olga", "olga@kth.se", "", "SE"),
        ],
    )
    second = make_submission(
        event,
        bob,
        title="Olga's",
        authors=[
            AuthorData("Bob", "bob@cam.ac.uk", "", "UK", True),
            AuthorData("Olga", "olga@kth.se", "", "SE"),
        ],
    )
    domain.detect_conflicts(event)
    assert sorted(
        Conflict.objects.filter(user=rita).values_list("submission__title", "source")
    ) == [
        ("Joint", "author"),
        (second.title, "coauthor"),
    ]


def test_author_declaration_only_names_committee(event, call, config, adam, committee, oscar):
    sub = make_submission(event, adam)
    with pytest.raises(domain.ReviewError):
        domain.declare_author_conflicts(sub, users=[oscar], by=adam)
    domain.declare_author_conflicts(sub, users=[committee["rita"].user], by=adam)
    domain.declare_author_conflicts(sub, users=[committee["cora"].user], by=adam)
    assert list(Conflict.objects.values_list("user__email", "status")) == [
        ("cora@warwick.ac.uk", "confirmed")
    ]


def test_outsider_user_unaffected(event, call, config, committee):
    make_user("x@ox.ac.uk", "X", affiliation="University of Oxford")
    assert domain.detect_conflicts(event).total == 0
