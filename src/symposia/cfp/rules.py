"""Who may see and change what in the call for contributions.

Owner: the user who created the submission; edits, submits and withdraws it.
Co-author: a signed-in user with a verified address listed among the authors; reads it.
Organiser: reads every submission of the event and its files (events.rules.is_organiser).
Everyone else gets a 404, so codes of other people's submissions are not revealed.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from symposia.events.rules import is_organiser

from .models import Submission


def is_owner(user, submission: Submission) -> bool:
    return user.is_authenticated and submission.owner_id == user.pk


def is_coauthor(user, submission: Submission) -> bool:
    """Listed author with this verified address (or linked account)."""
    if not user.is_authenticated:
        return False
    if not getattr(user, "email_verified", False):
        return submission.authors.filter(user=user).exists()
    return submission.authors.filter(Q(user=user) | Q(email__iexact=user.email)).exists()


def can_view(user, submission: Submission) -> bool:
    return (
        is_owner(user, submission)
        or is_coauthor(user, submission)
        or is_organiser(user, submission.event)
    )


def author_submissions(user, event):
    """Submissions of `event` that `user` owns or co-authors (a queryset, no duplicates)."""
    if not user.is_authenticated:
        return Submission.objects.none()
    condition = Q(owner=user) | Q(authors__user=user)
    if getattr(user, "email_verified", False):
        condition |= Q(authors__email__iexact=user.email)
    ids = Submission.objects.filter(condition, event=event).values("pk")
    return Submission.objects.filter(pk__in=ids)


def get_viewable_submission(user, event, code: str) -> Submission:
    """The submission `code` of `event` if `user` may read it; Http404 otherwise."""
    submission = (
        Submission.objects.select_related("event", "owner", "contribution_type", "track", "pdf")
        .filter(event=event, code=code)
        .first()
    )
    if submission is None or not can_view(user, submission):
        raise Http404("No such submission.")
    return submission


def get_owned_submission(user, event, code: str) -> Submission:
    """The submission `code` of `event` if `user` owns it; Http404 otherwise."""
    submission = (
        Submission.objects.select_related("event", "owner", "contribution_type", "track", "pdf")
        .filter(event=event, code=code)
        .first()
    )
    if submission is None or not is_owner(user, submission):
        raise Http404("No such submission.")
    return submission
