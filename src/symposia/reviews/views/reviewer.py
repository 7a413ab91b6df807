"""Reviewers' and authors' pages: home, bidding, profile, a submission, the review form, the
PDF, the discussion, authors' conflict declarations and invitation answers.

Every submission comes from `rules.visible_submissions` (through `rules.get_access` or the
reviewer's set), so a conflicted reviewer gets the same 404 as for a code that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from symposia.cfp import rules as cfp_rules
from symposia.cfp.enums import QuestionVisibility, SubmissionState
from symposia.cfp.models import SubmissionAuthor
from symposia.cfp.views.common import login_url
from symposia.events.decorators import event_view
from symposia.events.rules import is_organiser

from .. import domain, rules
from ..enums import BidValue, InvitationState, ReviewState
from ..forms import (
    BID_CHOICES,
    AuthorConflictForm,
    BidListForm,
    CommentForm,
    ProfileForm,
    ReviewForm,
    review_initial,
)
from ..models import (
    AffinityScore,
    Assignment,
    Bid,
    Comment,
    Conflict,
    Criterion,
    ForbiddenPair,
    Review,
)
from ..pdfs import anonymised_pdf

PAGE_SIZE = 50
SUGGESTIONS = 2000


def _login(request):
    return redirect_to_login(request.get_full_path(), login_url())


def _reviewer_or_404(request, event):
    reviewer = rules.get_reviewer(request.user, event)
    if reviewer is None:
        raise Http404("No such page.")
    return reviewer


@event_view
def home(request, event):
    """`/<event>/reviews/`: my assignments (reviewers), my submissions (authors), a link to
    the organisers' pages. 404 for anyone with no role."""
    if not request.user.is_authenticated:
        return _login(request)
    organiser = is_organiser(request.user, event)
    reviewer = rules.get_reviewer(request.user, event)
    own = list(
        cfp_rules.author_submissions(request.user, event)
        .exclude(state=SubmissionState.DRAFT)
        .order_by("code")
    )
    if not (organiser or reviewer or own):
        raise Http404("No such page.")
    assignments = []
    if reviewer is not None:
        visible = rules.reviewer_submissions(request.user, event, reviewer=reviewer)
        review_state = Review.objects.filter(
            submission=OuterRef("submission_id"), reviewer=reviewer
        ).values("state")[:1]
        assignments = list(
            Assignment.objects.filter(reviewer=reviewer, submission__in=visible)
            .select_related("submission__track", "submission__contribution_type")
            .annotate(review_state=Subquery(review_state))
            .order_by("submission__code")
        )
    config = domain.get_settings(event)
    return render(
        request,
        "reviews/home.html",
        {
            "organiser": organiser,
            "reviewer": reviewer,
            "assignments": assignments,
            "done": sum(a.review_state == ReviewState.SUBMITTED for a in assignments),
            "own": own,
            "config": config,
            "deadline": domain.format_moment(event, config.review_deadline),
        },
    )


BID_SORTS = {
    "affinity": ["-affinity", "code"],
    "title": ["title", "code"],
    "code": ["code"],
    "-submitted": ["-submitted_at", "code"],
}


def bid_queryset(user, event, reviewer, params):
    """The reviewer's submissions for GET `params`: search, track, type, bid, sort.

    Searches title, abstract, keywords and code; author names and affiliations too unless
    the event reviews double-blind.
    """
    form = BidListForm(params or None, event=event)
    data = form.cleaned_data if form.is_valid() else {}
    qs = rules.reviewer_submissions(user, event, reviewer=reviewer)
    text = (data.get("q") or "").strip()
    if text:
        condition = (
            Q(title__icontains=text)
            | Q(abstract__icontains=text)
            | Q(keywords__icontains=text)
            | Q(code__iexact=text)
        )
        if not domain.get_settings(event).double_blind:
            matching = SubmissionAuthor.objects.filter(
                Q(name__icontains=text) | Q(affiliation__icontains=text),
                submission__event=event,
            ).values("submission_id")
            condition |= Q(pk__in=matching)
        qs = qs.filter(condition)
    if data.get("track"):
        qs = qs.filter(track=data["track"])
    if data.get("type"):
        qs = qs.filter(contribution_type=data["type"])
    my_bid = Bid.objects.filter(reviewer=reviewer, submission=OuterRef("pk")).values("value")[:1]
    affinity = AffinityScore.objects.filter(reviewer=reviewer, submission=OuterRef("pk")).values(
        "score"
    )[:1]
    qs = qs.annotate(my_bid=Subquery(my_bid), affinity=Subquery(affinity))
    bid = data.get("bid")
    if bid == "none":
        qs = qs.filter(my_bid__isnull=True)
    elif bid:
        qs = qs.filter(my_bid=bid)
    order = BID_SORTS.get(data.get("sort") or "affinity", BID_SORTS["affinity"])
    if order[0] == "-affinity":
        qs = qs.order_by(F("affinity").desc(nulls_last=True), "code")
    else:
        qs = qs.order_by(*order)
    return qs.select_related("track", "contribution_type"), form


@event_view
def bids(request, event):
    """`/<event>/reviews/bids/`: every submission the reviewer may see, with search, filters,
    sort and a bid per row; POST saves the bids of the rows shown, then shows the page asked
    for (the pager's buttons are in the form, so changing page never drops chosen bids)."""
    if not request.user.is_authenticated:
        return _login(request)
    reviewer = _reviewer_or_404(request, event)
    qs, form = bid_queryset(request.user, event, reviewer, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.method == "POST":
        codes = [key[4:] for key in request.POST if key.startswith("bid-")]
        found = {
            s.code: s
            for s in rules.reviewer_submissions(request.user, event).filter(code__in=codes)
        }
        wanted = {}
        for code in codes:
            value = request.POST.get(f"bid-{code}", "")
            if code not in found or value not in dict(BID_CHOICES):
                continue
            wanted[found[code]] = value
        changed = domain.set_bids(reviewer, wanted)
        goto = request.POST.get("goto", "")
        if changed or not goto:
            messages.success(request, f"{changed} bid{'s' if changed != 1 else ''} saved.")
        if goto.isdigit():
            target = request.GET.copy()
            target["page"] = goto
            return redirect(f"{request.path}?{target.urlencode()}")
        return redirect(request.get_full_path())
    return render(
        request,
        "reviews/bids.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "choices": BID_CHOICES,
            "reviewer": reviewer,
        },
    )


@event_view
def profile(request, event):
    """`/<event>/reviews/profile/`: keywords and papers the affinity is computed from."""
    if not request.user.is_authenticated:
        return _login(request)
    reviewer = _reviewer_or_404(request, event)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        reviewer=reviewer,
        initial={"keywords": reviewer.keywords},
    )
    if request.method == "POST" and form.is_valid():
        domain.update_profile(
            reviewer,
            keywords=form.cleaned_data["keywords"],
            add_papers=form.cleaned_data["papers"],
            remove_paper_ids=form.cleaned_data["remove_ids"],
        )
        added = len(form.cleaned_data["papers"])
        messages.success(request, f"Profile saved; {added} paper{'s' if added != 1 else ''} read.")
        return redirect("reviews:profile", event=event.slug)
    return render(
        request,
        "reviews/profile.html",
        {"form": form, "reviewer": reviewer, "papers": list(reviewer.papers.all())},
    )


def _reviews_for(access):
    """The reviews of the submission that `access` may read, with reviewer names for the
    committee; authors get only released comments, without names."""
    submission = access.submission
    qs = Review.objects.filter(submission=submission).select_related("reviewer__user")
    if access.is_author:
        if not domain.get_settings(submission.event).reviews_released_to_authors:
            return []
        return list(qs.filter(state=ReviewState.SUBMITTED).exclude(comments_to_authors=""))
    if not access.may_read_reviews:
        return []
    if not access.is_organiser:
        qs = qs.filter(state=ReviewState.SUBMITTED)
    return list(qs.order_by("submitted_at", "pk"))


@event_view
def submission(request, event, code: str):
    """`/<event>/reviews/s/<code>/`: the submission as the user's role may see it."""
    if not request.user.is_authenticated:
        return _login(request)
    access = rules.get_access(request.user, event, code)
    s = access.submission
    config = domain.get_settings(event)
    criteria = list(Criterion.objects.filter(event=event))
    answers = s.answers.select_related("question").order_by("question__position")
    if access.role == "reviewer":
        answers = answers.filter(question__visibility=QuestionVisibility.REVIEWERS)
    context = {
        "access": access,
        "submission": s,
        "config": config,
        "criteria": criteria,
        "authors": list(s.authors.all()) if access.shows_authors else [],
        "answers": list(answers) if not access.is_author else [],
        "reviews": _reviews_for(access),
        "comments": (
            list(Comment.objects.filter(submission=s).select_related("author"))
            if access.may_discuss
            else []
        ),
        "comment_form": CommentForm() if access.may_discuss else None,
        "deadline": domain.format_moment(event, config.review_deadline),
        "deadline_passed": config.deadline_passed(),
    }
    if access.role == "reviewer":
        bid = Bid.objects.filter(reviewer=access.reviewer, submission=s).first()
        context["bid"] = bid.value if bid else ""
        context["choices"] = BID_CHOICES
    if access.is_organiser:
        context.update(_organiser_context(s, event))
    return render(request, "reviews/submission.html", context)


def _organiser_context(submission, event) -> dict:
    assignments = list(
        Assignment.objects.filter(submission=submission).select_related("reviewer__user")
    )
    conflicts = list(Conflict.objects.filter(submission=submission).select_related("user"))
    blocked = {c.user_id for c in conflicts if c.status != "dismissed"}
    taken = {a.reviewer_id for a in assignments}
    # Suggestions only: a large committee is typed by email address instead.
    members = domain.committee_members(event).exclude(user_id__in=blocked).exclude(pk__in=taken)
    candidates = list(members.order_by("user__name")[:SUGGESTIONS])
    return {
        "assignments": assignments,
        "conflicts": conflicts,
        "candidates": candidates,
        "forbidden": list(
            ForbiddenPair.objects.filter(submission=submission).select_related("reviewer__user")
        ),
    }


@require_POST
@event_view
def bid_one(request, event, code: str):
    """POST `/<event>/reviews/s/<code>/bid/`: the bid from a submission's page."""
    if not request.user.is_authenticated:
        return _login(request)
    access = rules.get_access(request.user, event, code)
    if access.role != "reviewer":
        raise Http404("No such page.")
    value = request.POST.get("bid", "")
    if value not in dict(BID_CHOICES):
        messages.error(request, "Choose one of the bids offered.")
        return redirect("reviews:submission", event=event.slug, code=code)
    domain.set_bids(access.reviewer, {access.submission: value})
    if value == BidValue.CONFLICT:
        messages.success(
            request,
            "Conflict of interest recorded: the submission is hidden from you from now on. "
            "Write to the organisers if this was a mistake.",
        )
        return redirect("reviews:bids", event=event.slug)
    messages.success(request, "Bid saved.")
    return redirect("reviews:submission", event=event.slug, code=code)


@event_view
def review(request, event, code: str):
    """`/<event>/reviews/s/<code>/review/`: write, save as draft, submit and edit a review
    until the review deadline (checked on the server at every save)."""
    if not request.user.is_authenticated:
        return _login(request)
    access = rules.get_access(request.user, event, code)
    if not access.may_review:
        raise Http404("No such page.")
    criteria = list(Criterion.objects.filter(event=event))
    config = domain.get_settings(event)
    existing = access.own_review
    form = ReviewForm(request.POST or None, criteria=criteria, initial=review_initial(existing))
    error = ""
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit" or (
            existing is not None and existing.is_submitted
        )
        if not submitting or form.require_complete():
            try:
                saved = domain.save_review(
                    access.submission,
                    reviewer=access.reviewer,
                    data=form.data_for_domain(),
                    submit=submitting,
                )
            except domain.ReviewError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    "Review submitted." if saved.is_submitted else "Draft saved.",
                )
                if saved.is_submitted:
                    return redirect("reviews:submission", event=event.slug, code=code)
                return redirect("reviews:review", event=event.slug, code=code)
    return render(
        request,
        "reviews/review_form.html",
        {
            "access": access,
            "submission": access.submission,
            "form": form,
            "review": existing,
            "versions": existing.versions.count() if existing else 0,
            "config": config,
            "deadline": domain.format_moment(event, config.review_deadline),
            "closed": config.deadline_passed(),
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@event_view
def comment(request, event, code: str):
    """POST `/<event>/reviews/s/<code>/discussion/`: add to the committee's discussion."""
    if not request.user.is_authenticated:
        return _login(request)
    access = rules.get_access(request.user, event, code)
    if not access.may_discuss:
        raise Http404("No such page.")
    form = CommentForm(request.POST)
    if form.is_valid():
        domain.post_comment(access.submission, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Message posted.")
    else:
        messages.error(request, "Write a message (at most 20,000 characters).")
    return redirect(reverse("reviews:submission", args=[event.slug, code]) + "#discussion")


@event_view
def pdf(request, event, code: str):
    """`/<event>/reviews/s/<code>/pdf/`: the submission's PDF; for reviewers of a double-blind
    event with its document metadata (author, title, XMP) removed."""
    if not request.user.is_authenticated:
        return _login(request)
    access = rules.get_access(request.user, event, code)
    stored = access.submission.pdf
    if stored is None or not access.may_download:
        raise Http404("No file.")
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    if not access.shows_authors:
        try:
            with handle:
                data = anonymised_pdf(handle)
        except ValueError:
            raise Http404("The file cannot be served without its metadata.") from None
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{access.submission.code}.pdf"'
    else:
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"{access.submission.code}.pdf",
            content_type="application/pdf",
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@event_view
def author_conflicts(request, event, code: str):
    """`/<event>/reviews/conflicts/<code>/`: the submission's authors name the committee
    members they have a conflict of interest with (names only are listed)."""
    if not request.user.is_authenticated:
        return _login(request)
    submission = (
        cfp_rules.author_submissions(request.user, event)
        .exclude(state=SubmissionState.WITHDRAWN)
        .filter(code=code)
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    members = domain.committee_members(event).order_by("user__name")
    declared = Conflict.objects.filter(
        submission=submission, source="declared_by_author"
    ).values_list("user_id", flat=True)
    form = AuthorConflictForm(
        request.POST or None,
        members=members,
        initial={"reviewers": list(members.filter(user_id__in=list(declared)))},
    )
    if request.method == "POST" and form.is_valid():
        domain.declare_author_conflicts(
            submission, users=[r.user for r in form.cleaned_data["reviewers"]], by=request.user
        )
        messages.success(request, "Your declaration of conflicts of interest is saved.")
        return redirect("reviews:author_conflicts", event=event.slug, code=code)
    return render(
        request,
        "reviews/author_conflicts.html",
        {"submission": submission, "form": form, "has_members": members.exists()},
    )


@event_view
def invitation(request, event, token: str):
    """`/<event>/reviews/invitation/<token>/`: accept (signed in) or decline the invitation.

    The token is single-use: the first answer wins, even among concurrent clicks.
    """
    found = domain.find_invitation(event, token)
    if found is None:
        response = render(request, "reviews/invitation.html", {"invalid": True}, status=404)
        response["Referrer-Policy"] = "same-origin"
        return response
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                if not request.user.is_authenticated:
                    return _login(request)
                domain.accept_invitation(found, user=request.user)
                messages.success(request, "Welcome to the programme committee.")
                return redirect("reviews:profile", event=event.slug)
            if action == "decline":
                domain.decline_invitation(found, user=request.user)
                found.refresh_from_db()
        except domain.ReviewError as exc:
            messages.error(request, str(exc))
            found.refresh_from_db()
    response = render(
        request,
        "reviews/invitation.html",
        {
            "invitation": found,
            "pending": found.state == InvitationState.PENDING,
            "now": timezone.now(),
        },
    )
    response["Referrer-Policy"] = "same-origin"
    return response
