"""Differences between two submitted versions (snapshots from domain.snapshot); pure functions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

FIELD_LABELS = {
    "title": "Title",
    "abstract": "Abstract",
    "keywords": "Keywords",
    "contribution_type": "Contribution type",
    "track": "Track",
    "authors": "Authors",
    "answers": "Answers",
    "pdf": "PDF",
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    diff: list[str]  # unified-diff lines for long text, else empty


def _as_text(key: str, value) -> str:
    if value is None:
        return ""
    if key == "authors":
        return "\n".join(
            ", ".join(
                part
                for part in (f"{a['name']} <{a['email']}>", a.get("affiliation"), a.get("country"))
                if part
            )
            + (" (presenting)" if a.get("is_presenting") else "")
            for a in value
        )
    if key == "answers":
        lines = []
        for answer in value:
            shown = answer["value"]
            if isinstance(shown, list):
                shown = ", ".join(str(v) for v in shown)
            elif isinstance(shown, bool):
                shown = "Yes" if shown else "No"
            lines.append(f"{answer['question']}: {shown}")
        return "\n".join(lines)
    if key == "pdf":
        return f"{value['name']} ({value['size']} bytes, SHA-256 {value['sha256']})"
    return str(value)


def diff_snapshots(before: dict | None, after: dict) -> list[Change]:
    """The fields that differ between two snapshots, in FIELD_LABELS order.

    With `before` None (the first version) every non-empty field is a change from nothing.
    """
    changes = []
    for key, label in FIELD_LABELS.items():
        old = _as_text(key, (before or {}).get(key))
        new = _as_text(key, after.get(key))
        if old == new:
            continue
        lines: list[str] = []
        if before is not None and (key in ("abstract", "authors", "answers")):
            lines = list(
                difflib.unified_diff(
                    old.splitlines(), new.splitlines(), "before", "after", lineterm="", n=1
                )
            )[2:]
        changes.append(Change(field=key, label=label, before=old, after=new, diff=lines))
    return changes
