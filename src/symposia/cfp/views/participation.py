"""After the decisions: the presenting author confirms participation, and the public list of
accepted contributions."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect, render

from symposia.events.decorators import event_view

from .. import decisions, rules
from ..decision_forms import ParticipationForm
from ..domain import StateError
from ..enums import ACCEPTED_STATES, Participation, SubmissionState
from ..models import Submission, SubmissionAuthor
from .common import login_url


@event_view
def confirm(request, event, code: str):
    """`/<event>/cfp/submissions/<code>/confirm/[?token=…]`: confirm or decline participation.

    Open to the owner and the presenting author when signed in, and to whoever holds the
    presenting author's signed link; a 404 for everyone else, and while the contribution is
    not an accepted one whose authors were notified.
    """
    token = str(request.POST.get("token") or request.GET.get("token") or "")[:500]
    submission = (
        Submission.objects.select_related("event", "owner", "contribution_type")
        .filter(event=event, code=code)
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    author = decisions.author_from_token(submission, token)
    signed_in = rules.can_answer_participation(request.user, submission)
    if author is None and not signed_in:
        if not request.user.is_authenticated and not token:
            return redirect_to_login(request.get_full_path(), login_url())
        raise Http404("No such submission.")
    if not submission.is_notified_acceptance:
        raise Http404("There is no participation to confirm.")
    current = {Participation.CONFIRMED: "confirm", Participation.DECLINED: "decline"}
    form = ParticipationForm(
        request.POST or None,
        initial={"token": token, "answer": current.get(submission.participation)},
    )
    if request.method == "POST" and form.is_valid():
        answer = (
            decisions.confirm_participation
            if form.cleaned_data["answer"] == "confirm"
            else decisions.decline_participation
        )
        try:
            answer(
                submission,
                by=request.user if signed_in else None,
                author=None if signed_in else author,
            )
        except StateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "Thank you: your participation is confirmed."
                if submission.participation == Participation.CONFIRMED
                else "Thank you: we have noted that the contribution will not be presented.",
            )
        url = request.path
        if token and not signed_in:
            url += f"?token={quote(token, safe=':')}"  # as in the mailed link
        return redirect(url)
    return render(
        request,
        "cfp/confirm.html",
        {
            "submission": submission,
            "form": form,
            "presenting": decisions.presenting_author(submission),
            "signed_in": signed_in,
        },
    )


@event_view
def accepted(request, event):
    """`/<event>/cfp/accepted/`: accepted contributions whose authors were notified (and did
    not decline), talks then posters, with authors, affiliations and abstracts."""
    items = list(
        Submission.objects.filter(
            event=event, state__in=ACCEPTED_STATES, notified_decision__in=ACCEPTED_STATES
        )
        .exclude(participation=Participation.DECLINED)
        .select_related("contribution_type", "track")
        .prefetch_related(
            Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("position", "pk"))
        )
        .order_by(Lower("title"), "code")
    )
    groups = [
        (label, [s for s in items if s.notified_decision == state])
        for state, label in (
            (SubmissionState.ACCEPTED_TALK, "Talks"),
            (SubmissionState.ACCEPTED_POSTER, "Posters"),
        )
    ]
    return render(
        request,
        "cfp/accepted.html",
        {"groups": [(label, rows) for label, rows in groups if rows], "total": len(items)},
    )
