"""Who may see and change the programme.

Organisers (events.rules.is_organiser) edit the timetable and see it before publication.
The public sees the programme once it is published. A speaker of an item (a Person linked to
their account, or the presenting author or owner of the contribution) may attach slides and
video links to that item once it has started. Everyone else gets a 404, so nothing reveals
what exists.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from symposia.cfp.enums import ACCEPTED_STATES
from symposia.events.rules import is_organiser

from .models import Item, Publication


def can_see_programme(user, event) -> bool:
    """Published programmes are public; organisers also see an unpublished one."""
    if Publication.objects.filter(event=event, published_at__isnull=False).exists():
        return True
    return is_organiser(user, event)


def check_programme_visible(user, event) -> None:
    if not can_see_programme(user, event):
        raise Http404("The programme is not published yet.")


def is_speaker(user, item: Item) -> bool:
    """`user` presents `item`: a speaker linked to the account, or the contribution's
    presenting author or owner."""
    if not user.is_authenticated:
        return False
    if item.speakers.filter(user=user).exists():
        return True
    submission = item.submission
    if submission is None:
        return False
    if submission.owner_id == user.pk:
        return True
    return submission.authors.filter(is_presenting=True, user=user).exists()


def can_attach_media(user, item: Item, *, now: dt.datetime | None = None) -> bool:
    """Organisers always; a speaker of the item once it has started."""
    if is_organiser(user, item.event):
        return True
    if item.start is None or (now or timezone.now()) < item.start:
        return False
    return is_speaker(user, item)


def get_media_item(user, event, pk: int) -> Item:
    """The item `pk` of `event` if `user` may attach slides or video to it; Http404 otherwise."""
    item = Item.objects.select_related("event", "session", "submission").filter(event=event, pk=pk)
    item = item.first()
    if item is None or not can_attach_media(user, item):
        raise Http404("No such item.")
    return item


def is_public_item(item: Item) -> bool:
    """In the timetable, and (for contributions) still accepted."""
    if item.session_id is None:
        return False
    return item.submission_id is None or item.submission.state in ACCEPTED_STATES
