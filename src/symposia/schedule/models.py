"""The timetable: people on the programme, rooms, sessions and the items placed in them.

Times are stored as aware datetimes (UTC in the database) and shown in the event's zone.
An item is in the timetable when it has a session, a start and an end; an item without them
(an invited talk not placed yet, a contribution taken out of the timetable) keeps its title,
abstract, speakers and slides. Every change goes through `schedule.domain`.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from .enums import ItemKind, PersonRole, SessionKind


class Person(models.Model):
    """Someone on the programme: invited speaker, organiser, chair or presenting author.

    `email` is private and only used to recognise the same person across contributions;
    `slug` names the public speaker page (Unicode letters allowed).
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=100, blank=True)
    role = models.CharField(max_length=20, choices=PersonRole.choices, default=PersonRole.OTHER)
    email = models.EmailField(blank=True, help_text="Private; used to match authors.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slug = models.SlugField(max_length=120, allow_unicode=True)
    bio = models.TextField(blank=True, help_text="Markdown with $LaTeX$ maths.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="schedule_person_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schedule:speaker", kwargs={"event": self.event.slug, "slug": self.slug})

    @property
    def affiliation_line(self) -> str:
        return ", ".join(p for p in (self.affiliation.strip(), self.country.strip()) if p)


class Room(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="schedule_room_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A block of the timetable in one room: talks with a chair, a poster session, a break."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.TALKS)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="chaired_sessions"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    description = models.TextField(blank=True, help_text="Markdown with $LaTeX$ maths.")

    class Meta:
        ordering = ["start", "room__position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="schedule_session_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _slides_path(instance: Item, filename: str) -> str:
    # A generated name: the uploader's file name is kept as data (`slides_name`), not a path.
    return f"schedule/{instance.event.slug}/{uuid.uuid4().hex}.pdf"


class Item(models.Model):
    """A talk, a poster or a break; in the timetable when it has a session and times.

    Contributed talks and posters come from an accepted submission (`submission`, at most one
    item each); invited talks and breaks carry their own title and abstract.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="items")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.INVITED)
    title = models.CharField(max_length=300, blank=True)
    abstract = models.TextField(blank=True, help_text="Markdown with $LaTeX$ maths.")
    speakers = models.ManyToManyField(Person, blank=True, related_name="items")
    submission = models.OneToOneField(
        "cfp.Submission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedule_item",
    )
    board_number = models.PositiveIntegerField(null=True, blank=True)
    slides = models.FileField(upload_to=_slides_path, max_length=300, blank=True)
    slides_name = models.CharField(max_length=255, blank=True)
    slides_url = models.URLField(max_length=500, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    recorded = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "board_number", "pk"]
        indexes = [models.Index(fields=["event", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(session__isnull=True, start__isnull=True, end__isnull=True)
                    | Q(
                        session__isnull=False,
                        start__isnull=False,
                        end__isnull=False,
                        end__gt=F("start"),
                    )
                ),
                name="schedule_item_placement",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        if self.submission_id:
            return reverse(
                "schedule:contribution",
                kwargs={"event": self.event.slug, "code": self.submission.code},
            )
        return reverse("schedule:talk", kwargs={"event": self.event.slug, "pk": self.pk})

    @property
    def display_title(self) -> str:
        if self.submission_id and not self.title:
            return self.submission.title
        return self.title or self.get_kind_display()

    @property
    def display_abstract(self) -> str:
        if self.submission_id and not self.abstract:
            return self.submission.abstract
        return self.abstract

    @property
    def is_scheduled(self) -> bool:
        return self.session_id is not None

    @property
    def is_talk(self) -> bool:
        return self.kind in (ItemKind.INVITED, ItemKind.CONTRIBUTED)

    @property
    def slides_filename(self) -> str:
        """The uploaded name made safe for a URL path: letters (any script), digits, '.', '-'
        and '_' kept, anything else replaced by '_'; always ends in '.pdf'."""
        stem = re.sub(r"[^\w.\-]+", "_", self.slides_name or "slides").strip("._") or "slides"
        return stem if stem.lower().endswith(".pdf") else f"{stem}.pdf"

    def slides_download_url(self) -> str:
        if not self.slides:
            return ""
        return reverse(
            "schedule:slides",
            kwargs={
                "event": self.event.slug,
                "pk": self.pk,
                "name": self.slides_filename,
            },
        )


class Publication(models.Model):
    """Whether the programme is public, and its version; one row per event.

    The timetable is edited in place; until it is published its public pages answer 404 (the
    organisers see a preview). Each publication raises `version` and records a Release.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="schedule_publication"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Programme of {self.event} (version {self.version})"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


class Release(models.Model):
    """One publication of the programme: version, when, by whom, and what changed since the
    previous one (`changes`: list of sentences). `snapshot` maps item ids to
    [title, start ISO, end ISO, room] so the next release can be compared with it."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="schedule_releases"
    )
    version = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["event", "version"], name="schedule_release_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.version}"
