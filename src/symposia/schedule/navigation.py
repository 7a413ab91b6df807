"""The programme's entries in the event menu (see events.navigation)."""

from django.db.models import Exists, OuterRef

from symposia.events.navigation import ManageEntry, MenuEntry

from .models import Person, Publication


def _published():
    return Exists(Publication.objects.filter(event=OuterRef("pk"), published_at__isnull=False))


MENU = [
    MenuEntry(label="Programme", url_name="schedule:programme", condition=_published, order=5),
    MenuEntry(
        label="Speakers",
        url_name="schedule:speakers",
        condition=lambda: (
            _published() & Exists(Person.objects.filter(event=OuterRef("pk"), items__isnull=False))
        ),
        order=6,
    ),
]

MANAGE = [
    ManageEntry(
        label="Programme",
        url_name="schedule:manage",
        description="Rooms, sessions and the timetable editor, invited speakers, poster "
        "sessions and board numbers, publishing the programme.",
        order=40,
    ),
]
