"""Who may do what on an event. Every view checks through these functions."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Event


def is_organiser(user, event: Event) -> bool:
    """True for the event's organisers and for superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return event.organisers.filter(pk=user.pk).exists()


def get_visible_event(user, slug: str) -> Event:
    """The event at `slug`, or Http404 when it does not exist or is hidden from `user`."""
    event = get_object_or_404(Event, slug=slug)
    if not event.is_public and not is_organiser(user, event):
        raise Http404("No such event.")
    return event


def get_organised_event(user, slug: str) -> Event:
    """The event at `slug` if `user` organises it; Http404 otherwise (existence is not revealed)."""
    event = get_visible_event(user, slug)
    if not is_organiser(user, event):
        raise Http404("No such event.")
    return event
