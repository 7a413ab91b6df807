"""The programme as files: iCalendar for the event, a session or a talk; schedule.json/xml."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from symposia.events.decorators import event_view

from .. import feeds
from ..published import load_programme
from .public import _check_visible


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Public data that conference apps and calendar clients fetch from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _programme(request, event, **only):
    return load_programme(event, publication=_check_visible(request, event), **only)


def _absolute(request):
    return request.build_absolute_uri


@event_view
def schedule_ics(request, event):
    """`/<event>/programme/schedule.ics`: every scheduled item."""
    body = feeds.calendar(_programme(request, event), absolute=_absolute(request))
    return _file(body, "text/calendar; charset=utf-8", f"{event.slug}.ics")


@event_view
def session_ics(request, event, pk: int):
    """`/<event>/programme/sessions/<id>.ics`: one session."""
    programme = _programme(request, event, session_id=pk)
    body = feeds.session_calendar(programme, pk, absolute=_absolute(request))
    if body is None:
        raise Http404("No such session.")
    return _file(body, "text/calendar; charset=utf-8", f"{event.slug}-session-{pk}.ics")


@event_view
def talk_ics(request, event, pk: int):
    """`/<event>/programme/talks/<id>.ics`: one talk, poster or break."""
    programme = _programme(request, event, item_id=pk)
    body = feeds.item_calendar(programme, pk, absolute=_absolute(request))
    if body is None:
        raise Http404("No such talk.")
    return _file(body, "text/calendar; charset=utf-8", f"{event.slug}-talk-{pk}.ics")


@event_view
def schedule_json(request, event):
    """`/<event>/programme/schedule.json`: the frab/c3voc schedule for conference apps."""
    body = feeds.schedule_json(_programme(request, event), absolute=_absolute(request))
    response = _file(body, "application/json; charset=utf-8", "schedule.json")
    response["Content-Disposition"] = 'inline; filename="schedule.json"'
    return response


@event_view
def schedule_xml(request, event):
    """`/<event>/programme/schedule.xml`: the same schedule as frab XML."""
    body = feeds.schedule_xml(_programme(request, event), absolute=_absolute(request))
    response = _file(body, "application/xml; charset=utf-8", "schedule.xml")
    response["Content-Disposition"] = 'inline; filename="schedule.xml"'
    return response
