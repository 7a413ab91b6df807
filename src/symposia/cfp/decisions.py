"""Decisions on submissions and the authors' confirmation of participation.

One function owns each transition:

    submitted / waitlisted / any decision -> accepted as poster   accept_as_poster
                                          -> accepted as talk     accept_as_talk
                                          -> rejected             reject
                                          -> waitlisted           waitlist
    any decision (not yet notified)       -> submitted            undo_decision

Every change is logged as a `Decision` row (who, when, from, to). A decision is not shown to
the authors until they are notified of it (cfp.notifications sets `notified_decision` and
`decision_notified_at`): until then their pages say "Under review". After an acceptance has
been notified, the presenting author answers with `confirm_participation` or
`decline_participation`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from symposia.accounts.models import User

from .domain import StateError, _site_url
from .enums import ACCEPTED_STATES, DECISION_STATES, Participation, SubmissionState
from .models import Decision, Submission, SubmissionAuthor

PARTICIPATION_SALT = "symposia.cfp.participation"
PARTICIPATION_LINK_DAYS = 365
DECIDABLE = frozenset({SubmissionState.SUBMITTED, *DECISION_STATES})


class BulkDecisionError(StateError):
    """A bulk decision refused as a whole; `refused` lists (code, reason) of the culprits."""

    def __init__(self, message: str, refused: list[tuple[str, str]]):
        super().__init__(message)
        self.refused = refused


def _refusal(submission: Submission, to: str) -> str | None:
    """Why `submission` cannot move to state `to`, or None when it can."""
    if to == SubmissionState.SUBMITTED:
        if submission.state not in DECISION_STATES:
            return "it has no decision to undo"
        if submission.notified_decision:
            return "its authors have been notified; choose another decision and notify them again"
        return None
    if submission.state not in DECIDABLE:
        return f"it is {submission.get_state_display().lower()}"
    return None


def _transition(
    submission: Submission, to: str, *, by: User | None, now: dt.datetime | None
) -> Submission:
    """Move one submission to `to` (locked, checked, logged); a no-op if it is there already."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state == to:
            return locked
        reason = _refusal(locked, to)
        if reason is not None:
            raise StateError(f"{locked.code} cannot take this decision: {reason}.")
        Decision.objects.create(
            submission=locked,
            from_state=locked.state,
            to_state=to,
            by=by,
            created=now or timezone.now(),
        )
        locked.state = to
        # `updated` stays as it was: authors see it, and must not learn of a decision from it.
        fields = ["state"]
        if to not in ACCEPTED_STATES and locked.participation != Participation.PENDING:
            # An answer to an acceptance means nothing once the contribution is not accepted.
            locked.participation = Participation.PENDING
            locked.participation_at = None
            locked.participation_by = ""
            fields += ["participation", "participation_at", "participation_by"]
        locked.save(update_fields=fields)
    submission.state = locked.state
    submission.participation = locked.participation
    return locked


def accept_as_poster(
    submission: Submission, *, by: User | None, now: dt.datetime | None = None
) -> Submission:
    """Accept as a poster (from submitted, waitlisted or another decision).

    Side effects: state -> accepted_poster, one Decision row. No mail: the authors learn it
    when notified (cfp.notifications). Raises StateError for drafts and withdrawn submissions.
    """
    return _transition(submission, SubmissionState.ACCEPTED_POSTER, by=by, now=now)


def accept_as_talk(
    submission: Submission, *, by: User | None, now: dt.datetime | None = None
) -> Submission:
    """Accept as a talk. Side effects and errors as `accept_as_poster`."""
    return _transition(submission, SubmissionState.ACCEPTED_TALK, by=by, now=now)


def reject(
    submission: Submission, *, by: User | None, now: dt.datetime | None = None
) -> Submission:
    """Reject. Side effects and errors as `accept_as_poster`; a participation answer is reset."""
    return _transition(submission, SubmissionState.REJECTED, by=by, now=now)


def waitlist(
    submission: Submission, *, by: User | None, now: dt.datetime | None = None
) -> Submission:
    """Put on the waiting list. Side effects and errors as `reject`."""
    return _transition(submission, SubmissionState.WAITLISTED, by=by, now=now)


def undo_decision(
    submission: Submission, *, by: User | None, now: dt.datetime | None = None
) -> Submission:
    """Take a decision back: state -> submitted, one Decision row.

    Only before the authors are notified; afterwards raise StateError (choose another
    decision and notify them again instead).
    """
    return _transition(submission, SubmissionState.SUBMITTED, by=by, now=now)


TRANSITIONS = {
    SubmissionState.ACCEPTED_POSTER: accept_as_poster,
    SubmissionState.ACCEPTED_TALK: accept_as_talk,
    SubmissionState.REJECTED: reject,
    SubmissionState.WAITLISTED: waitlist,
    SubmissionState.SUBMITTED: undo_decision,
}


def decide(submission: Submission, state: str, *, by: User | None) -> Submission:
    """Dispatch to the function that owns the transition to `state` (a decision or submitted)."""
    try:
        function = TRANSITIONS[SubmissionState(state)]
    except (ValueError, KeyError):
        raise StateError(f"{state!r} is not a decision.") from None
    return function(submission, by=by)


@dataclass
class BulkReport:
    """What `bulk_decide` did: codes changed and codes already in the requested state."""

    decision: str
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.decision == SubmissionState.SUBMITTED:
            return "Decision undone"
        return SubmissionState(self.decision).label


def bulk_decide(
    queryset: QuerySet[Submission],
    decision: str,
    *,
    by: User | None,
    now: dt.datetime | None = None,
) -> BulkReport:
    """Apply one decision (or its undoing, `decision="submitted"`) to every submission of
    `queryset`, all or nothing.

    The rows are locked in primary-key order. If any of them cannot take the decision, nothing
    changes and BulkDecisionError lists each culprit with the reason. Submissions already in
    the requested state are reported as unchanged. Side effects: as the single transitions,
    one Decision row per change, in one transaction.
    """
    if decision not in TRANSITIONS:
        raise StateError(f"{decision!r} is not a decision.")
    function = TRANSITIONS[SubmissionState(decision)]
    now = now or timezone.now()
    report = BulkReport(decision=decision)
    with transaction.atomic():
        rows = list(queryset.order_by("pk").select_for_update(of=("self",)))
        refused = [
            (s.code, reason)
            for s in rows
            if s.state != decision and (reason := _refusal(s, decision)) is not None
        ]
        if refused:
            names = "; ".join(f"{code}: {reason}" for code, reason in refused)
            raise BulkDecisionError(f"Nothing was changed. {names}.", refused)
        for submission in rows:
            if submission.state == decision:
                report.unchanged.append(submission.code)
                continue
            function(submission, by=by, now=now)
            report.changed.append(submission.code)
    return report


# --- Confirmation of participation ------------------------------------------------------------


def participation_token(author: SubmissionAuthor) -> str:
    """The signed token of an author's confirmation link (django.core.signing, salted).

    It names the submission, the author and the author's address, so it stops working if the
    author is removed or their address changes.
    """
    payload = {"s": author.submission_id, "a": author.pk, "e": author.email.lower()}
    return signing.dumps(payload, salt=PARTICIPATION_SALT, compress=True)


def participation_url(author: SubmissionAuthor, submission: Submission) -> str:
    """The absolute confirmation link for `author` (the page plus their signed token)."""
    path = reverse("cfp:confirm", kwargs={"event": submission.event.slug, "code": submission.code})
    return _site_url(f"{path}?token={participation_token(author)}")


def author_from_token(submission: Submission, token: str) -> SubmissionAuthor | None:
    """The presenting author a valid token of `submission` was made for, else None.

    None for a forged, expired (PARTICIPATION_LINK_DAYS) or foreign token, and for a token of
    an author who is not (or no longer) the presenting author.
    """
    if not token:
        return None
    try:
        data = signing.loads(
            token, salt=PARTICIPATION_SALT, max_age=dt.timedelta(days=PARTICIPATION_LINK_DAYS)
        )
        submission_id, author_id, email = int(data["s"]), int(data["a"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if submission_id != submission.pk:
        return None
    author = SubmissionAuthor.objects.filter(
        pk=author_id, submission=submission, is_presenting=True
    ).first()
    if author is None or author.email.lower() != email:
        return None
    return author


def presenting_author(submission: Submission) -> SubmissionAuthor | None:
    return submission.authors.filter(is_presenting=True).first()


def _answer(
    submission: Submission,
    answer: str,
    *,
    by: User | None,
    author: SubmissionAuthor | None,
    now: dt.datetime | None,
) -> Submission:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if not locked.is_notified_acceptance:
            raise StateError("Only accepted contributions, once notified, confirm participation.")
        if by is not None and by.is_authenticated:
            who = f"{by.display_name} <{by.email}>"
        elif author is not None:
            who = f"{author.name} <{author.email}>"
        else:
            raise StateError("Someone must answer.")
        locked.participation = answer
        locked.participation_at = now
        locked.participation_by = who[:300]
        locked.save(update_fields=["participation", "participation_at", "participation_by"])
    submission.participation = locked.participation
    submission.participation_at = locked.participation_at
    submission.participation_by = locked.participation_by
    return locked


def confirm_participation(
    submission: Submission,
    *,
    by: User | None = None,
    author: SubmissionAuthor | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Record that the presenting author will present the accepted contribution.

    `by` is the signed-in account answering (the owner or the presenting author), or `author`
    the presenting author who followed a signed link. May replace an earlier answer.
    Side effects: participation -> confirmed, with time and who. Raises StateError unless the
    contribution is accepted and the authors were notified of the acceptance.
    """
    return _answer(submission, Participation.CONFIRMED, by=by, author=author, now=now)


def decline_participation(
    submission: Submission,
    *,
    by: User | None = None,
    author: SubmissionAuthor | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Record that the accepted contribution will not be presented; it leaves the public list
    of accepted contributions. Arguments, side effects and errors as `confirm_participation`.
    """
    return _answer(submission, Participation.DECLINED, by=by, author=author, now=now)
