"""Organisers' pages: settings, lists, detail, exports, dashboard; outsiders refused."""

import csv
import datetime as dt
import io
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from symposia.cfp import domain
from symposia.cfp.domain import AuthorData, SubmissionContent
from symposia.cfp.models import Call, ContributionType, Question, Submission, Track

UTC = dt.UTC
MANAGE = [
    "cfp:manage",
    "cfp:manage_settings",
    "cfp:manage_types",
    "cfp:manage_tracks",
    "cfp:manage_questions",
    "cfp:manage_extensions",
    "cfp:manage_submissions",
    "cfp:manage_csv",
    "cfp:manage_xlsx",
]


def make_submission(
    event,
    owner,
    *,
    title="A poster",
    authors=None,
    type_name="Poster",
    track="Optimisation",
    submit=True,
):
    authors = authors or [AuthorData(owner.display_name, owner.email, "Bath", "UK", True)]
    draft = domain.save_draft(
        event,
        by=owner,
        content=SubmissionContent(
            title=title,
            abstract="Abstract with $x$.",
            keywords="ml",
            contribution_type=ContributionType.objects.get(event=event, name=type_name),
            track=Track.objects.get(event=event, name=track),
            authors=authors,
        ),
        idempotency_key=uuid.uuid4(),
    )
    if submit:
        domain.submit(draft, by=owner, idempotency_key=uuid.uuid4())
    draft.refresh_from_db()
    return draft


def r(name, **kwargs):
    return reverse(name, kwargs={"event": "mathml2020", **kwargs})


@pytest.mark.parametrize("name", MANAGE)
def test_outsider_and_author_are_refused(client, call, oscar, adam, name):
    for user in (oscar, adam):
        client.force_login(user)
        assert client.get(r(name)).status_code == 404


@pytest.mark.parametrize("name", MANAGE)
def test_anonymous_is_sent_to_log_in(client, call, name):
    response = client.get(r(name))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_outsider_cannot_change_settings(client, call, oscar):
    client.force_login(oscar)

    client.post(r("cfp:manage_settings"), {"grace_minutes": "999"})

    call.refresh_from_db()
    assert call.grace_minutes == 0


def test_outsider_cannot_see_a_submission_detail(client, call, oscar, adam):
    submission = make_submission(call.event, adam)
    client.force_login(oscar)

    assert client.get(r("cfp:manage_submission", code=submission.code)).status_code == 404


# --- settings ---------------------------------------------------------------------------------


def settings_data(**overrides):
    data = {
        "intro": "Welcome",
        "deadline_zone": "aoe",
        "opens_local": "2020-03-01T00:00:00",
        "closes_local": "2020-03-30T23:59:59",
        "grace_minutes": "0",
        "abstract_limit": "300",
        "abstract_unit": "words",
        "pdf_requirement": "optional",
        "pdf_label": "Extended abstract (PDF)",
        "pdf_max_mb": "10",
    }
    data.update(overrides)
    return data


def test_organiser_sets_an_aoe_deadline(client, event, alice):
    client.force_login(alice)

    response = client.post(r("cfp:manage_settings"), settings_data())

    call = Call.objects.get(event=event)
    assert response.status_code == 302
    assert call.closes_at == dt.datetime(2020, 3, 31, 11, 59, 59, tzinfo=UTC)
    assert call.format(call.closes_at) == "Monday 30 March 2020, 23:59 AoE"


def test_organiser_sets_a_deadline_in_the_events_zone_in_summer_time(client, event, alice):
    client.force_login(alice)

    client.post(
        r("cfp:manage_settings"),
        settings_data(deadline_zone="event", closes_local="2020-06-30T17:00"),
    )

    call = Call.objects.get(event=event)
    assert call.closes_at == dt.datetime(2020, 6, 30, 16, 0, tzinfo=UTC)
    form = client.get(r("cfp:manage_settings")).context["form"]
    assert form.initial["closes_local"] == dt.datetime(2020, 6, 30, 17, 0)


def test_settings_refuse_a_time_skipped_by_the_clock_change(client, event, alice):
    client.force_login(alice)

    response = client.post(
        r("cfp:manage_settings"),
        settings_data(deadline_zone="event", closes_local="2020-03-29T01:30"),
    )

    assert "does not exist in this time zone" in response.context["form"].errors["closes_local"][0]
    assert not Call.objects.exists()


def test_settings_refuse_deadline_before_opening_and_bad_values(client, event, alice):
    client.force_login(alice)

    response = client.post(
        r("cfp:manage_settings"),
        settings_data(closes_local="2020-02-01T00:00", pdf_max_mb="500", grace_minutes="-5"),
    )

    errors = response.context["form"].errors
    assert errors["closes_local"] == ["The deadline must be after the opening."]
    assert errors["pdf_max_mb"] == ["Between 1 and 50 MB."]
    assert "grace_minutes" in errors


def test_settings_refuse_a_grace_period_or_year_that_would_break_the_call(client, event, alice):
    # A grace of 10**12 minutes was saved and every page of the call then failed (OverflowError).
    client.force_login(alice)

    response = client.post(
        r("cfp:manage_settings"),
        settings_data(grace_minutes=str(10**12), closes_local="9999-12-31T23:59"),
    )

    errors = response.context["form"].errors
    assert errors["grace_minutes"] == ["At most 10080 minutes (a week); usually a few minutes."]
    assert errors["closes_local"] == ["Enter a date between the years 1970 and 2999."]
    assert response.context["form"]["grace_minutes"].value() == str(10**12)
    assert not Call.objects.exists()


def test_call_pages_survive_a_huge_grace_stored_through_the_admin(client, call, alice, adam):
    # The largest value every database stores in the field: about 4,000 years past the deadline.
    call.grace_minutes = 2**31 - 1
    call.save()

    client.force_login(adam)
    assert client.get(r("cfp:call")).status_code == 200
    assert client.get(r("cfp:submit")).status_code == 200
    client.force_login(alice)
    assert client.get(r("cfp:manage")).status_code == 200


def test_types_with_their_own_deadline(client, call, alice):
    client.force_login(alice)
    formset = client.get(r("cfp:manage_types")).context["formset"]
    data = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms[:2]):
        data.update(
            {
                f"items-{i}-id": str(form.instance.pk),
                f"items-{i}-name": form.instance.name,
                f"items-{i}-position": str(i),
                f"items-{i}-is_active": "on",
            }
        )
    data.update(
        {
            "items-2-name": "Lightning talk",
            "items-2-position": "3",
            "items-2-is_active": "on",
            "items-2-closes_local": "2020-04-15T23:59:59",
            "items-2-duration_minutes": "5",
        }
    )

    client.post(r("cfp:manage_types"), data)

    lightning = ContributionType.objects.get(name="Lightning talk")
    assert lightning.event == call.event
    assert lightning.closes_at == dt.datetime(2020, 4, 16, 11, 59, 59, tzinfo=UTC)


def test_choice_question_needs_options(client, call, alice):
    client.force_login(alice)
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-label": "Dietary needs",
        "items-0-kind": "choice",
        "items-0-visibility": "organisers",
        "items-0-position": "0",
        "items-0-options_text": "Vegan",
    }

    response = client.post(r("cfp:manage_questions"), data)
    data["items-0-options_text"] = "Vegan\r\nVegetarian\r\n\r\n"
    client.post(r("cfp:manage_questions"), data)

    assert response.context["formset"].forms[0].errors["options_text"] == [
        "A choice question needs at least two options."
    ]
    assert Question.objects.get().options == ["Vegan", "Vegetarian"]


def test_tracks_can_be_added(client, call, alice):
    client.force_login(alice)
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-name": "Statistics",
        "items-0-position": "5",
    }

    client.post(r("cfp:manage_tracks"), data)

    assert sorted(Track.objects.values_list("name", flat=True)) == [
        "Optimal transport",
        "Optimisation",
        "Statistics",
    ]


def test_grant_extension_mails_the_link(
    client, call, alice, adam, django_capture_on_commit_callbacks
):
    # Signed links embed the second they are made: freeze the clock so both links match.
    with time_machine.travel(timezone.now(), tick=False):
        _grant_extension_and_check(client, call, alice, adam, django_capture_on_commit_callbacks)


def _grant_extension_and_check(client, call, alice, adam, django_capture_on_commit_callbacks):
    submission = make_submission(call.event, adam)
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            r("cfp:manage_extensions"),
            {
                "email": "adam@imperial.ac.uk",
                "until_local": "2099-01-01T12:00",
                "submission_code": submission.code.lower(),
            },
        )
    page = client.get(r("cfp:manage_extensions")).content.decode()

    extension = submission.extensions.get()
    link = domain.extension_url(extension)
    assert extension.until == dt.datetime(2099, 1, 2, 0, 0, tzinfo=UTC)
    assert link in mail.outbox[-1].body
    assert link in page


# --- submissions list --------------------------------------------------------------------------


@pytest.fixture
def three(call, adam, petra, rita):
    return [
        make_submission(
            call.event,
            adam,
            title="Gradient flows",
            authors=[AuthorData("Łukasz Żółć", "adam@imperial.ac.uk", "Warsaw", "Poland", True)],
        ),
        make_submission(
            call.event,
            petra,
            title="Kernel methods",
            type_name="Contributed talk",
            track="Optimal transport",
        ),
        make_submission(call.event, rita, title="Unfinished draft", submit=False),
    ]


def titles(response):
    return [s.title for s in response.context["page"]]


def test_list_hides_drafts_and_counts_states(client, alice, three):
    client.force_login(alice)

    response = client.get(r("cfp:manage_submissions"))

    assert sorted(titles(response)) == ["Gradient flows", "Kernel methods"]
    counts = {value: n for value, _, n in response.context["counts"]}
    assert (counts["submitted"], counts["draft"]) == (2, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Żółć"}, ["Gradient flows"]),
        ({"q": "kernel"}, ["Kernel methods"]),
        ({"type": "contributed"}, None),
        ({"state": "draft"}, ["Unfinished draft"]),
        ({"sort": "title"}, ["Gradient flows", "Kernel methods"]),
    ],
)
def test_list_search_filter_sort(client, alice, three, query, expected):
    client.force_login(alice)
    if query.get("type") == "contributed":
        query = {"type": ContributionType.objects.get(name="Contributed talk").pk}
        expected = ["Kernel methods"]

    response = client.get(r("cfp:manage_submissions"), query)

    assert titles(response) == expected


def test_list_filter_by_track_and_code(client, alice, three):
    client.force_login(alice)
    transport = Track.objects.get(name="Optimal transport")

    assert titles(client.get(r("cfp:manage_submissions"), {"track": transport.pk})) == [
        "Kernel methods"
    ]
    assert titles(client.get(r("cfp:manage_submissions"), {"q": three[0].code})) == [
        "Gradient flows"
    ]


def test_list_says_how_many_match_in_good_english(client, alice, three):
    client.force_login(alice)

    one = client.get(r("cfp:manage_submissions"), {"q": "kernel"}).content.decode()
    two = client.get(r("cfp:manage_submissions")).content.decode()

    assert "1 submission matches." in one
    assert "2 submissions match." in two
    assert two.count('<option value="" selected>Any</option>') == 2  # type and track, not "-----"


def test_list_ignores_malformed_filters(client, alice, three):
    client.force_login(alice)

    response = client.get(
        r("cfp:manage_submissions"), {"type": "x", "state": "nope", "page": "-1", "sort": "?"}
    )

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count(client, alice, call, adam, count, django_assert_num_queries):
    for i in range(count):
        make_submission(call.event, adam, title=f"Poster {i}")
    client.force_login(alice)

    with django_assert_num_queries(13):
        response = client.get(r("cfp:manage_submissions"))

    assert len(titles(response)) == count


def test_detail_shows_history_and_answers_with_visibility(client, alice, call, adam):
    question = Question.objects.create(
        event=call.event, label="Student?", kind="checkbox", visibility="organisers"
    )
    submission = make_submission(call.event, adam)
    submission.answers.create(question=question, value=True)
    client.force_login(alice)

    html = client.get(r("cfp:manage_submission", code=submission.code)).content.decode()

    assert "Version 1" in html
    assert "Student? <small>(Organisers only)</small>" in html
    assert "Adam Author" in html


# --- exports -----------------------------------------------------------------------------------


def test_csv_export_survives_non_ascii_and_formulas(client, alice, three):
    three[0].title = '=HYPERLINK("http://evil")'
    three[0].save()
    client.force_login(alice)

    response = client.get(r("cfp:manage_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="mathml2020-submissions-'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_code = {row["Code"]: row for row in rows}
    assert by_code[three[0].code]["Title"] == '\'=HYPERLINK("http://evil")'
    assert by_code[three[0].code]["Authors"] == "Łukasz Żółć"
    assert three[2].code not in by_code


def test_xlsx_export_reads_back(client, alice, three):
    client.force_login(alice)

    response = client.get(r("cfp:manage_xlsx"), {"q": "Żółć"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Code", "State", "Title")
    assert rows[1][:3] == (three[0].code, "Submitted", "Gradient flows")
    assert rows[1][6] == "Łukasz Żółć"
    assert len(rows) == 2


# --- dashboard ---------------------------------------------------------------------------------


def test_dashboard_counts_chart_and_days_left(client, alice, call, adam, petra):
    with time_machine.travel(call.opens_at + dt.timedelta(hours=13), tick=False):
        make_submission(call.event, adam, title="Day one")
    with time_machine.travel(call.opens_at + dt.timedelta(days=2, hours=13), tick=False):
        make_submission(call.event, petra, title="Day three")
    client.force_login(alice)

    response = client.get(r("cfp:manage"))

    html = response.content.decode()
    chart = response.context["chart"]
    assert [bar["n"] for bar in chart["bars"]] == [1, 0, 1]
    assert response.context["days_left"] == 29
    assert "29 days to the deadline" in html
    assert "<svg" in html and "<rect" in html
    assert response.context["by_type"] == [{"contribution_type__name": "Poster", "n": 2}]


def test_dashboard_without_call_leads_to_settings(client, event, alice):
    client.force_login(alice)

    assert client.get(r("cfp:manage"))["Location"] == r("cfp:manage_settings")


def test_submission_list_is_empty_without_submissions(client, call, alice):
    client.force_login(alice)

    assert "No submission matches." in client.get(r("cfp:manage_submissions")).content.decode()


def test_dashboard_empty(client, call, alice):
    client.force_login(alice)

    assert "No submissions yet." in client.get(r("cfp:manage")).content.decode()


def test_submission_counts_include_all(client, alice, three):
    assert Submission.objects.count() == 3


def test_revoke_extension_by_organiser_only(client, call, alice, oscar):
    extension = domain.grant_extension(
        call.event, email="x@example.org", until=call.closes_at, by=alice
    )
    revoke = r("cfp:manage_revoke_extension", pk=extension.pk)
    client.force_login(oscar)
    refused = client.post(revoke)
    extension.refresh_from_db()
    assert (refused.status_code, extension.revoked) == (404, False)

    client.force_login(alice)
    client.post(revoke)

    extension.refresh_from_db()
    assert extension.revoked
