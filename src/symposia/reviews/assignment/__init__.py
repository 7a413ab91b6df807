"""Reviewer assignment and text affinity: pure algorithms on numpy arrays, no Django.

* :mod:`.affinity`: affinity of reviewers to submissions from text (TF-IDF or BM25,
  best match over each reviewer's papers), top-N candidates, a content-hash cache.
* :mod:`.problem`: :class:`AssignmentProblem`, the problem as arrays.
* :mod:`.solver`: :func:`solve`, the optimal assignment as one min-cost flow.
* :mod:`.feasibility`: :func:`explain_infeasibility`, why no assignment exists.
* :mod:`.report`: figures for organisers.
"""

from .feasibility import explain_infeasibility
from .problem import SCALE, AssignmentProblem, Bid
from .report import AssignmentReport
from .solver import (
    AssignmentInfeasible,
    AssignmentResult,
    organiser_edits,
    solve,
    with_edits,
)

__all__ = [
    "SCALE",
    "AssignmentInfeasible",
    "AssignmentProblem",
    "AssignmentReport",
    "AssignmentResult",
    "Bid",
    "explain_infeasibility",
    "organiser_edits",
    "solve",
    "with_edits",
]
