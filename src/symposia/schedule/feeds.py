"""Machine-readable programme files: iCalendar (RFC 5545) and the frab/pretalx schedule.

Built from `published.load_programme` through the Django-free writers of `publishing.ical`
and `publishing.frab`; shared by the views and the static export, which differ only in how a
site path becomes an absolute URL (`absolute`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from symposia.publishing import frab, ical

from .published import Programme, ProgrammeData, site_url, to_data


def uid_host() -> str:
    """Right-hand side of iCal UIDs: the site's host, the same for every export of an item."""
    return urlsplit(settings.SITE_URL).hostname or "symposia.invalid"


def calendar(programme: Programme, *, absolute: Callable[[str], str] = site_url) -> bytes:
    """The whole programme as one calendar."""
    data = to_data(programme, absolute=absolute)
    return ical.calendar_for(data.event, data.items, host=uid_host())


def session_calendar(
    programme: Programme, session_id: int, *, absolute: Callable[[str], str] = site_url
) -> bytes | None:
    """One session as a calendar; None when it is not part of the programme."""
    data = to_data(programme, absolute=absolute)
    session = next((s for s in data.sessions if s.id == session_id), None)
    if session is None:
        return None
    return ical.calendar_for_session(data.event, session, host=uid_host())


def item_calendar(
    programme: Programme, item_id: int, *, absolute: Callable[[str], str] = site_url
) -> bytes | None:
    """One item as a calendar; None when it is not a public item."""
    data = to_data(programme, absolute=absolute)
    item = next((i for i in data.items if i.id == item_id), None)
    if item is None:
        return None
    return ical.calendar_for_item(data.event, item, host=uid_host())


def _base_url(programme: Programme, absolute: Callable[[str], str]) -> str:
    return absolute(reverse("schedule:programme", kwargs={"event": programme.event.slug}))


def schedule_json(programme: Programme, *, absolute: Callable[[str], str] = site_url) -> bytes:
    """`schedule.json` in the frab/c3voc format, UTF-8."""
    data: ProgrammeData = to_data(programme, absolute=absolute)
    document = frab.schedule_json(
        data.event,
        data.rooms,
        data.items,
        version=data.version,
        base_url=_base_url(programme, absolute),
    )
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def schedule_xml(programme: Programme, *, absolute: Callable[[str], str] = site_url) -> bytes:
    """`schedule.xml` in the frab format, UTF-8."""
    data = to_data(programme, absolute=absolute)
    return frab.schedule_xml(
        data.event,
        data.rooms,
        data.items,
        version=data.version,
        base_url=_base_url(programme, absolute),
    )
