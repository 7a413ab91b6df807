"""Organisers' pages under `/<event>/reviews/manage/`: progress, settings, review form,
committee, conflicts, assignment and exports. Every page is organisers-only (404 otherwise)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.forms import modelformset_factory
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission
from symposia.common.exports import write_csv, write_xlsx
from symposia.events.decorators import event_view

from .. import assigning, domain, rules
from ..enums import (
    ConflictStatus,
    InvitationState,
    Recommendation,
    ReviewerStatus,
    ReviewState,
    RunStatus,
)
from ..forms import (
    AddConflictForm,
    ConflictDecisionForm,
    ConflictFilterForm,
    CriterionForm,
    InviteForm,
    ManualAssignForm,
    ParametersForm,
    ReviewerLoadForm,
    ReviewSettingsForm,
)
from ..models import (
    Assignment,
    AssignmentRun,
    Conflict,
    Criterion,
    Invitation,
    Review,
    Reviewer,
)

PAGE_SIZE = 50
#: Committees larger than this get no suggestion list on the assignment page (type an email).
MEMBER_LIST_LIMIT = 2000


def _back(request, default: str) -> str:
    """The form's `next` if it is a path on this site, else `default` (no open redirect)."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _progress(event):
    """Per reviewer and per submission figures from a fixed number of queries."""
    visible = rules.REVIEWABLE_STATES
    conflicts = set(
        Conflict.objects.filter(event=event)
        .exclude(status=ConflictStatus.DISMISSED)
        .values_list("submission_id", "user_id")
    ) | rules.author_pairs(event)
    reviewers = list(
        Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE).select_related("user")
    )
    user_of = {r.pk: r.user_id for r in reviewers}
    assigned = [
        (s, r)
        for s, r in Assignment.objects.filter(
            submission__event=event, submission__state__in=visible
        ).values_list("submission_id", "reviewer_id")
        if r in user_of and (s, user_of[r]) not in conflicts
    ]
    reviews = list(
        Review.objects.filter(submission__event=event, state=ReviewState.SUBMITTED).values_list(
            "submission_id", "reviewer_id", "weighted_score", "recommendation"
        )
    )
    done = {(s, r) for s, r, _, _ in reviews}
    return reviewers, assigned, reviews, done


#: Orders of the per-submission table of the progress page (GET sort=...).
SUBMISSION_SORTS = {
    "code": "Code",
    "score": "Mean weighted score",
    "recommendation": "Mean recommendation",
    "spread": "Spread",
}


@event_view(organiser=True)
def dashboard(request, event):
    """`/<event>/reviews/manage/`: reviews done per reviewer and per submission (sortable by
    code, mean score, mean recommendation or spread, highest first), the overdue list and
    reminders."""
    config = domain.get_settings(event)
    reviewers, assigned, reviews, done = _progress(event)
    per_rev = Counter(r for _, r in assigned)
    per_rev_done = Counter(r for s, r in assigned if (s, r) in done)
    passed = config.deadline_passed()
    reviewer_rows = [
        {
            "reviewer": r,
            "assigned": per_rev[r.pk],
            "submitted": per_rev_done[r.pk],
            "missing": per_rev[r.pk] - per_rev_done[r.pk],
        }
        for r in reviewers
    ]
    by_code = {r.pk: r for r in reviewers}
    overdue = (
        [(by_code[r], s) for s, r in assigned if (s, r) not in done and r in by_code]
        if passed
        else []
    )
    scores = defaultdict(list)
    recs = defaultdict(list)
    for s, _, w, rec in reviews:
        if w is not None:
            scores[s].append(w)
        if rec is not None:
            recs[s].append(rec)
    needed = Counter(s for s, _ in assigned)
    received = Counter(s for s, _ in done)
    reviewable = Submission.objects.filter(event=event, state__in=rules.REVIEWABLE_STATES)
    sort = request.GET.get("sort", "code")
    if sort not in SUBMISSION_SORTS:
        sort = "code"
    if sort == "code":
        submissions = Paginator(reviewable.order_by("code"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        shown = list(submissions)
    else:
        # Best first, submissions without reviews last, ties by code.
        figure = {
            "score": lambda pk: statistics.fmean(scores[pk]) if scores.get(pk) else None,
            "recommendation": lambda pk: statistics.fmean(recs[pk]) if recs.get(pk) else None,
            "spread": lambda pk: (max(recs[pk]) - min(recs[pk])) if recs.get(pk) else None,
        }[sort]
        ordered = sorted(
            reviewable.order_by("code").values_list("pk", flat=True),
            key=lambda pk: (figure(pk) is None, -(figure(pk) or 0)),
        )
        submissions = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
        by_pk = reviewable.in_bulk(list(submissions))
        shown = [by_pk[pk] for pk in submissions]
    submission_rows = []
    for s in shown:
        sc, rc = scores.get(s.pk, []), recs.get(s.pk, [])
        submission_rows.append(
            {
                "submission": s,
                "assigned": needed[s.pk],
                "reviews": received[s.pk],
                "score": statistics.fmean(sc) if sc else None,
                "recommendation": statistics.fmean(rc) if rc else None,
                "spread": (max(rc) - min(rc)) if rc else None,
            }
        )
    overdue_codes = {
        s.pk: s.code for s in Submission.objects.filter(pk__in=[s for _, s in overdue]).only("code")
    }
    return render(
        request,
        "reviews/manage/dashboard.html",
        {
            "config": config,
            "deadline": domain.format_moment(event, config.review_deadline),
            "passed": passed,
            "reviewer_rows": reviewer_rows,
            "submission_rows": submission_rows,
            "page": submissions,
            "overdue": [(r, overdue_codes.get(s, "")) for r, s in overdue],
            "total_assigned": len(assigned),
            "total_done": sum(1 for pair in assigned if pair in done),
            "missing_count": sum(1 for pair in assigned if pair not in done),
            "recommendations": dict(Recommendation.choices),
            "sort": sort,
            "sorts": SUBMISSION_SORTS,
        },
    )


@require_POST
@event_view(organiser=True)
def remind(request, event):
    """POST `/<event>/reviews/manage/remind/`: one reminder per reviewer with missing reviews."""
    result = domain.send_reminders(event, by=request.user)
    messages.success(request, f"{result.sent} reminder{'s' if result.sent != 1 else ''} queued.")
    if result.skipped:
        minutes = int(domain.REMINDER_PAUSE.total_seconds() // 60)
        messages.info(
            request,
            f"{result.skipped} reviewer{'s were' if result.skipped != 1 else ' was'} reminded"
            f" less than {minutes} minutes ago and not mailed again.",
        )
    return redirect("reviews:manage", event=event.slug)


@event_view(organiser=True)
def review_settings(request, event):
    """`/<event>/reviews/manage/settings/`: deadline, loads, blindness, bids, release."""
    config = domain.get_settings(event)
    form = ReviewSettingsForm(request.POST or None, instance=config, event=event)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Review settings saved.")
        return redirect("reviews:manage_settings", event=event.slug)
    return render(request, "reviews/manage/settings.html", {"form": form})


@event_view(organiser=True)
def review_form(request, event):
    """`/<event>/reviews/manage/form/`: the criteria of the review form."""
    FormSet = modelformset_factory(Criterion, form=CriterionForm, extra=2, can_delete=True)
    formset = FormSet(
        request.POST or None, queryset=Criterion.objects.filter(event=event), prefix="criteria"
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for obj in formset.save(commit=False):
                obj.event = event
                obj.save()
            for obj in formset.deleted_objects:
                obj.delete()
            domain.recompute_weighted_scores(event)
        messages.success(request, "Review form saved.")
        return redirect("reviews:manage_form", event=event.slug)
    return render(request, "reviews/manage/form.html", {"formset": formset})


@event_view(organiser=True)
def committee(request, event):
    """`/<event>/reviews/manage/committee/`: invite reviewers, see who answered, set loads."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = domain.invite_reviewers(event, people=form.cleaned_data["people"], by=request.user)
        if result.sent:
            messages.success(
                request,
                f"{len(result.sent)} invitation{'s' if len(result.sent) != 1 else ''} sent.",
            )
        for reason in result.skipped:
            messages.warning(request, reason)
        return redirect("reviews:manage_committee", event=event.slug)
    reviewers = Paginator(
        Reviewer.objects.filter(event=event)
        .select_related("user")
        .annotate(
            n_assigned=Count("assignments", distinct=True),
            n_papers=Count("papers", distinct=True),
            n_bids=Count("bids", distinct=True),
        )
        .order_by("status", "user__name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    invitations = Paginator(
        Invitation.objects.filter(event=event).select_related("accepted_by").order_by("-created"),
        PAGE_SIZE,
    ).get_page(request.GET.get("invitations"))
    pending = Invitation.objects.filter(event=event, state=InvitationState.PENDING).count()
    config = domain.get_settings(event)
    return render(
        request,
        "reviews/manage/committee.html",
        {
            "form": form,
            "reviewers": reviewers,
            "invitations": invitations,
            "config": config,
            "pending": pending,
        },
    )


@require_POST
@event_view(organiser=True)
def invitation_action(request, event, pk: int, action: str):
    """POST: resend or revoke a pending invitation."""
    found = get_object_or_404(Invitation, pk=pk, event=event)
    if action not in ("resend", "revoke"):
        raise Http404("No such action.")
    try:
        if action == "resend":
            domain.resend_invitation(found, by=request.user)
            messages.success(request, f"Invitation sent again to {found.email}.")
        else:
            domain.revoke_invitation(found, by=request.user)
            messages.success(request, f"Invitation of {found.email} withdrawn.")
    except domain.ReviewError as exc:
        messages.error(request, str(exc))
    return redirect("reviews:manage_committee", event=event.slug)


@require_POST
@event_view(organiser=True)
def reviewer_action(request, event, pk: int):
    """POST: remove a reviewer from the committee, bring them back, or set their loads."""
    reviewer = get_object_or_404(Reviewer, pk=pk, event=event)
    action = request.POST.get("action")
    if action in ("remove", "restore"):
        status = ReviewerStatus.INACTIVE if action == "remove" else ReviewerStatus.ACTIVE
        domain.set_reviewer_status(reviewer, status, by=request.user)
        messages.success(request, f"{reviewer} {'removed' if action == 'remove' else 'restored'}.")
    elif action == "loads":
        form = ReviewerLoadForm(request.POST)
        if form.is_valid():
            try:
                domain.set_reviewer_loads(
                    reviewer,
                    min_load=form.cleaned_data["min_load"],
                    max_load=form.cleaned_data["max_load"],
                    by=request.user,
                )
                messages.success(request, f"Loads of {reviewer} saved.")
            except domain.ReviewError as exc:
                messages.error(request, str(exc))
        else:
            messages.error(request, "Loads are whole numbers from 0 to 1000.")
    else:
        raise Http404("No such action.")
    return redirect("reviews:manage_committee", event=event.slug)


@event_view(organiser=True)
def conflicts(request, event):
    """`/<event>/reviews/manage/conflicts/`: detected and declared conflicts; confirm or
    dismiss; run detection; add one by hand."""
    return _conflicts_page(request, event)


def _conflicts_page(request, event, add_form: AddConflictForm | None = None):
    """The conflicts page; `add_form` is a conflict by hand that failed, shown with its
    errors (status 400)."""
    filters = ConflictFilterForm(request.GET or None)
    qs = Conflict.objects.filter(event=event).select_related("submission", "user", "decided_by")
    if filters.is_valid() and filters.cleaned_data.get("status"):
        qs = qs.filter(status=filters.cleaned_data["status"])
    qs = qs.order_by("status", "submission__code", "user__name", "source")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        Conflict.objects.filter(event=event).values_list("status").annotate(n=Count("pk"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/manage/conflicts.html",
        {
            "filters": filters,
            "page": page,
            "counts": [(v, label, counts.get(v, 0)) for v, label in ConflictStatus.choices],
            "query": query.urlencode(),
            "add_form": add_form or AddConflictForm(event=event, auto_id="conflict-%s"),
        },
        status=400 if add_form is not None else 200,
    )


@require_POST
@event_view(organiser=True)
def detect_conflicts(request, event):
    result = domain.detect_conflicts(event)
    messages.success(
        request,
        f"Detection done: {result.created} new, {result.removed} no longer found, "
        f"{result.total} in all.",
    )
    return redirect("reviews:manage_conflicts", event=event.slug)


@require_POST
@event_view(organiser=True)
def decide_conflict(request, event, pk: int):
    conflict = get_object_or_404(Conflict, pk=pk, event=event)
    form = ConflictDecisionForm(request.POST)
    if form.is_valid():
        domain.decide_conflict(conflict, status=form.cleaned_data["status"], by=request.user)
        messages.success(request, f"Conflict {conflict.get_status_display().lower()}.")
    return redirect(_back(request, reverse("reviews:manage_conflicts", args=[event.slug])))


@require_POST
@event_view(organiser=True)
def add_conflict(request, event):
    form = AddConflictForm(request.POST, event=event, auto_id="conflict-%s")
    if not form.is_valid():
        # The page again, with the errors next to the fields and what was typed kept.
        return _conflicts_page(request, event, add_form=form)
    submission, reviewer = form.cleaned_data["code"], form.cleaned_data["reviewer"]
    domain.add_conflict(submission, user=reviewer.user, by=request.user)
    messages.success(request, f"Conflict of {reviewer} with {submission.code} recorded.")
    return redirect("reviews:manage_conflicts", event=event.slug)


@event_view(organiser=True)
def assignment(request, event):
    """`/<event>/reviews/manage/assignment/`: parameters, run, report, and the assignment of
    each submission with hand edits."""
    params = assigning.Parameters.from_settings(event)
    form = ParametersForm(request.POST or None, initial=params.__dict__)
    if request.method == "POST" and form.is_valid():
        run = assigning.start_run(
            event, params=assigning.Parameters(**form.cleaned_data), by=request.user
        )
        return redirect("reviews:manage_run", event=event.slug, pk=run.pk)
    runs = list(AssignmentRun.objects.filter(event=event).select_related("created_by")[:5])
    latest = runs[0] if runs else None
    page = Paginator(
        Submission.objects.filter(event=event, state=SubmissionState.SUBMITTED)
        .prefetch_related(
            Prefetch(
                "review_assignments",
                queryset=Assignment.objects.select_related("reviewer__user").order_by(
                    "reviewer__user__name"
                ),
            )
        )
        .order_by("code"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/manage/assignment.html",
        {
            "form": form,
            "latest": latest,
            "runs": runs,
            "report": _report_view(latest.report) if latest and latest.report else None,
            "page": page,
            "members": list(
                domain.committee_members(event).order_by("user__name")[: MEMBER_LIST_LIMIT + 1]
            ),
            "member_limit": MEMBER_LIST_LIMIT,
            "counts": _assignment_counts(event),
        },
    )


def _assignment_counts(event) -> dict:
    qs = Assignment.objects.filter(submission__event=event)
    return {
        "total": qs.count(),
        "kept": qs.filter(~Q(source="auto")).count(),
        "forbidden": event.submissions.filter(forbidden_reviewers__isnull=False).count(),
    }


def _report_view(report: dict) -> dict:
    """The stored report with the load histogram as bar geometry (SVG user units)."""
    histogram = sorted((int(k), v) for k, v in (report.get("load_histogram") or {}).items())
    top = max((v for _, v in histogram), default=0)
    chart_width = 600
    slot = (chart_width - 20) / max(len(histogram), 1)
    width = round(min(40.0, slot * 0.8), 1)
    bars = []
    for i, (load, n) in enumerate(histogram):
        h = round(120 * n / top, 1) if top else 0
        x = round(10 + i * slot, 1)
        bars.append({"x": x, "y": 140 - h, "ly": 136 - h, "h": h, "load": load, "n": n})
    honoured = [
        {"kind": kind.replace("_", " "), **value}
        for kind, value in (report.get("bids_honoured") or {}).items()
    ]
    return {
        **report,
        "histogram": histogram,
        "bars": bars,
        "chart_width": chart_width,
        "bar_width": width,
        "honoured": honoured,
    }


@event_view(organiser=True)
def run_detail(request, event, pk: int):
    """`/<event>/reviews/manage/assignment/runs/<pk>/`: status, messages and report of a run
    (refreshes itself while queued or running)."""
    run = get_object_or_404(AssignmentRun, pk=pk, event=event)
    fields = ParametersForm.base_fields
    parameters = [
        (
            fields[key].label if key in fields else key,
            ("yes" if value else "no") if isinstance(value, bool) else value,
        )
        for key, value in (run.parameters or {}).items()
    ]
    return render(
        request,
        "reviews/manage/run.html",
        {
            "run": run,
            "parameters": parameters,
            "report": _report_view(run.report) if run.report else None,
            "pending": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        },
    )


@require_POST
@event_view(organiser=True)
def assignment_add(request, event, code: str):
    submission = get_object_or_404(
        Submission, event=event, code=code, state__in=rules.REVIEWABLE_STATES
    )
    form = ManualAssignForm(request.POST, reviewers=domain.committee_members(event))
    if form.is_valid():
        try:
            domain.add_assignment(
                submission, reviewer=form.cleaned_data["reviewer"], by=request.user
            )
            messages.success(request, f"{form.cleaned_data['reviewer']} assigned to {code}.")
        except domain.ReviewError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(form.errors.get("reviewer", ["Choose a reviewer."])))
    return redirect(_back(request, reverse("reviews:manage_assignment", args=[event.slug])))


@require_POST
@event_view(organiser=True)
def assignment_remove(request, event, pk: int):
    found = get_object_or_404(Assignment, pk=pk, submission__event=event)
    code, name = found.submission.code, str(found.reviewer)
    domain.remove_assignment(found, by=request.user)
    messages.success(request, f"{name} no longer reviews {code}; later runs keep it so.")
    return redirect(_back(request, reverse("reviews:manage_assignment", args=[event.slug])))


@require_POST
@event_view(organiser=True)
def affinity(request, event):
    """POST: recompute the affinity cache (changed texts only, or everything)."""
    from ..matching import update_affinity

    result = update_affinity(
        event, keep=domain.get_settings(event).top_n, full=request.POST.get("full") == "1"
    )
    messages.success(
        request,
        f"Affinity updated for {result.reviewers} reviewers and {result.submissions} "
        f"submissions ({result.stored} scores stored).",
    )
    return redirect("reviews:manage_assignment", event=event.slug)


def export_rows(event) -> tuple[list[str], list[list]]:
    """Header and one row per review (drafts included) of the event, for organisers."""
    criteria = list(Criterion.objects.filter(event=event))
    header = [
        "Submission",
        "Title",
        "Track",
        "Type",
        "Reviewer",
        "Reviewer email",
        "State",
        *[c.label for c in criteria],
        "Weighted score",
        "Recommendation",
        "Confidence",
        "Comments to authors",
        "Confidential comments",
        "Submitted",
        "Last change",
    ]
    zone = event.tzinfo
    recommendation = dict(Recommendation.choices)

    def when(moment):
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z") if moment else ""

    rows = []
    qs = (
        Review.objects.filter(submission__event=event)
        .exclude(submission__state=SubmissionState.DRAFT)
        .select_related("submission__track", "submission__contribution_type", "reviewer__user")
        .order_by("submission__code", "reviewer__user__name")
    )
    for r in qs:
        s = r.submission
        rows.append(
            [
                s.code,
                s.title,
                s.track.name if s.track else "",
                s.contribution_type.name if s.contribution_type else "",
                r.reviewer.user.display_name,
                r.reviewer.user.email,
                r.get_state_display(),
                *[(r.scores or {}).get(str(c.pk), "") for c in criteria],
                r.weighted_score if r.weighted_score is not None else "",
                recommendation.get(r.recommendation, ""),
                r.confidence or "",
                r.comments_to_authors,
                r.confidential_comments,
                when(r.submitted_at),
                when(r.updated),
            ]
        )
    return header, rows


@event_view(organiser=True)
def export(request, event, fmt: str):
    """`/<event>/reviews/manage/reviews.csv|.xlsx`: every review as a spreadsheet."""
    header, rows = export_rows(event)
    stamp = timezone.now().astimezone(event.tzinfo).strftime("%Y%m%d-%H%M")
    name = f"{event.slug}-reviews-{stamp}"
    if fmt == "xlsx":
        response = HttpResponse(
            write_xlsx(rows, header, title="Reviews"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(write_csv(rows, header), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
