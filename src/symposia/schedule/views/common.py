"""Helpers shared by the programme's views."""

from __future__ import annotations

from functools import wraps

from django.utils import timezone


def in_event_zone(view):
    """Run the view (forms and rendering) with the event's zone as the current zone.

    Goes inside `@event_view`, which sets `request.event`.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(request.event.tzinfo):
            return view(request, *args, **kwargs)

    return wrapper


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
