"""Builds of the book of abstracts: each request is a row, kept with its report and files."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being built"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def _book_path(instance: BookBuild, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1]
    return f"books/{instance.event.slug}/{uuid.uuid4().hex}.{suffix}"


class BookBuild(models.Model):
    """One build of an event's book of abstracts (background task `tasks.build_book_task`).

    `progress` runs from 0 to 1 with `message` saying what happens; `warnings` is the build
    report (formulas printed as source, missing fonts). The latest build that is DONE is the
    book offered for download.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="book_builds")
    status = models.CharField(
        max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=300, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    pdf = models.FileField(upload_to=_book_path, max_length=300, blank=True)
    latex = models.FileField(upload_to=_book_path, max_length=300, blank=True)
    typst = models.FileField(upload_to=_book_path, max_length=300, blank=True)
    pages = models.PositiveIntegerField(default=0)
    abstracts = models.PositiveIntegerField(default=0)
    programme_version = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"Book of abstracts of {self.event} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * max(0.0, min(1.0, self.progress)))

    def download_url(self) -> str:
        return reverse("publishing:book_pdf", kwargs={"event": self.event.slug})


def latest_book(event) -> BookBuild | None:
    """The newest finished build of `event`, or None."""
    return (
        BookBuild.objects.filter(event=event, status=BuildStatus.DONE)
        .exclude(pdf="")
        .order_by("-finished_at", "-pk")
        .first()
    )
