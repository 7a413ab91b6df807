"""The call's entries in the event menu and its organisers' tool (see events.navigation)."""

from django.db.models import Exists, OuterRef

from symposia.events.navigation import ManageEntry, MenuEntry

from .enums import ACCEPTED_STATES, Participation
from .models import Call, Submission

MENU = [
    MenuEntry(
        label="Call for contributions",
        url_name="cfp:call",
        condition=lambda: Exists(Call.objects.filter(event=OuterRef("pk"), opens_at__isnull=False)),
        order=10,
    ),
    MenuEntry(
        label="Accepted contributions",
        url_name="cfp:accepted",
        condition=lambda: Exists(
            Submission.objects.filter(
                event=OuterRef("pk"),
                state__in=ACCEPTED_STATES,
                notified_decision__in=ACCEPTED_STATES,
            ).exclude(participation=Participation.DECLINED)
        ),
        order=20,
    ),
]

MANAGE = [
    ManageEntry(
        label="Call for contributions",
        url_name="cfp:manage",
        description="Dates, contribution types, tracks and questions; the submissions, their "
        "exports and the decisions.",
        order=10,
    ),
]
