"""The call's entry in the event menu (see events.navigation)."""

from django.db.models import Exists, OuterRef

from symposia.events.navigation import MenuEntry

from .models import Call

MENU = [
    MenuEntry(
        label="Call for contributions",
        url_name="cfp:call",
        condition=lambda: Exists(
            Call.objects.filter(event=OuterRef("pk"), opens_at__isnull=False)
        ),
        order=10,
    ),
]
