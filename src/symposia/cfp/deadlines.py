"""Deadline arithmetic on aware datetimes; no database access.

Rule (documented in docs/call-for-contributions.md): a call accepts a submission at instant `t`
when `opens_at <= t` and `t <= closes_at + grace`, compared to the whole second (the fraction of
the current second is dropped). A deadline of 23:59:59 therefore accepts 23:59:59.999 and refuses
00:00:00. Times are stored in UTC and shown in the event's zone or in AoE.

Anywhere on Earth is the fixed offset UTC−12 with no daylight saving (IEEE's definition of
"AoE" deadlines): a day ends AoE when it has ended everywhere on Earth.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

AOE = dt.timezone(dt.timedelta(hours=-12), "AoE")
# The longest grace period an organiser may set: a silent grace is minutes or hours, and the bound
# keeps `closes_at + grace` far from datetime's year-9999 limit.
MAX_GRACE_MINUTES = 7 * 24 * 60


def zone_for(deadline_zone: str, event_timezone: str) -> dt.tzinfo:
    """The tzinfo in which deadlines are entered and shown: AoE or the event's IANA zone."""
    if deadline_zone == "aoe":
        return AOE
    return zoneinfo.ZoneInfo(event_timezone)


def to_zone(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """`moment` (aware) expressed in `zone`."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: deadlines are aware datetimes")
    return moment.astimezone(zone)


def make_aware_in(local: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """Interpret a naive wall-clock time in `zone` and return it in UTC.

    A wall time that does not exist (skipped by a daylight-saving change, e.g. 01:30 on the last
    Sunday of March in Europe/London) raises ValueError; an ambiguous one (repeated in October)
    takes the first occurrence (fold=0), i.e. the earlier instant.
    """
    if local.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    aware = local.replace(tzinfo=zone, fold=0)
    # A non-existent wall time does not survive the round trip through UTC.
    back = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if back != local:
        raise ValueError(f"{local:%Y-%m-%d %H:%M} does not exist in this time zone (clock change)")
    return aware.astimezone(dt.UTC)


def is_open(
    now: dt.datetime,
    *,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    grace: dt.timedelta = dt.timedelta(0),
) -> bool:
    """True while `opens_at <= now <= closes_at + grace`, to the second (see the module rule).

    A missing `opens_at` or `closes_at` means the call is not open.
    """
    if opens_at is None or closes_at is None:
        return False
    second = now.replace(microsecond=0)
    # `second - grace <= closes_at` rather than `second <= closes_at + grace`: no overflow for a
    # deadline near the year 9999.
    return opens_at <= now and second - grace <= closes_at


def remaining(now: dt.datetime, closes_at: dt.datetime) -> dt.timedelta:
    """Time left until `closes_at` (negative once past)."""
    return closes_at - now


def days_left(now: dt.datetime, closes_at: dt.datetime) -> int:
    """Whole days left until `closes_at` (0 on the last day, negative once past)."""
    return (closes_at - now) // dt.timedelta(days=1)


def format_deadline(moment: dt.datetime, *, deadline_zone: str, event_timezone: str) -> str:
    """Human form of a deadline in its zone: 'Tuesday 30 June 2020, 23:59 AoE' or with the zone
    abbreviation ('23:59 BST'). Seconds are not shown (23:59:59 reads 23:59).
    """
    zone = zone_for(deadline_zone, event_timezone)
    local = to_zone(moment, zone)
    label = "AoE" if deadline_zone == "aoe" else local.tzname()
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {label}"


def describe_duration(delta: dt.timedelta) -> str:
    """'3 days, 4 hours' / '25 minutes' / 'closed' for a countdown without JavaScript."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "closed"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours and days < 7:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not parts):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(parts)
