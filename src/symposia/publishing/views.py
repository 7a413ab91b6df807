"""Book of abstracts pages: the organisers' build page with its progress, the public PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from symposia.events.decorators import event_view
from symposia.schedule import rules as schedule_rules
from symposia.schedule.domain import is_published

from .models import BookBuild, latest_book
from .tasks import request_book_build


@event_view(organiser=True)
def book(request, event):
    """`/<event>/publishing/book/`: build the book, follow its progress, read the report."""
    builds = list(BookBuild.objects.filter(event=event).select_related("requested_by")[:10])
    current = builds[0] if builds else None
    return render(
        request,
        "publishing/book.html",
        {
            "current": current,
            "latest": latest_book(event),
            "builds": builds,
            "is_published": is_published(event),
        },
    )


@require_POST
@event_view(organiser=True)
def book_build(request, event):
    """POST `/<event>/publishing/book/build/`: start a build (one at a time)."""
    build = request_book_build(event, by=request.user)
    if build.status == "failed":
        messages.error(request, build.error or "The book could not be built.")
    elif build.status == "done":
        messages.success(request, f"The book is ready ({build.pages} pages).")
    else:
        messages.info(request, "The book is being built; this page shows its progress.")
    return redirect("publishing:book", event=event.slug)


@event_view(organiser=True)
def book_status(request, event):
    """`/<event>/publishing/book/status.json`: progress of the newest build, for the page's
    script."""
    build = BookBuild.objects.filter(event=event).first()
    if build is None:
        return JsonResponse({"status": "none"})
    return JsonResponse(
        {
            "status": build.status,
            "progress": build.progress,
            "percent": build.percent,
            "message": build.message,
            "active": build.is_active,
        }
    )


@event_view
def book_pdf(request, event):
    """`/<event>/publishing/book.pdf`: the newest book; public once the programme is."""
    if not schedule_rules.can_see_programme(request.user, event):
        raise Http404("No book of abstracts.")
    build = latest_book(event)
    if build is None:
        raise Http404("No book of abstracts.")
    response = FileResponse(
        build.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{event.slug}-book-of-abstracts.pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@event_view(organiser=True)
def book_source(request, event, pk: int, kind: str):
    """`/<event>/publishing/book/<id>/book.tex` or `book.typ`: sources for organisers."""
    build = get_object_or_404(BookBuild, event=event, pk=pk)
    stored = build.latex if kind == "tex" else build.typst
    if not stored:
        raise Http404("No source for this build.")
    content_type = "application/x-tex" if kind == "tex" else "text/plain"
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        content_type=f"{content_type}; charset=utf-8",
        filename=f"{event.slug}-book-of-abstracts.{kind}",
    )
