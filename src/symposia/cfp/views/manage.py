"""Organisers' pages: dashboard, call settings, submissions list, detail and exports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.forms import modelformset_factory
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from symposia.common.exports import write_csv, write_xlsx
from symposia.events.decorators import event_view

from .. import deadlines, domain
from ..enums import SubmissionState
from ..forms import (
    CallForm,
    ContributionTypeForm,
    ExtensionForm,
    QuestionForm,
    SubmissionFilterForm,
    TrackForm,
)
from ..models import (
    Answer,
    Call,
    ContributionType,
    Extension,
    Question,
    Submission,
    SubmissionAuthor,
    Track,
)
from .common import call_or_404, deadline_context, versions_with_changes

PAGE_SIZE = 50
SORTS = {
    "-submitted": ["-last_submitted_at", "-created"],
    "submitted": ["last_submitted_at", "created"],
    "title": ["title", "code"],
    "code": ["code"],
    "state": ["state", "-last_submitted_at"],
}


@event_view(organiser=True)
def dashboard(request, event):
    """`/<event>/cfp/manage/`: counts, submissions per day, days to the deadline."""
    call = Call.objects.filter(event=event).first()
    if call is None:
        return redirect("cfp:manage_settings", event=event.slug)
    submissions = Submission.objects.filter(event=event)
    by_state = dict(submissions.values_list("state").annotate(n=Count("pk")))
    active = submissions.exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
    by_type = list(active.values("contribution_type__name").annotate(n=Count("pk")).order_by("-n"))
    by_track = list(active.values("track__name").annotate(n=Count("pk")).order_by("-n"))
    per_day = list(
        active.filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=event.tzinfo))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    now = timezone.now()
    days_left = deadlines.days_left(now, call.closes_at) if call.closes_at else None
    return render(
        request,
        "cfp/manage/dashboard.html",
        {
            "call": call,
            "states": [(label, by_state.get(value, 0)) for value, label in SubmissionState.choices],
            "total": sum(by_state.values()),
            "active_total": sum(r["n"] for r in by_type),
            "by_type": by_type,
            "by_track": by_track,
            "chart": bar_chart([(r["day"], r["n"]) for r in per_day]),
            "deadline": deadline_context(call),
            "days_left": days_left,
            "days_ago": -days_left if days_left is not None and days_left < 0 else None,
            "is_open": call.is_open(now),
        },
    )


def bar_chart(points: list[tuple[dt.date, int]], *, width: int = 640, height: int = 200) -> dict:
    """Geometry of an SVG bar chart of counts per day (days without submissions included).

    Returns {'bars': [{x, y, w, h, day, n}], 'width', 'height', 'max', 'ticks'}; empty bars
    list when there is no data. Coordinates in SVG user units, origin top-left.
    """
    if not points:
        return {"bars": [], "width": width, "height": height, "max": 0}
    counts = dict(points)
    first, last = points[0][0], points[-1][0]
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    top = max(counts.values())
    plot_h = height - 30
    slot = width / len(days)
    bars = []
    for i, day in enumerate(days):
        n = counts.get(day, 0)
        h = round(plot_h * n / top, 1) if top else 0
        bars.append(
            {
                "x": round(i * slot + slot * 0.1, 1),
                "y": round(plot_h - h + 10, 1),
                "w": round(max(slot * 0.8, 1), 1),
                "h": h,
                "day": day,
                "n": n,
            }
        )
    return {"bars": bars, "width": width, "height": height, "max": top, "base": plot_h + 10}


@event_view(organiser=True)
def call_settings(request, event):
    """`/<event>/cfp/manage/settings/`: dates, zone, limits, PDF rule, intro."""
    call = Call.objects.filter(event=event).first() or Call(event=event)
    form = CallForm(request.POST or None, instance=call, event=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The call's settings are saved.")
        return redirect("cfp:manage_settings", event=event.slug)
    return render(request, "cfp/manage/settings.html", {"form": form, "call": call})


def _formset_page(request, event, *, model, form, template, title, extra_kwargs=None):
    FormSet = modelformset_factory(
        model, form=form, extra=2, can_delete=model is not ContributionType
    )
    queryset = model.objects.filter(event=event)
    formset = FormSet(
        request.POST or None, queryset=queryset, form_kwargs=extra_kwargs or {}, prefix="items"
    )
    if request.method == "POST" and formset.is_valid():
        for obj in formset.save(commit=False):
            obj.event = event
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        messages.success(request, f"{title} saved.")
        return redirect(request.path)
    return render(request, template, {"formset": formset, "title": title})


@event_view(organiser=True)
def contribution_types(request, event):
    """`/<event>/cfp/manage/types/`: contribution types and their own deadlines."""
    call = call_or_404(event)
    return _formset_page(
        request,
        event,
        model=ContributionType,
        form=ContributionTypeForm,
        template="cfp/manage/formset.html",
        title="Contribution types",
        extra_kwargs={"call": call},
    )


@event_view(organiser=True)
def tracks(request, event):
    """`/<event>/cfp/manage/tracks/`: tracks (topics)."""
    return _formset_page(
        request,
        event,
        model=Track,
        form=TrackForm,
        template="cfp/manage/formset.html",
        title="Tracks",
    )


@event_view(organiser=True)
def questions(request, event):
    """`/<event>/cfp/manage/questions/`: custom questions of the submission form."""
    return _formset_page(
        request,
        event,
        model=Question,
        form=QuestionForm,
        template="cfp/manage/formset.html",
        title="Questions",
    )


@event_view(organiser=True)
def extensions(request, event):
    """`/<event>/cfp/manage/extensions/`: grant (and list) individual extensions."""
    call = call_or_404(event)
    form = ExtensionForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        extension = domain.grant_extension(
            event,
            email=form.cleaned_data["email"],
            until=form.cleaned_data["until"],
            submission=form.cleaned_data["submission"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
        messages.success(request, f"Extension granted; the link was mailed to {extension.email}.")
        return redirect("cfp:manage_extensions", event=event.slug)
    items = [
        (x, call.format(x.until), domain.extension_url(x))
        for x in Extension.objects.filter(event=event).select_related("submission", "user")
    ]
    return render(
        request, "cfp/manage/extensions.html", {"form": form, "items": items, "call": call}
    )


@require_POST
@event_view(organiser=True)
def revoke_extension(request, event, pk: int):
    extension = get_object_or_404(Extension, pk=pk, event=event)
    domain.revoke_extension(extension, by=request.user)
    messages.success(request, "Extension revoked.")
    return redirect("cfp:manage_extensions", event=event.slug)


def filtered_submissions(event, params) -> tuple:
    """The organiser's submission queryset for GET `params` (search, filters, sort)."""
    form = SubmissionFilterForm(params or None, event=event)
    qs = Submission.objects.filter(event=event)
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state")
    qs = qs.filter(state=state) if state else qs.exclude(state=SubmissionState.DRAFT)
    if data.get("type"):
        qs = qs.filter(contribution_type=data["type"])
    if data.get("track"):
        qs = qs.filter(track=data["track"])
    text = (data.get("q") or "").strip()
    if text:
        matching = SubmissionAuthor.objects.filter(
            Q(name__icontains=text) | Q(email__icontains=text) | Q(affiliation__icontains=text)
        ).values("submission_id")
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(code__iexact=text)
            | Q(keywords__icontains=text)
            | Q(abstract__icontains=text)
            | Q(pk__in=matching)
        )
    qs = qs.order_by(*SORTS.get(data.get("sort") or "-submitted", SORTS["-submitted"]))
    qs = qs.select_related("owner", "contribution_type", "track", "pdf").prefetch_related(
        Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("position", "pk"))
    )
    return qs, form


@event_view(organiser=True)
def submission_list(request, event):
    """`/<event>/cfp/manage/submissions/`: search, filter, sort, count; links to exports."""
    qs, form = filtered_submissions(event, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        Submission.objects.filter(event=event).values_list("state").annotate(n=Count("pk"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cfp/manage/submission_list.html",
        {
            "form": form,
            "page": page,
            "counts": [(v, label, counts.get(v, 0)) for v, label in SubmissionState.choices],
            "query": query.urlencode(),
        },
    )


@event_view(organiser=True)
def submission_detail(request, event, code: str):
    """`/<event>/cfp/manage/submissions/<code>/`: everything about one submission."""
    submission = get_object_or_404(
        Submission.objects.select_related("owner", "contribution_type", "track", "pdf"),
        event=event,
        code=code,
    )
    call = call_or_404(event)
    return render(
        request,
        "cfp/manage/submission_detail.html",
        {
            "call": call,
            "submission": submission,
            "authors": list(submission.authors.all()),
            "answers": list(
                submission.answers.select_related("question").order_by("question__position")
            ),
            "history": versions_with_changes(submission),
            "files": list(submission.files.all()),
            "submitted_text": call.format(submission.submitted_at),
        },
    )


def export_rows(event, qs) -> tuple[list[str], list[list]]:
    """Header and rows of the submissions export (times in the event's zone, ISO 8601)."""
    questions = list(Question.objects.filter(event=event).order_by("position", "pk"))
    qs = qs.prefetch_related(Prefetch("answers", queryset=Answer.objects.all()))
    header = [
        "Code",
        "State",
        "Title",
        "Contribution type",
        "Track",
        "Keywords",
        "Authors",
        "Presenting author",
        "Presenting author email",
        "Affiliations",
        "Countries",
        "First submitted",
        "Last submitted",
        "Abstract",
        "PDF SHA-256",
        *[q.label for q in questions],
    ]
    zone = event.tzinfo

    def when(moment):
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else ""

    rows = []
    for s in qs:
        authors = list(s.authors.all())
        presenting = next((a for a in authors if a.is_presenting), None)
        answers = {a.question_id: a for a in s.answers.all()}
        rows.append(
            [
                s.code,
                s.get_state_display(),
                s.title,
                s.contribution_type.name if s.contribution_type else "",
                s.track.name if s.track else "",
                s.keywords,
                "; ".join(a.name for a in authors),
                presenting.name if presenting else "",
                presenting.email if presenting else "",
                "; ".join(dict.fromkeys(a.affiliation for a in authors if a.affiliation)),
                "; ".join(dict.fromkeys(a.country for a in authors if a.country)),
                when(s.submitted_at),
                when(s.last_submitted_at),
                s.abstract,
                s.pdf.sha256 if s.pdf else "",
                *[answers[q.pk].display if q.pk in answers else "" for q in questions],
            ]
        )
    return header, rows


@event_view(organiser=True)
def export(request, event, fmt: str):
    """`/<event>/cfp/manage/submissions/export.csv|.xlsx`: the filtered list as a spreadsheet."""
    qs, _ = filtered_submissions(event, request.GET)
    header, rows = export_rows(event, qs)
    stamp = timezone.now().astimezone(event.tzinfo).strftime("%Y%m%d-%H%M")
    name = f"{event.slug}-submissions-{stamp}"
    if fmt == "xlsx":
        response = HttpResponse(
            write_xlsx(rows, header, title="Submissions"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(write_csv(rows, header), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
