"""Deadline rules: AoE, the event's zone across daylight-saving changes, to the second."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from symposia.cfp import deadlines, domain
from symposia.cfp.enums import DeadlineZone
from symposia.cfp.models import Submission

from .conftest import form_data, submit_url

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_aoe_is_utc_minus_twelve_without_daylight_saving():
    winter = dt.datetime(2020, 1, 15, 23, 59, 59, tzinfo=deadlines.AOE)
    summer = dt.datetime(2020, 7, 15, 23, 59, 59, tzinfo=deadlines.AOE)

    assert winter.astimezone(UTC) == dt.datetime(2020, 1, 16, 11, 59, 59, tzinfo=UTC)
    assert summer.astimezone(UTC) == dt.datetime(2020, 7, 16, 11, 59, 59, tzinfo=UTC)


def test_aoe_deadline_is_shown_as_aoe():
    closes = dt.datetime(2020, 3, 31, 11, 59, 59, tzinfo=UTC)

    text = deadlines.format_deadline(closes, deadline_zone="aoe", event_timezone="Europe/London")

    assert text == "Monday 30 March 2020, 23:59 AoE"


def test_event_zone_deadline_shows_the_zone_abbreviation_of_that_day():
    winter = dt.datetime(2020, 3, 28, 23, 59, 59, tzinfo=UTC)
    summer = dt.datetime(2020, 3, 29, 22, 59, 59, tzinfo=UTC)

    assert deadlines.format_deadline(
        winter, deadline_zone="event", event_timezone="Europe/London"
    ) == ("Saturday 28 March 2020, 23:59 GMT")
    assert deadlines.format_deadline(
        summer, deadline_zone="event", event_timezone="Europe/London"
    ) == ("Sunday 29 March 2020, 23:59 BST")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2020, 3, 31, 11, 59, 58, 999999, tzinfo=UTC), True),
        (dt.datetime(2020, 3, 31, 11, 59, 59, 0, tzinfo=UTC), True),
        (dt.datetime(2020, 3, 31, 11, 59, 59, 999999, tzinfo=UTC), True),
        (dt.datetime(2020, 3, 31, 12, 0, 0, 0, tzinfo=UTC), False),
    ],
)
def test_deadline_is_inclusive_to_the_second(now, expected):
    closes = dt.datetime(2020, 3, 30, 23, 59, 59, tzinfo=deadlines.AOE)
    opens = dt.datetime(2020, 1, 1, tzinfo=UTC)

    assert deadlines.is_open(now, opens_at=opens, closes_at=closes) is expected


def test_grace_period_extends_the_accepted_time():
    closes = dt.datetime(2020, 3, 31, 12, 0, 0, tzinfo=UTC)
    opens = dt.datetime(2020, 1, 1, tzinfo=UTC)
    later = closes + dt.timedelta(minutes=14, seconds=59)

    assert deadlines.is_open(later, opens_at=opens, closes_at=closes) is False
    assert deadlines.is_open(
        later, opens_at=opens, closes_at=closes, grace=dt.timedelta(minutes=15)
    )


def test_grace_after_a_deadline_at_the_end_of_time_does_not_overflow():
    closes = dt.datetime.max.replace(tzinfo=UTC)
    opens = dt.datetime(2020, 1, 1, tzinfo=UTC)

    assert deadlines.is_open(
        dt.datetime(2020, 6, 1, tzinfo=UTC),
        opens_at=opens,
        closes_at=closes,
        grace=dt.timedelta(days=7),
    )


def test_not_open_before_opening_or_without_dates():
    opens = dt.datetime(2020, 1, 1, tzinfo=UTC)
    closes = dt.datetime(2020, 2, 1, tzinfo=UTC)

    assert not deadlines.is_open(opens - dt.timedelta(seconds=1), opens_at=opens, closes_at=closes)
    assert deadlines.is_open(opens, opens_at=opens, closes_at=closes)
    assert not deadlines.is_open(opens, opens_at=None, closes_at=closes)


def test_wall_time_in_london_across_spring_change():
    before = deadlines.make_aware_in(dt.datetime(2020, 3, 29, 0, 30), LONDON)
    after = deadlines.make_aware_in(dt.datetime(2020, 3, 29, 2, 30), LONDON)

    assert before == dt.datetime(2020, 3, 29, 0, 30, tzinfo=UTC)  # GMT = UTC
    assert after == dt.datetime(2020, 3, 29, 1, 30, tzinfo=UTC)  # BST = UTC+1


def test_wall_time_skipped_by_the_spring_change_is_refused():
    with pytest.raises(ValueError, match="does not exist"):
        deadlines.make_aware_in(dt.datetime(2020, 3, 29, 1, 30), LONDON)


def test_wall_time_repeated_in_autumn_takes_the_first_occurrence():
    moment = deadlines.make_aware_in(dt.datetime(2020, 10, 25, 1, 30), LONDON)

    assert moment == dt.datetime(2020, 10, 25, 0, 30, tzinfo=UTC)  # still BST


def test_days_left_and_countdown_text():
    now = dt.datetime(2020, 3, 1, 12, tzinfo=UTC)

    assert deadlines.days_left(now, now + dt.timedelta(days=3, hours=5)) == 3
    assert deadlines.days_left(now, now + dt.timedelta(hours=5)) == 0
    assert deadlines.describe_duration(dt.timedelta(days=3, hours=5)) == "3 days, 5 hours"
    assert deadlines.describe_duration(dt.timedelta(minutes=25)) == "25 minutes"
    assert deadlines.describe_duration(dt.timedelta(seconds=-1)) == "closed"


# --- enforced by the server, frozen time on both sides ------------------------------------------


@pytest.fixture
def aoe_call(call):
    """Deadline Monday 30 March 2020 23:59:59 AoE = Tuesday 31 March 11:59:59 UTC."""
    call.opens_at = dt.datetime(2020, 3, 1, tzinfo=UTC)
    call.closes_at = dt.datetime(2020, 3, 30, 23, 59, 59, tzinfo=deadlines.AOE)
    call.deadline_zone = DeadlineZone.AOE
    call.save()
    return call


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2020-03-31 11:59:59.900 +0000", True),  # 23:59:59.9 AoE, already Tuesday in London
        ("2020-03-31 12:00:00.000 +0000", False),  # 00:00:00 AoE
    ],
)
def test_server_enforces_aoe_deadline(client, adam, aoe_call, moment, accepted):
    client.force_login(adam)

    with time_machine.travel(moment, tick=False):
        response = client.post(submit_url(aoe_call.event), form_data(aoe_call.event))

    assert Submission.objects.filter(state="submitted").exists() is accepted
    if not accepted:
        assert "has passed" in response.content.decode()


@pytest.fixture
def dst_call(call):
    """Deadline Sunday 29 March 2020 02:30 London (BST, the first day of summer time)."""
    call.opens_at = dt.datetime(2020, 3, 1, tzinfo=UTC)
    call.closes_at = deadlines.make_aware_in(dt.datetime(2020, 3, 29, 2, 30, 0), LONDON)
    call.deadline_zone = DeadlineZone.EVENT
    call.save()
    return call


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        ("2020-03-29 01:30:00 +0000", True),  # 02:30:00 BST: the last accepted second
        ("2020-03-29 01:30:01 +0000", False),  # 02:30:01 BST
        ("2020-03-29 02:00:00 +0000", False),  # 02:30 GMT would still be open: zone matters
    ],
)
def test_server_enforces_deadline_across_spring_clock_change(
    client, adam, dst_call, moment, accepted
):
    client.force_login(adam)

    with time_machine.travel(moment, tick=False):
        client.post(submit_url(dst_call.event), form_data(dst_call.event))

    assert Submission.objects.filter(state="submitted").exists() is accepted


def test_deadline_in_october_uses_gmt_after_the_change(call):
    closes = deadlines.make_aware_in(dt.datetime(2020, 10, 25, 23, 59, 59), LONDON)
    call.deadline_zone = DeadlineZone.EVENT
    call.closes_at = closes

    assert closes == dt.datetime(2020, 10, 25, 23, 59, 59, tzinfo=UTC)
    assert call.format(closes) == "Sunday 25 October 2020, 23:59 GMT"


def test_per_type_deadline_replaces_the_calls(call, poster, adam):
    talk = poster.__class__.objects.get(event=call.event, name="Contributed talk")
    talk.closes_at = call.closes_at - dt.timedelta(days=10)
    talk.save()

    with time_machine.travel(call.closes_at - dt.timedelta(days=5), tick=False):
        domain.check_open(call, contribution_type=poster, user=adam)
        with pytest.raises(domain.DeadlineError):
            domain.check_open(call, contribution_type=talk, user=adam)


def test_editing_is_refused_after_the_deadline(client, adam, call):
    call.closes_at = call.opens_at + dt.timedelta(days=2)
    call.save()
    client.force_login(adam)
    client.post(submit_url(call.event), form_data(call.event))
    submission = Submission.objects.get()
    url = reverse("cfp:edit", kwargs={"event": call.event.slug, "code": submission.code})

    with time_machine.travel(call.closes_at + dt.timedelta(seconds=1), tick=False):
        page = client.get(url).content.decode()
        client.post(url, form_data(call.event, title="Changed late"))

    submission.refresh_from_db()
    assert "has passed" in page
    assert submission.title != "Changed late"
    assert submission.versions.count() == 1


def test_call_page_shows_deadline_in_aoe_with_machine_readable_instant(client, aoe_call):
    with time_machine.travel("2020-03-20 12:00 +0000", tick=False):
        html = client.get(
            reverse("cfp:call", kwargs={"event": aoe_call.event.slug})
        ).content.decode()

    assert "Monday 30 March 2020, 23:59 AoE" in html
    assert 'data-deadline="2020-03-31T11:59:59Z"' in html
    assert "(10 days left)" in html
