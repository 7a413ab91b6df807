"""Registration's entries in the event menu and its organisers' tool (see events.navigation)."""

from django.db.models import Exists, OuterRef

from symposia.events.navigation import ManageEntry, MenuEntry

from .enums import Status
from .models import Registration, RegistrationSettings

MENU = [
    MenuEntry(
        label="Registration",
        url_name="registration:register",
        condition=lambda: Exists(
            RegistrationSettings.objects.filter(event=OuterRef("pk"), opens_at__isnull=False)
        ),
        order=30,
    ),
    MenuEntry(
        label="Participants",
        url_name="registration:participants",
        condition=lambda: Exists(
            Registration.objects.filter(
                event=OuterRef("pk"),
                consent_public_list=True,
                status=Status.CONFIRMED,
            )
        ),
        order=40,
    ),
]

MANAGE = [
    ManageEntry(
        label="Registration",
        url_name="registration:manage",
        description="Registrations and the waitlist, categories and questions, exports, "
        "badges and the check-in desk.",
        order=30,
    ),
]
