"""Export an event's site as a Jekyll folder: the inverse of events.importing.

`_config.yml` (title, description, baseurl and the `symposia:` block), each page as Markdown
(or HTML) with YAML front matter at its path in the site, and every asset at its path.
Importing the folder gives back the same pages, assets and event settings:
import_site(export_site(event)) reproduces the event's site (tests/events/test_exporting.py).

The front matter written is the one kept at import (`Page.front_matter`, unknown keys
included) with `title`, `layout`, `nav_order`, `nav_exclude`, `menu_title` and `permalink`
set only where the page was changed in Symposia; bodies are written byte for byte.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .importing import (
    CONFIG_KEYS,
    SourcePage,
    json_safe,
    page_fields,
    plan_slugs,
)
from .models import Event, Page

_PAGE_FIELDS = ("title", "layout", "menu_title", "in_menu", "order")
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")
_TIMESTAMP_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?")


class SiteExportError(Exception):
    """The target cannot be written (e.g. it is a file)."""


@dataclass
class ExportReport:
    directory: Path
    pages: int = 0
    assets: int = 0
    warnings: list[str] = field(default_factory=list)


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes ISO dates unquoted, as Jekyll front matter has them.

    Import turns YAML dates into ISO strings (JSON has no dates); writing such a string back
    as a plain scalar restores the date for Jekyll, and importing it again gives the same
    string. Only strings that survive that round trip exactly are written plain.
    """


def _represent_str(dumper: yaml.SafeDumper, data: str):
    if _TIMESTAMP_LIKE.fullmatch(data):
        try:
            loaded = yaml.safe_load(data)
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dt.date) and json_safe(loaded) == data:
            return dumper.represent_scalar("tag:yaml.org,2002:timestamp", data)
    if _YAML_BREAKS.search(data):
        # YAML 1.1 reads NEL and the Unicode line separators as line breaks and folds them
        # into spaces unless they are escaped, which only the double-quoted style does.
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return yaml.SafeDumper.represent_str(dumper, data)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict) -> str:
    """YAML for `data` (keys in their order, Unicode kept); '' for an empty mapping."""
    if not data:
        return ""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def page_document(front_matter: dict, body: str) -> str:
    """A page file: the front matter between '---' lines, then the body unchanged."""
    return f"---\n{dump_yaml(front_matter)}---\n{body}"


def config_document(event: Event) -> str:
    """`_config.yml` for the event: what import_site reads back into the Event."""
    config: dict = {"title": event.title}
    if event.description:
        config["description"] = event.description
    config["baseurl"] = f"/{event.slug}"
    block = {}
    for key in CONFIG_KEYS:
        value = getattr(event, key)
        if value not in (None, ""):
            block[key] = value
    config["symposia"] = block
    header = "# Site settings (Jekyll) and the event settings Symposia reads (symposia:).\n"
    return header + dump_yaml(config)


def _safe_path(path: str) -> bool:
    """A relative path inside the site that an import would read back."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    normal = posixpath.normpath(path)
    return normal == path and not any(part.startswith((".", "_")) for part in normal.split("/"))


def _default_path(page: Page, used: set[str]) -> str:
    stem = "index" if page.slug == "index" else page.slug
    path, counter = f"{stem}.md", 1
    while path in used:
        counter += 1
        path = f"{stem}-{counter}.md"
    return path


def _front_matter(page: Page, path: str, start: dict | None = None) -> dict:
    """The front matter (from `start`, by default the one kept at import) that makes an
    import give back this page's fields."""
    if start is None:
        start = page.front_matter if isinstance(page.front_matter, dict) else {}
    fm = dict(start)
    # Title first: whether a title is given changes the home page's default menu title.
    for _ in range(3):
        derived = page_fields(SourcePage(path=path, front_matter=fm, body=page.body), page.slug, [])
        changed = [key for key in _PAGE_FIELDS if derived[key] != getattr(page, key)]
        if not changed:
            break
        if "title" in changed:
            fm["title"] = page.title
            continue
        if "layout" in changed:
            fm["layout"] = page.layout
        if "order" in changed:
            key = "order" if "order" in fm and "nav_order" not in fm else "nav_order"
            fm.pop("order" if key == "nav_order" else "nav_order", None)
            fm[key] = page.order
        if "in_menu" in changed:
            if page.in_menu:
                fm.pop("nav_exclude", None)
                if fm.get("menu") is False:
                    del fm["menu"]
            else:
                fm["nav_exclude"] = True
        if "menu_title" in changed:
            fm["menu_title"] = page.menu_title
    return fm


def plan_export(event: Event) -> tuple[list[tuple[Page, str, dict]], list[str]]:
    """For each page of the event: (page, path in the site, front matter to write)."""
    warnings: list[str] = []
    pages = list(event.pages.order_by("source_path", "slug"))
    used: set[str] = set()
    paths: dict[int, str] = {}
    for page in pages:
        path = page.source_path
        if path and not _safe_path(path):
            warnings.append(f"{page.slug}: the path {path!r} is not usable; written as .md.")
            path = ""
        if not path or path in used:
            path = _default_path(page, used)
        used.add(path)
        paths[page.pk] = path
    matters = {page.pk: _front_matter(page, paths[page.pk]) for page in pages}
    # Slugs an import would choose; a page whose slug differs gets a permalink.
    for _ in range(4):
        by_path = {paths[page.pk]: page for page in pages}
        sources = [
            SourcePage(path=path, front_matter=matters[page.pk], body=page.body)
            for path, page in sorted(by_path.items())
        ]
        moved = False
        for source, _adopted, slug, _notes in plan_slugs(sources):
            page = by_path[source.path]
            if slug != page.slug:
                fm = dict(matters[page.pk])
                fm["permalink"] = "/" if page.slug == "index" else f"/{page.slug}/"
                matters[page.pk] = _front_matter(page, paths[page.pk], fm)
                moved = True
        if not moved:
            break
    else:
        warnings.append(
            "Some page addresses cannot be expressed in a Jekyll site (e.g. capital letters "
            "in a slug); importing this export gives them other addresses."
        )
    return [(page, paths[page.pk], matters[page.pk]) for page in pages], warnings


def export_site(event: Event, directory: Path | str) -> ExportReport:
    """Write the event's site into `directory` (created if missing; files already there
    with other names are left alone). Writes `_config.yml`, one file per page and one per
    asset; reads the asset files from storage. Raises SiteExportError if `directory` is a
    file; an asset whose file is missing is a warning."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise SiteExportError(f"{directory} is a file, not a folder.")
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport(directory=directory)
    (directory / "_config.yml").write_text(config_document(event), encoding="utf-8")

    plan, report.warnings = plan_export(event)
    page_paths = set()
    for page, path, front_matter in plan:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page_document(front_matter, page.body).encode("utf-8"))
        page_paths.add(path)
        report.pages += 1

    for asset in event.assets.all():
        if not _safe_path(asset.path) or asset.path in page_paths:
            report.warnings.append(f"{asset.path}: not a usable path in a site; not written.")
            continue
        try:
            with asset.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            report.warnings.append(f"{asset.path}: the file is missing; not written.")
            continue
        target = directory / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        report.assets += 1
    return report
