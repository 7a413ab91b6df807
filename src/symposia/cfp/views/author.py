"""The call page and the author's side: write, save, submit, edit, withdraw, receipts, files."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from symposia.common.markup import render_markdown
from symposia.events.decorators import event_view

from .. import domain, rules
from ..enums import SubmissionState
from ..forms import (
    ABSTRACT_HARD_LIMIT,
    AuthorFormSet,
    SubmissionForm,
    author_initial,
    content_from,
    submission_initial,
)
from ..models import ContributionType, Submission, SubmissionFile, SubmissionVersion, Track
from .common import call_or_404, deadline_context, login_url, versions_with_changes

EDITABLE = (SubmissionState.DRAFT, SubmissionState.SUBMITTED)


def _login(request):
    return redirect_to_login(request.get_full_path(), login_url())


@event_view
def call_page(request, event):
    """`/<event>/cfp/`: the call, its deadlines (event zone or AoE, visitor's time by JS)."""
    call = call_or_404(event)
    types = list(ContributionType.objects.filter(event=event, is_active=True))
    type_deadlines = [
        (t, call.format(t.closes_at))
        for t in types
        if t.closes_at and t.closes_at != call.closes_at
    ]
    mine = []
    if request.user.is_authenticated:
        mine = list(
            rules.author_submissions(request.user, event).select_related(
                "event", "contribution_type"
            )
        )
    now = timezone.now()
    return render(
        request,
        "cfp/call.html",
        {
            "call": call,
            "types": types,
            "type_deadlines": type_deadlines,
            "tracks": list(Track.objects.filter(event=event)),
            "opens_text": call.format(call.opens_at),
            "has_opened": call.has_opened(now),
            "is_open": _open_for(call, request.user),
            "deadline": deadline_context(call, user=request.user),
            "mine": mine,
            "login_url": login_url(),
        },
    )


def _open_for(call, user) -> bool:
    try:
        domain.check_open(call, user=user)
    except domain.DeadlineError:
        return False
    return True


@event_view
def my_submissions(request, event):
    """`/<event>/cfp/submissions/`: the signed-in author's submissions to this event."""
    if not request.user.is_authenticated:
        return _login(request)
    call = call_or_404(event)
    submissions = list(
        rules.author_submissions(request.user, event)
        .select_related("event", "contribution_type", "track")
        .order_by("-created")
    )
    return render(request, "cfp/my_submissions.html", {"call": call, "submissions": submissions})


def _key_from(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(request.POST.get("idempotency_key", "")))
    except ValueError:
        return None


def _by_key(request, event) -> Submission | None:
    key = _key_from(request)
    if key is None:
        return None
    return Submission.objects.filter(event=event, owner=request.user, idempotency_key=key).first()


@event_view
def submission_new(request, event):
    """`/<event>/cfp/submit/`: a new submission (a draft is created on the first save)."""
    if not request.user.is_authenticated:
        return _login(request)
    call = call_or_404(event)
    submission = _by_key(request, event) if request.method == "POST" else None
    if submission is not None and not submission.is_draft:
        # Replay of a form that already submitted: show what it made, change nothing.
        version = submission.versions.filter(idempotency_key=_key_from(request)).first()
        if version is not None:
            return redirect(_receipt_url(submission, version))
        return redirect(submission.get_absolute_url())
    return _edit(request, call, submission)


@event_view
def submission_edit(request, event, code: str):
    """`/<event>/cfp/submissions/<code>/edit/`: change a draft or a submitted contribution."""
    if not request.user.is_authenticated:
        return _login(request)
    call = call_or_404(event)
    submission = rules.get_owned_submission(request.user, event, code)
    if submission.state not in EDITABLE:
        messages.error(request, "This submission can no longer be changed.")
        return redirect(submission.get_absolute_url())
    if request.method == "POST" and not submission.is_draft:
        version = submission.versions.filter(idempotency_key=_key_from(request)).first()
        if version is not None:
            return redirect(_receipt_url(submission, version))
    return _edit(request, call, submission)


def _receipt_url(submission: Submission, version: SubmissionVersion) -> str:
    return reverse(
        "cfp:receipt",
        kwargs={"event": submission.event.slug, "code": submission.code, "number": version.number},
    )


def _edit(request, call, submission: Submission | None):
    event = call.event
    closed = None
    try:
        domain.check_open(
            call,
            contribution_type=submission.contribution_type if submission else None,
            user=request.user,
            submission=submission,
        )
    except domain.DeadlineError as exc:
        closed = str(exc)
    pending = None
    if request.method == "POST" and closed is None:
        action = "submit" if request.POST.get("action") == "submit" else "save"
        strict = action == "submit"
        form = SubmissionForm(
            request.POST, request.FILES, call=call, submission=submission, strict=strict
        )
        authors = AuthorFormSet(request.POST, prefix="authors")
        authors.strict = strict
        if form.is_valid() & authors.is_valid():
            try:
                return _save(request, call, submission, form, authors, action)
            except domain.CfpError as exc:
                form.add_error(None, str(exc))
        submission, pending = _keep_upload(request, call, submission, form)
    else:
        if request.method == "POST":
            messages.error(request, closed)
        form = SubmissionForm(
            initial=submission_initial(submission), call=call, submission=submission
        )
        authors = AuthorFormSet(initial=author_initial(submission, request.user), prefix="authors")
    autosave_url = reverse("cfp:autosave", kwargs={"event": event.slug})
    if submission is not None:
        autosave_url = reverse(
            "cfp:autosave_draft", kwargs={"event": event.slug, "code": submission.code}
        )
    abstract_value = form["abstract"].value() or ""
    return render(
        request,
        "cfp/submission_form.html",
        {
            "call": call,
            "submission": submission,
            "form": form,
            "authors": authors,
            "closed": closed,
            "pending": pending,
            "preview": render_markdown(str(abstract_value)[:ABSTRACT_HARD_LIMIT], images=False),
            "deadline": deadline_context(
                call,
                user=request.user,
                contribution_type=submission.contribution_type if submission else None,
            ),
            "autosave_url": autosave_url,
            "storage_key": f"symposia-cfp:{event.slug}:{submission.code if submission else 'new'}",
        },
        status=200,
    )


@transaction.atomic
def _save(request, call, submission, form, authors, action):
    event = call.event
    content = content_from(form, authors)
    key = form.cleaned_data["idempotency_key"]
    data = form.cleaned_data
    if submission is None or submission.is_draft:
        submission = domain.save_draft(
            event, by=request.user, content=content, submission=submission, idempotency_key=key
        )
        if submission.is_draft:
            if form.pdf_info is not None:
                domain.attach_file(
                    submission,
                    upload=data["pdf"],
                    info=form.pdf_info,
                    by=request.user,
                    make_current=True,
                )
            elif data.get("remove_pdf"):
                domain.remove_file(submission, by=request.user)
            elif data.get("pending_file"):
                submission.pdf = data["pending_file"]
                submission.save(update_fields=["pdf", "updated"])
        if action == "save":
            messages.success(request, "Draft saved. It is not submitted yet.")
            return redirect(
                reverse("cfp:edit", kwargs={"event": event.slug, "code": submission.code})
            )
        version = domain.submit(submission, by=request.user, idempotency_key=key)
    else:
        pdf = data.get("pending_file")
        if form.pdf_info is not None:
            pdf = domain.attach_file(
                submission,
                upload=data["pdf"],
                info=form.pdf_info,
                by=request.user,
                make_current=False,
            )
        version = domain.submit(
            submission, by=request.user, idempotency_key=key, content=content, pdf=pdf
        )
    if version.number == 1:
        messages.success(
            request, "Thank you: your contribution is submitted. A receipt is on its way by mail."
        )
    else:
        messages.success(request, f"Version {version.number} submitted.")
    return redirect(_receipt_url(submission, version))


def _keep_upload(request, call, submission, form):
    """Keep a valid PDF uploaded with an otherwise invalid form, so it need not be sent again.

    Drafts take it as their file at once (creating the draft if needed); a submitted
    contribution keeps it aside until the author submits the change. Returns the submission
    and the waiting file.
    """
    pending = None
    if hasattr(form, "cleaned_data"):
        pending = form.cleaned_data.get("pending_file")
    if form.pdf_info is None:
        return submission, pending
    upload = form.cleaned_data["pdf"]
    try:
        if submission is None:
            key = form.cleaned_data.get("idempotency_key")
            if key is None:
                return submission, pending
            submission = domain.save_draft(
                call.event,
                by=request.user,
                content=domain.SubmissionContent(),
                idempotency_key=key,
            )
            form.submission = submission
        if submission.is_draft:
            domain.attach_file(
                submission, upload=upload, info=form.pdf_info, by=request.user, make_current=True
            )
            return submission, None
        pending = domain.attach_file(
            submission, upload=upload, info=form.pdf_info, by=request.user, make_current=False
        )
    except domain.CfpError:
        return submission, pending
    data = form.data.copy()
    data["pending_file"] = str(pending.pk)
    form.data = data
    return submission, pending


@require_POST
@event_view
def autosave(request, event, code: str | None = None):
    """POST `/<event>/cfp/autosave/` (JSON): save the form as a draft without leaving the page."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "saved": False,
                "error": (
                    "Your session has expired. Your text is kept in this browser; "
                    "sign in again to save it."
                ),
            },
            status=403,
        )
    call = call_or_404(event)
    submission = (
        rules.get_owned_submission(request.user, event, code) if code else _by_key(request, event)
    )
    if submission is not None and not submission.is_draft:
        return JsonResponse(
            {"saved": False, "error": "Submitted: changes are saved when you submit them."}
        )
    form = SubmissionForm(request.POST, call=call, submission=submission, strict=False)
    authors = AuthorFormSet(request.POST, prefix="authors")
    if not (form.is_valid() & authors.is_valid()):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        if authors.non_form_errors() or any(authors.errors):
            errors["authors"] = ["Check the authors table."]
        return JsonResponse(
            {"saved": False, "error": "Not saved: see the marked fields.", "errors": errors}
        )
    try:
        submission = domain.save_draft(
            event,
            by=request.user,
            content=content_from(form, authors),
            submission=submission,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except domain.CfpError as exc:
        return JsonResponse({"saved": False, "error": str(exc)})
    return JsonResponse(
        {
            "saved": True,
            "code": submission.code,
            "edit_url": reverse("cfp:edit", kwargs={"event": event.slug, "code": submission.code}),
            "autosave_url": reverse(
                "cfp:autosave_draft", kwargs={"event": event.slug, "code": submission.code}
            ),
            "saved_at": timezone.now().isoformat(),
        }
    )


@require_POST
@event_view
def preview(request, event):
    """POST `/<event>/cfp/preview/` (JSON): the abstract rendered by the site's renderer."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to preview."}, status=403)
    text = str(request.POST.get("text", ""))[:ABSTRACT_HARD_LIMIT]
    return JsonResponse({"html": str(render_markdown(text.replace("\x00", ""), images=False))})


@event_view
def submission_detail(request, event, code: str):
    """`/<event>/cfp/submissions/<code>/`: the submission with its history and receipts."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = rules.get_viewable_submission(request.user, event, code)
    call = call_or_404(event)
    is_owner = rules.is_owner(request.user, submission)
    # Buttons follow the state the authors may see, so that a decision not yet notified does
    # not show through them (acting on it is still refused by the domain).
    can_edit = (
        is_owner
        and submission.author_state in EDITABLE
        and _open_for_submission(call, request.user, submission)
    )
    return render(
        request,
        "cfp/submission_detail.html",
        {
            "call": call,
            "submission": submission,
            "authors": list(submission.authors.all()),
            "answers": list(
                submission.answers.select_related("question").order_by("question__position")
            ),
            "history": versions_with_changes(submission),
            "is_owner": is_owner,
            "can_edit": can_edit,
            "can_withdraw": is_owner and submission.author_state in EDITABLE,
            "can_answer": rules.can_answer_participation(request.user, submission),
            # As the reviews' conflicts page allows: an author, of a submission under way.
            "can_declare_conflicts": (
                submission.state not in (SubmissionState.DRAFT, SubmissionState.WITHDRAWN)
                and (is_owner or rules.is_coauthor(request.user, submission))
            ),
        },
    )


def _open_for_submission(call, user, submission) -> bool:
    try:
        domain.check_open(
            call, contribution_type=submission.contribution_type, user=user, submission=submission
        )
    except domain.DeadlineError:
        return False
    return True


@event_view
def receipt(request, event, code: str, number: int):
    """`/<event>/cfp/submissions/<code>/receipt/<n>/`: proof of what was submitted and when."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = rules.get_viewable_submission(request.user, event, code)
    version = get_object_or_404(SubmissionVersion, submission=submission, number=number)
    call = call_or_404(event)
    return render(
        request,
        "cfp/receipt.html",
        {
            "call": call,
            "submission": submission,
            "version": version,
            "submitted_local": call.format(version.created),
            "submitted_utc": version.created.astimezone(dt.UTC).isoformat(timespec="seconds"),
        },
    )


@event_view
def submission_file(request, event, code: str, file_id: int):
    """The PDF of a submission, only as a download (attachment, nosniff)."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = rules.get_viewable_submission(request.user, event, code)
    stored = get_object_or_404(SubmissionFile, pk=file_id, submission=submission)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{submission.code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@event_view
def withdraw(request, event, code: str):
    """`/<event>/cfp/submissions/<code>/withdraw/`: confirm (GET), withdraw (POST)."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = rules.get_owned_submission(request.user, event, code)
    if request.method == "POST":
        try:
            domain.withdraw(submission, by=request.user)
        except domain.CfpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your submission is withdrawn.")
        return redirect(submission.get_absolute_url())
    return render(request, "cfp/withdraw.html", {"submission": submission})


@event_view
def claim_extension(request, event, token: str):
    """`/<event>/cfp/extension/<token>/`: the access link of an individual extension."""
    if not request.user.is_authenticated:
        return _login(request)
    try:
        extension = domain.claim_extension(event, token, user=request.user)
    except domain.CfpError as exc:
        messages.error(request, str(exc))
        return redirect("cfp:call", event=event.slug)
    call = call_or_404(event)
    messages.success(request, f"Your deadline is extended to {call.format(extension.until)}.")
    if extension.submission_id:
        return redirect("cfp:edit", event=event.slug, code=extension.submission.code)
    return redirect("cfp:submit", event=event.slug)
