"""Import a Jekyll site (or one Markdown file) into an event.

Minimal first version: front matter + body of each Markdown page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from .models import Event, Page


class SiteImportError(Exception):
    """The path cannot be imported (missing, unreadable, not Markdown)."""


@dataclass
class ImportReport:
    event: Event
    pages: int = 0
    assets: int = 0
    warnings: list[str] = field(default_factory=list)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Split '---\\nyaml\\n---\\nbody' into (mapping, body); no front matter gives ({}, text)."""
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        if len(parts) == 2:
            head = parts[0][3:]
            body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
            data = yaml.safe_load(head) or {}
            return (data if isinstance(data, dict) else {}), body
    return {}, text


@transaction.atomic
def import_site(path: Path, *, slug: str | None = None) -> ImportReport:
    """Import `path` into the event `slug` (created if missing). Re-import updates in place."""
    path = Path(path)
    if not path.exists():
        raise SiteImportError(f"{path} does not exist")
    root = path if path.is_dir() else path.parent
    config = {}
    if (root / "_config.yml").exists():
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    slug = slug or slugify(config.get("title") or root.name)
    event, _ = Event.objects.get_or_create(slug=slug, defaults={"title": config.get("title", slug)})
    report = ImportReport(event=event)
    files = [path] if path.is_file() else sorted(root.glob("*.md"))
    for file in files:
        meta, body = split_front_matter(file.read_text(encoding="utf-8"))
        page_slug = "index" if file.stem == "index" else slugify(file.stem)
        Page.objects.update_or_create(
            event=event,
            slug=page_slug,
            defaults={
                "title": meta.get("title", ""),
                "body": body,
                "layout": meta.get("layout", "default"),
                "front_matter": meta,
                "source_path": file.name,
            },
        )
        report.pages += 1
    return report
