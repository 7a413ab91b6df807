"""The Django side of the automatic assignment: read the event into an AssignmentProblem
(reviews.assignment), solve it, store the result and its report.

Kept by every run: pairs pinned or added by hand (Assignment.source pinned/manual) and
automatic pairs whose reviewer has started a review; excluded: conflicts of interest that
are not dismissed, authors of the submission (detected or not), conflict bids and pairs an
organiser removed (ForbiddenPair).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission

from . import rules
from .assignment import AssignmentInfeasible, AssignmentProblem, solve
from .assignment import Bid as BidKind
from .domain import get_settings
from .enums import (
    KEPT_SOURCES,
    AssignmentSource,
    BidValue,
    ConflictStatus,
    ReviewerStatus,
    RunStatus,
)
from .matching import update_affinity
from .models import (
    AffinityScore,
    Assignment,
    AssignmentRun,
    Bid,
    Conflict,
    ForbiddenPair,
    Review,
    Reviewer,
)

log = logging.getLogger(__name__)

#: Above this many pairs the affinity goes to the solver as sparse edges, not a dense matrix.
DENSE_LIMIT = 4_000_000
#: Runs with more pairs than this go to the background worker instead of the request.
SYNC_LIMIT = 250_000

BID_KINDS = {
    BidValue.EAGER: BidKind.EAGER,
    BidValue.WILLING: BidKind.WILLING,
    BidValue.NOT_WILLING: BidKind.NOT_WILLING,
    BidValue.CONFLICT: BidKind.CONFLICT,
}


@dataclass
class Parameters:
    """What an organiser chooses for a run (defaults from ReviewSettings)."""

    k: int = 3
    min_load: int = 0
    max_load: int = 6
    top_n: int = 200
    fairness: bool = False
    bonus_eager: float = 0.5
    bonus_willing: float = 0.2
    bonus_not_willing: float = -1.0

    @classmethod
    def from_settings(cls, event) -> Parameters:
        s = get_settings(event)
        return cls(
            k=s.reviewers_per_submission,
            min_load=s.min_load,
            max_load=s.max_load,
            top_n=s.top_n,
            fairness=s.fairness,
            bonus_eager=s.bid_bonus_eager,
            bonus_willing=s.bid_bonus_willing,
            bonus_not_willing=s.bid_bonus_not_willing,
        )


@dataclass
class Loaded:
    problem: AssignmentProblem
    submissions: list[Submission]
    reviewers: list[Reviewer]


def load_problem(event, params: Parameters) -> Loaded:
    """The event's assignment problem: submitted contributions x active reviewers."""
    submissions = list(
        Submission.objects.filter(event=event, state=SubmissionState.SUBMITTED)
        .select_related("contribution_type")
        .only("pk", "code", "title", "contribution_type__reviewers_per_submission")
        .order_by("pk")
    )
    reviewers = list(
        Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    si = {s.pk: i for i, s in enumerate(submissions)}
    ri = {r.pk: j for j, r in enumerate(reviewers)}
    by_user = {r.user_id: j for j, r in enumerate(reviewers)}
    ns, nr = len(submissions), len(reviewers)

    k = [
        s.contribution_type.reviewers_per_submission
        if s.contribution_type and s.contribution_type.reviewers_per_submission is not None
        else params.k
        for s in submissions
    ]
    min_load = [r.min_load if r.min_load is not None else params.min_load for r in reviewers]
    max_load = [r.max_load if r.max_load is not None else params.max_load for r in reviewers]

    declared = set(
        Conflict.objects.filter(event=event)
        .exclude(status=ConflictStatus.DISMISSED)
        .values_list("submission_id", "user_id")
    )
    conflicts = {
        (si[s], by_user[u])
        for s, u in declared | rules.author_pairs(event)
        if s in si and u in by_user
    }
    started = set(
        Review.objects.filter(submission__event=event).values_list("submission_id", "reviewer_id")
    )
    pinned = {
        (si[a.submission_id], ri[a.reviewer_id])
        for a in Assignment.objects.filter(submission__event=event).only(
            "submission_id", "reviewer_id", "source"
        )
        if a.submission_id in si
        and a.reviewer_id in ri
        and (a.source in KEPT_SOURCES or (a.submission_id, a.reviewer_id) in started)
    } - conflicts
    forbidden = {
        (si[s], ri[r])
        for s, r in ForbiddenPair.objects.filter(submission__event=event).values_list(
            "submission_id", "reviewer_id"
        )
        if s in si and r in ri
    } - pinned
    bids = [
        ((si[s], ri[r]), BID_KINDS[v])
        for s, r, v in Bid.objects.filter(reviewer__event=event).values_list(
            "submission_id", "reviewer_id", "value"
        )
        if s in si and r in ri
    ]
    scores = [
        (si[s], ri[r], score)
        for s, r, score in AffinityScore.objects.filter(reviewer__event=event).values_list(
            "submission_id", "reviewer_id", "score"
        )
        if s in si and r in ri
    ]
    kwargs = {}
    if ns * nr <= DENSE_LIMIT:
        dense = np.zeros((ns, nr), dtype=np.float32)
        for i, j, score in scores:
            dense[i, j] = score
        kwargs["affinity"] = dense
    else:
        kwargs["edges"] = [(i, j) for i, j, _ in scores]
        kwargs["edge_scores"] = [score for _, _, score in scores]
    problem = AssignmentProblem(
        n_submissions=ns,
        n_reviewers=nr,
        k=k or 0,
        min_load=min_load or 0,
        max_load=max_load or 0,
        conflicts=sorted(conflicts),
        pinned=sorted(pinned),
        forbidden=sorted(forbidden),
        bids=[pair for pair, _ in bids],
        bid_kinds=[int(kind) for _, kind in bids],
        bid_bonus={
            BidKind.NONE: 0.0,
            BidKind.EAGER: params.bonus_eager,
            BidKind.WILLING: params.bonus_willing,
            BidKind.NOT_WILLING: params.bonus_not_willing,
        },
        submission_labels=[f"{s.code} “{s.title[:60]}”" for s in submissions],
        reviewer_labels=[r.user.display_name for r in reviewers],
        **kwargs,
    )
    return Loaded(problem=problem, submissions=submissions, reviewers=reviewers)


def start_run(event, *, params: Parameters, by) -> AssignmentRun:
    """Create a run and execute it now (small events) or in the background worker.

    Side effects: an AssignmentRun; when it finishes, the automatic Assignment rows are
    replaced (see `execute`).
    """
    run = AssignmentRun.objects.create(event=event, created_by=by, parameters=asdict(params))
    pairs = (
        Submission.objects.filter(event=event, state=SubmissionState.SUBMITTED).count()
        * Reviewer.objects.filter(event=event, status=ReviewerStatus.ACTIVE).count()
    )
    if pairs <= SYNC_LIMIT:
        execute(run.pk)
        run.refresh_from_db()
    else:
        transaction.on_commit(lambda: run_assignment_task.enqueue(run.pk))
    return run


def execute(run_id: int) -> AssignmentRun:
    """Run the assignment `run_id`: update the affinity cache, solve, store.

    Side effects: AffinityScore rows (incremental), the run's status, report and messages;
    on success automatic assignments replaced by the new ones (kept pairs untouched).
    """
    run = AssignmentRun.objects.select_related("event").get(pk=run_id)
    AssignmentRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    params = Parameters(**run.parameters)
    event = run.event
    try:
        update_affinity(event, keep=max(params.top_n, 1))
        loaded = load_problem(event, params)
        result = solve(loaded.problem, top_n=params.top_n, fairness=params.fairness, workers=1)
    except AssignmentInfeasible as exc:
        run.status = RunStatus.INFEASIBLE
        run.messages = exc.reasons
        run.finished = timezone.now()
        run.save(update_fields=["status", "messages", "finished"])
        return run
    except ValueError as exc:
        run.status = RunStatus.INFEASIBLE
        run.messages = [str(exc)]
        run.finished = timezone.now()
        run.save(update_fields=["status", "messages", "finished"])
        return run
    except Exception:
        log.exception("assignment run %s failed", run_id)
        run.status = RunStatus.FAILED
        run.messages = ["The assignment failed unexpectedly; the error has been logged."]
        run.finished = timezone.now()
        run.save(update_fields=["status", "messages", "finished"])
        return run
    _store(run, loaded, result)
    return run


def _store(run: AssignmentRun, loaded: Loaded, result) -> None:
    subs, revs = loaded.submissions, loaded.reviewers
    chosen = {(subs[i].pk, revs[j].pk) for i, j in result.pairs.tolist()}
    with transaction.atomic():
        existing = {
            (a.submission_id, a.reviewer_id): a
            for a in Assignment.objects.filter(submission__event=run.event)
        }
        started = set(
            Review.objects.filter(submission__event=run.event).values_list(
                "submission_id", "reviewer_id"
            )
        )
        drop = [
            a.pk
            for key, a in existing.items()
            if a.source == AssignmentSource.AUTO and key not in chosen and key not in started
        ]
        Assignment.objects.filter(pk__in=drop).delete()
        Assignment.objects.bulk_create(
            [
                Assignment(submission_id=s, reviewer_id=r, source=AssignmentSource.AUTO, run=run)
                for s, r in sorted(chosen - set(existing))
            ],
            batch_size=5000,
        )
        per_sub = np.bincount(result.pairs[:, 0], weights=result.score, minlength=len(subs))
        count = np.bincount(result.pairs[:, 0], minlength=len(subs))
        report = result.report.as_dict()
        report.update(
            {
                "submissions": len(subs),
                "reviewers": len(revs),
                "objective": round(result.objective, 4),
                "optimal": bool(result.optimal),
                "pinned": int(result.pinned.sum()),
                "fairness_bound": result.fairness_bound,
                "seconds": {k: round(v, 3) for k, v in result.seconds.items()},
                "lowest": [
                    {
                        "code": subs[i].code,
                        "affinity": round(float(per_sub[i] / max(count[i], 1)), 4),
                    }
                    for i in np.argsort(per_sub / np.maximum(count, 1), kind="stable")[:10]
                ]
                if len(subs)
                else [],
            }
        )
        run.report = report
        run.status = RunStatus.DONE
        run.messages = (
            [f"Candidates widened to {result.widened_to} per submission to find an assignment."]
            if result.widened_to
            else []
        )
        run.finished = timezone.now()
        run.save(update_fields=["report", "status", "messages", "finished"])


@task()
def run_assignment_task(run_id: int) -> str:
    """Background task: execute the assignment run `run_id`; returns its final status."""
    return execute(run_id).status
