"""Building the book of abstracts in the background (django-tasks).

`request_book_build` records a BookBuild and enqueues `build_book_task` with its id; the
task reads the published programme (`schedule.published`), typesets it with
`publishing.book.build_book` (Typst) and stores the PDF, the Typst source and the LaTeX source
for organisers, saving its progress on the row as it goes so the organisers' page can show it.
"""

from __future__ import annotations

import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from .models import BookBuild, BuildStatus

logger = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


class BookUnavailable(RuntimeError):
    """The book writer is not installed in this version."""


def book_writer():
    """The `publishing.book` module (build_book, default_sections, latex_source)."""
    try:
        from . import book
    except ImportError as error:  # the writer ships separately from the site
        raise BookUnavailable("The book-of-abstracts writer is not available.") from error
    return book


def request_book_build(event, *, by) -> BookBuild:
    """Record a build of `event`'s book and start it in the background.

    Returns the running or queued build instead when there is one, so repeated clicks start
    one build. Side effects: one BookBuild row, one `build_book_task` enqueued.
    """
    with transaction.atomic():
        active = (
            BookBuild.objects.select_for_update()
            .filter(event=event, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING])
            .first()
        )
        if active is not None:
            return active
        build = BookBuild.objects.create(
            event=event, requested_by=by, message="Waiting for a worker"
        )
    backend = build_book_task.get_backend()
    if isinstance(backend, ImmediateBackend):
        build_book_task.enqueue(build.pk)
    else:
        transaction.on_commit(lambda: build_book_task.enqueue(build.pk))
    build.refresh_from_db()
    return build


def _progress_writer(build_id: int):
    last = [0.0]

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        BookBuild.objects.filter(pk=build_id).update(
            progress=max(0.0, min(1.0, fraction)), message=message[:300]
        )

    return report


def execute_build(build_id: int) -> BookBuild:
    """Run one build (what the task does). Never raises for a failed book: the build is marked
    FAILED with the reason. Side effects: saves the build and its files."""
    from symposia.schedule.published import load_programme, to_data

    build = BookBuild.objects.select_related("event").get(pk=build_id)
    if build.status not in (BuildStatus.QUEUED, BuildStatus.RUNNING):
        return build
    build.status, build.started_at, build.message = BuildStatus.RUNNING, timezone.now(), "Started"
    build.save(update_fields=["status", "started_at", "message"])
    event = build.event
    try:
        book = book_writer()
        programme = load_programme(event)
        data = to_data(programme)
        sections = book.default_sections(data.items)
        result = book.build_book(data.event, sections, progress=_progress_writer(build_id))
        latex = book.latex_source(data.event, sections)
    except BookUnavailable as error:
        return _fail(build, str(error))
    except Exception as error:  # a failed book must not kill the worker; the reason is shown
        logger.exception("Book of abstracts of %s failed", event.slug)
        return _fail(build, f"The book could not be built: {error}")
    build.refresh_from_db(fields=["progress", "message"])
    build.pdf.save(f"{event.slug}-book.pdf", ContentFile(result.pdf), save=False)
    build.typst.save(
        f"{event.slug}-book.typ", ContentFile(result.typst_source.encode()), save=False
    )
    build.latex.save(f"{event.slug}-book.tex", ContentFile(latex.encode()), save=False)
    build.status = BuildStatus.DONE
    build.progress = 1.0
    build.message = f"Ready: {result.pages} pages"
    build.pages = result.pages
    build.abstracts = sum(1 for item in data.items if item.kind.value != "break")
    build.warnings = list(result.warnings)
    build.programme_version = programme.version
    build.finished_at = timezone.now()
    build.save()
    return build


def _fail(build: BookBuild, reason: str) -> BookBuild:
    build.status = BuildStatus.FAILED
    build.error = reason
    build.message = "Failed"
    build.finished_at = timezone.now()
    build.save(update_fields=["status", "error", "message", "finished_at"])
    return build


@task()
def build_book_task(build_id: int) -> str:
    """Background task: build the book for BookBuild `build_id`; returns its final status."""
    return execute_build(build_id).status
