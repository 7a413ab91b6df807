"""Organisers' decision pages: the decisions list with bulk actions, one submission's decision,
the notification templates, sending notifications and the report of what was sent."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from symposia.common import mail_templates as sandbox
from symposia.events.decorators import event_view

from .. import decisions, notifications
from ..decision_forms import (
    BulkDecisionForm,
    DecideForm,
    DecisionFilterForm,
    NotificationTemplateForm,
    NotifyForm,
    TemplatePreviewForm,
)
from ..domain import StateError
from ..enums import (
    DECISION_FOR_KIND,
    DECISION_STATES,
    Audience,
    NotificationKind,
    SubmissionState,
)
from ..models import NotificationBatch, Submission
from .manage import PAGE_SIZE, filtered_submissions


def _decision_queryset(event, params):
    qs, _ = filtered_submissions(event, params)
    form = DecisionFilterForm(params or None, event=event)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("notified") == "pending":
        qs = qs.filter(state__in=DECISION_STATES).exclude(notified_decision=F("state"))
    elif data.get("notified") == "notified":
        qs = qs.exclude(notified_decision="")
    if data.get("participation"):
        qs = qs.filter(participation=data["participation"])
    return qs, form


@event_view(organiser=True)
def decision_list(request, event):
    """`/<event>/cfp/manage/decisions/`: filter, tick, decide in bulk (all or nothing)."""
    form = BulkDecisionForm(request.POST or None, event=event)
    if request.method == "POST":
        if form.is_valid():
            chosen = Submission.objects.filter(event=event, code__in=form.cleaned_data["codes"])
            try:
                report = decisions.bulk_decide(chosen, form.cleaned_data["action"], by=request.user)
            except StateError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"{report.label}: {len(report.changed)} changed, "
                    f"{len(report.unchanged)} already so.",
                )
            return redirect(request.get_full_path())
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    qs, filters = _decision_queryset(event, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cfp/manage/decisions.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "actions": form.fields["action"].choices,
            "pending": _pending_counts(event),
        },
    )


def _pending_counts(event) -> list[dict]:
    """Per decision: how many submissions have it, and how many are not notified of it."""
    rows = {
        r["state"]: r
        for r in Submission.objects.filter(event=event, state__in=DECISION_STATES)
        .values("state")
        .annotate(total=Count("pk"), pending=Count("pk", filter=~Q(notified_decision=F("state"))))
        .order_by()
    }
    return [
        {
            "kind": kind,
            "label": SubmissionState(state).label,
            "total": rows.get(state, {}).get("total", 0),
            "pending": rows.get(state, {}).get("pending", 0),
        }
        for kind, state in DECISION_FOR_KIND.items()
    ]


@require_POST
@event_view(organiser=True)
def decide(request, event, code: str):
    """POST `/<event>/cfp/manage/decisions/<code>/decide/`: one submission's decision."""
    submission = get_object_or_404(Submission, event=event, code=code)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a decision.")
    else:
        try:
            decisions.decide(submission, form.cleaned_data["action"], by=request.user)
        except StateError as exc:
            messages.error(request, str(exc))
        else:
            submission.refresh_from_db()
            messages.success(request, f"{submission.code}: {submission.get_state_display()}.")
    return redirect("cfp:manage_submission", event=event.slug, code=code)


# --- Templates --------------------------------------------------------------------------------


@event_view(organiser=True)
def template_list(request, event):
    """`/<event>/cfp/manage/decisions/templates/`: the notification templates of the event."""
    templates = [notifications.get_template(event, kind) for kind in NotificationKind.values]
    return render(request, "cfp/manage/notification_templates.html", {"templates": templates})


def _kind_or_404(kind: str) -> str:
    if kind not in NotificationKind.values:
        raise Http404("No such template.")
    return kind


@event_view(organiser=True)
def template_edit(request, event, kind: str):
    """`/<event>/cfp/manage/decisions/templates/<kind>/`: edit, preview (unsaved), reset."""
    template = notifications.get_template(event, _kind_or_404(kind))
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "reset":
        template.subject, template.body = notifications.default_text(kind)
        template.updated_by = request.user
        template.save()
        messages.success(request, "The default text is back.")
        return redirect("cfp:template_edit", event=event.slug, kind=kind)
    form = NotificationTemplateForm(request.POST or None, instance=template)
    candidates = list(
        notifications.with_authors(notifications.candidates(event, kind)).order_by("code")[:200]
    )
    preview_form = TemplatePreviewForm(
        request.POST or None,
        codes=[(s.code, f"{s.code} — {s.title[:60]}") for s in candidates],
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if action == "preview":
            preview = _template_preview(event, form.cleaned_data, preview_form, candidates, kind)
        else:
            template = form.save(commit=False)
            template.updated_by = request.user
            template.save()
            messages.success(request, "Template saved.")
            return redirect("cfp:template_edit", event=event.slug, kind=kind)
    return render(
        request,
        "cfp/manage/notification_template.html",
        {
            "template": template,
            "form": form,
            "preview_form": preview_form,
            "preview": preview,
            "variables": [
                (v, sandbox.plain_data(v.example)) for v in notifications.documented_variables()
            ],
            "safe_tags": sorted([*sandbox.SAFE_TAGS, "for"]),
            "safe_filters": sandbox.SAFE_FILTERS,
        },
    )


def _template_preview(event, data, preview_form, candidates, kind) -> dict:
    """The rendered subject and body of an unsaved text, with a submission's data or examples."""
    code = preview_form.cleaned_data.get("preview_code") if preview_form.is_valid() else ""
    submission = next((s for s in candidates if s.code == code), None)
    try:
        if submission is None:
            sample = sandbox.sample_data(notifications.documented_variables())
            rendered = sandbox.render_mail(data["subject"], data["body"], sample)
            return {"to": "ada@example.org (example data)", **_as_sent(event, rendered)}
        recipient = notifications.recipients(submission, Audience.PRESENTING)[0]
        mail = notifications.render_for(
            submission, recipient, kind=kind, subject=data["subject"], body=data["body"]
        )
    except sandbox.MailTemplateError as exc:
        return {"error": str(exc)}
    return {
        "to": f"{recipient.name} <{recipient.email}>",
        "subject": mail.subject_as_sent,
        "body": mail.body,
    }


def _as_sent(event, rendered) -> dict:
    from symposia.common.mail import subject_prefix

    return {"subject": f"{subject_prefix(event)} {rendered.subject}", "body": rendered.body}


# --- Sending ----------------------------------------------------------------------------------


@event_view(organiser=True)
def notify(request, event):
    """`/<event>/cfp/manage/decisions/notify/?kind=…`: choose, preview, send (once)."""
    kind = request.POST.get("kind") or request.GET.get("kind") or NotificationKind.ACCEPT_POSTER
    _kind_or_404(kind)
    template = notifications.get_template(event, kind)
    candidates_qs = notifications.candidates(event, kind)
    if kind == NotificationKind.CUSTOM:
        candidates_qs, _ = _decision_queryset(event, request.GET)
        candidates_qs = candidates_qs.exclude(state=SubmissionState.WITHDRAWN)
    candidates = list(notifications.with_authors(candidates_qs).order_by("code"))
    if request.method == "POST":
        replay = _replayed_batch(event, request.POST.get("idempotency_key"))
        if replay is not None:
            return redirect("cfp:notify_report", event=event.slug, pk=replay.pk)
        form = NotifyForm(request.POST, candidates=candidates)
    else:
        default = [
            s.code
            for s in candidates
            if kind == NotificationKind.CUSTOM or not notifications.already_notified(s, kind)
        ]
        form = NotifyForm(
            initial={
                "idempotency_key": uuid.uuid4(),
                "kind": kind,
                "audience": Audience.PRESENTING,
                "codes": default,
                "preview": _first_preview(candidates, default),
            },
            candidates=candidates,
        )
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send":
            batch = _send(request, event, kind, form)
            if batch is not None:
                return redirect("cfp:notify_report", event=event.slug, pk=batch.pk)
        else:
            preview = _notify_preview(form, kind, template)
    notified = {s.code for s in candidates if notifications.already_notified(s, kind)}
    return render(
        request,
        "cfp/manage/notify.html",
        {
            "kind": kind,
            "kind_label": NotificationKind(kind).label,
            "kinds": NotificationKind.choices,
            "template": template,
            "form": form,
            "rows": [(s, s.code in notified) for s in candidates],
            "preview": preview,
            "pending": _pending_counts(event),
            "filters": DecisionFilterForm(request.GET or None, event=event)
            if kind == NotificationKind.CUSTOM
            else None,
        },
    )


def _first_preview(candidates, default_codes) -> str:
    for submission in candidates:
        if submission.code in default_codes or not default_codes:
            first = notifications.recipients(submission, Audience.PRESENTING)[0]
            return f"{submission.code} {first.email}"
    return ""


def _replayed_batch(event, key) -> NotificationBatch | None:
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    return NotificationBatch.objects.filter(event=event, idempotency_key=key).first()


def _send(request, event, kind, form) -> NotificationBatch | None:
    selected = form.selected()
    if not selected:
        form.add_error("codes", "Tick at least one submission.")
        return None
    again = [s.code for s in selected if notifications.already_notified(s, kind)]
    if again and not form.cleaned_data["resend"]:
        form.add_error(
            "resend",
            f"The authors of {len(again)} of the ticked submissions ({', '.join(again)}) were "
            "already notified of this decision. Tick this box to send to them again, or untick "
            "those submissions.",
        )
        return None
    try:
        return notifications.send_notifications(
            event,
            kind=kind,
            submissions=selected,
            audience=form.cleaned_data["audience"],
            by=request.user,
            idempotency_key=form.cleaned_data["idempotency_key"],
            resend=form.cleaned_data["resend"],
        )
    except notifications.NotificationError as exc:
        form.add_error(None, str(exc))
        return None


def _notify_preview(form, kind, template) -> dict:
    submission, recipient = form.preview_target()
    if submission is None:
        return {"error": "Choose whose mail to preview."}
    try:
        mail = notifications.render_for(
            submission, recipient, kind=kind, subject=template.subject, body=template.body
        )
    except sandbox.MailTemplateError as exc:
        return {"error": f"The template cannot be used: {exc}"}
    audience = form.cleaned_data["audience"]
    receives = any(
        r.email == recipient.email for r in notifications.recipients(submission, audience)
    )
    return {
        "to": f"{recipient.name} <{recipient.email}>",
        "subject": mail.subject_as_sent,
        "body": mail.body,
        "receives": receives,
        "selected": submission in form.selected(),
    }


@event_view(organiser=True)
def notify_report(request, event, pk: int):
    """`/<event>/cfp/manage/decisions/notify/<id>/`: what one sending did."""
    batch = get_object_or_404(NotificationBatch.objects.select_related("by"), event=event, pk=pk)
    return render(
        request,
        "cfp/manage/notify_report.html",
        {
            "batch": batch,
            "sent": batch.report.get("sent", []),
            "skipped": batch.report.get("skipped", []),
            "recent": NotificationBatch.objects.filter(event=event).exclude(pk=batch.pk)[:10],
        },
    )
