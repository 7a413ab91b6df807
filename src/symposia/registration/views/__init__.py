"""Views of the registration app: public pages, signed-link pages and the organisers' pages."""

from functools import wraps

from django.utils import timezone


def in_event_zone(view):
    """Read and show dates in the event's time zone (`request.event`, set by @event_view)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(request.event.tzinfo):
            return view(request, *args, **kwargs)

    return wrapper
