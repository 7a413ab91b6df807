"""The book of abstracts' entry in the event menu (see events.navigation)."""

from django.db.models import Exists, OuterRef

from symposia.events.navigation import ManageEntry, MenuEntry
from symposia.schedule.models import Publication

from .models import BookBuild, BuildStatus

MENU = [
    MenuEntry(
        label="Book of abstracts",
        url_name="publishing:book_pdf",
        condition=lambda: (
            Exists(Publication.objects.filter(event=OuterRef("pk"), published_at__isnull=False))
            & Exists(BookBuild.objects.filter(event=OuterRef("pk"), status=BuildStatus.DONE))
        ),
        order=7,
    ),
]

MANAGE = [
    ManageEntry(
        label="Book of abstracts",
        url_name="publishing:book",
        description="Build the book of abstracts as PDF, read its report, download its "
        "LaTeX source.",
        order=50,
    ),
]
