"""Helpers shared by the author and organiser views."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch
from django.utils import timezone

from .. import deadlines
from ..domain import deadline_for, get_call
from ..history import diff_snapshots
from ..models import Call, ContributionType


def login_url() -> str:
    """The login page's URL (settings.LOGIN_URL), with /accounts/login/ as fallback."""
    try:
        return resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:
        return "/accounts/login/"


def call_or_404(event) -> Call:
    call = get_call(event)
    if call is None:
        raise Http404("This event has no call for contributions.")
    return call


def deadline_context(call: Call, *, user=None, contribution_type: ContributionType | None = None):
    """What the templates need to show a deadline: the zone text, ISO instant and countdown."""
    now = timezone.now()
    closes = deadline_for(call, contribution_type=contribution_type, user=user)
    if closes is None:
        return {"closes": None}
    return {
        "closes": closes,
        "closes_text": call.format(closes),
        "closes_iso": closes.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "countdown": deadlines.describe_duration(deadlines.remaining(now, closes)),
        "is_past": now.replace(microsecond=0) - call.grace > closes,
    }


def versions_with_changes(submission) -> list[tuple]:
    """(version, changes) pairs, newest first; changes are against the previous version."""
    versions = list(submission.versions.select_related("created_by").order_by("number"))
    pairs = []
    previous = None
    for version in versions:
        pairs.append((version, diff_snapshots(previous, version.snapshot)))
        previous = version.snapshot
    pairs.reverse()
    return pairs
