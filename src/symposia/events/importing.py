"""Import a Jekyll site folder (or one Markdown file) into an event.

What is read (Jekyll's own rules, https://jekyllrb.com/docs/structure/ and /docs/pages/):

- `_config.yml`: `title`, `description`, `baseurl` (the default event slug) and the `symposia:`
  block (`short_title`, `timezone`, `venue`, `contact_email`, `start_date`, `end_date`,
  `primary_colour`, `accent_colour`), applied to the Event; `exclude:` is honoured.
- Pages: `*.md`, `*.markdown`, `*.html` files with YAML front matter at any depth, except in
  folders whose name starts with `_` or `.`. The front matter is kept whole in
  `Page.front_matter`; `title` (else the first heading), `layout`, `permalink` (the slug),
  `nav_order`/`order`, `menu_title`/`menu`, `nav_exclude`/`menu: false` fill the Page fields.
- Assets: every file under `assets/` of an allowed type, and images and PDFs anywhere else,
  become `Asset` rows with the same relative path, so `![](logo.png)` keeps working.

Re-importing updates in place: pages are matched by their path in the site (then by slug),
assets by path; unchanged rows and files are not written again. Problems that do not stop
the import (unsupported Liquid, a link to an email address, a missing image) are warnings,
kept per page in `Page.import_warnings` and returned in the report.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import functools
import math
import os
import posixpath
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify

from symposia.common.markup import first_heading

from .models import RESERVED_PAGE_SLUGS, Asset, Event, Page
from .rendering import HTML_SUFFIXES, page_link_keys, page_url, render_source, site_url

PAGE_SUFFIXES = (".md", ".markdown", *HTML_SUFFIXES)
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp"}
)
DOCUMENT_SUFFIXES = frozenset({".pdf"})
# Under assets/: what a conference site links to. No .html, .js or .xml: served from the
# event's own origin they could run scripts.
ASSET_SUFFIXES = (
    IMAGE_SUFFIXES
    | DOCUMENT_SUFFIXES
    | frozenset(
        {
            ".css", ".woff", ".woff2", ".ttf", ".otf", ".txt", ".csv", ".bib", ".ics",
            ".zip", ".tex", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".odt",
            ".odp", ".ods", ".mp3", ".mp4", ".webm", ".ogg",
        }
    )
)  # fmt: skip
MAX_ASSET_BYTES = 50 * 1024 * 1024
MAX_PATH = 300  # Page.source_path and Asset.path
# Jekyll's default `exclude:` list.
DEFAULT_EXCLUDES = ("Gemfile", "Gemfile.lock", "node_modules", "vendor")
# Top-level paths of the whole site that an event slug would shadow.
RESERVED_EVENT_SLUGS = frozenset({"admin", "accounts", "static", "media"})
# Path prefixes under /<event>/ that belong to other apps: an asset there is unreachable.
APP_PREFIXES = RESERVED_PAGE_SLUGS - {"assets", "static"}
CONFIG_KEYS = (
    "short_title",
    "timezone",
    "venue",
    "contact_email",
    "start_date",
    "end_date",
    "primary_colour",
    "accent_colour",
)
DEFAULT_LAYOUT = "default"

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE
)
_PAGE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_EVENT_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
_LAYOUT_NAME = re.compile(r"[A-Za-z0-9_-]{1,50}")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_WARNING_LINE = re.compile(r"^Line (\d+):")
_SVG_ACTIVE = re.compile(
    rb"<script|<foreignobject|\son[a-z]+\s*=|javascript:|<iframe|<embed|<object", re.IGNORECASE
)


class SiteImportError(Exception):
    """The path cannot be imported: missing, not a page, not UTF-8, broken YAML, bad config."""


@dataclass
class ImportReport:
    """What an import did. `pages`/`assets` count those in the site; `written` lists the paths
    whose row or file changed, `unchanged` those left alone; `warnings` start with the path."""

    event: Event
    pages: int = 0
    assets: int = 0
    warnings: list[str] = field(default_factory=list)
    event_created: bool = False
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@dataclass
class SourcePage:
    """A page file as read from the site."""

    path: str
    front_matter: dict
    body: str
    body_line: int = 1  # the file's line number of the body's first line


@dataclass
class _Site:
    root: Path
    config: dict
    pages: list[SourcePage]
    assets: dict[str, Path]
    warnings: list[str]
    single_file: bool


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


def read_text(path: Path, name: str) -> str:
    """The file's text (UTF-8, a leading BOM dropped, line ends untouched).

    NUL characters become U+FFFD, as CommonMark requires (spec 0.31, section 2.3); no database
    text field could hold them anyway.

    Raises SiteImportError naming `name` when it cannot be read or is not UTF-8.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SiteImportError(f"{name}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SiteImportError(
            f"{name}: line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8 and import again."
        ) from exc
    return text.removeprefix("\ufeff").replace("\x00", "\ufffd")


def _without_nul(value):
    """YAML's "\\0" escape makes NUL characters: replaced by U+FFFD as in page text."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def _yaml_error(name: str, exc: yaml.YAMLError, first_line: int) -> SiteImportError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f"line {mark.line + first_line}" if mark is not None else "front matter"
    return SiteImportError(f"{name}: invalid YAML at {where}: {problem}.")


def has_front_matter(text: str) -> bool:
    """Whether `text` starts with a `---` front matter block (what makes a Jekyll page)."""
    return _FRONT_MATTER.match(text) is not None


def split_front_matter(text: str, *, name: str = "page") -> tuple[dict, str]:
    """Split '---\\nyaml\\n---\\nbody' into (mapping, body); no front matter gives ({}, text).

    The body is returned exactly as in the file. Raises SiteImportError with the file name
    and line for invalid YAML or front matter that is not a mapping.
    """
    front_matter, body, _ = _split(text, name)
    return front_matter, body


def _split(text: str, name: str) -> tuple[dict, str, int]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text, 1
    try:
        data = _without_nul(yaml.safe_load(match["yaml"]))
    except yaml.YAMLError as exc:
        raise _yaml_error(name, exc, first_line=2) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SiteImportError(
            f"{name}: the front matter must be 'key: value' lines, not a {type(data).__name__}."
        )
    body_line = text.count("\n", 0, match.end()) + 1
    return json_safe(data), text[match.end() :], body_line


def json_safe(value):
    """YAML data as JSON data: dates to ISO 8601 strings, keys to strings, sets and tuples to
    lists, bytes to base64, NaN and infinities to strings."""
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(item) for item in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _load_config(root: Path) -> dict:
    path = root / "_config.yml"
    if not path.is_file():
        return {}
    text = read_text(path, "_config.yml")
    try:
        data = _without_nul(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise _yaml_error("_config.yml", exc, first_line=1) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SiteImportError("_config.yml: must be 'key: value' lines.")
    return data


def _excluded(rel: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        pattern = pattern.strip("/")
        if not pattern:
            continue
        if fnmatch.fnmatch(rel, pattern) or rel == pattern or rel.startswith(pattern + "/"):
            return True
    return False


def _walk(root: Path, config: dict) -> _Site:
    excludes = [*DEFAULT_EXCLUDES]
    configured = config.get("exclude")
    if isinstance(configured, list):
        excludes += [str(item) for item in configured]
    site = _Site(root=root, config=config, pages=[], assets={}, warnings=[], single_file=False)
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        folder_path = Path(folder)
        rel_folder = folder_path.relative_to(root).as_posix()
        rel_folder = "" if rel_folder == "." else rel_folder
        if rel_folder == "" and "_posts" in dirs:
            count = sum(1 for _ in (root / "_posts").rglob("*") if _.is_file())
            if count:
                site.warnings.append(
                    f"_posts: {count} blog post file(s) not imported (Symposia has pages, "
                    "not posts); make them pages to import them."
                )
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(("_", "."))
            and not _excluded(posixpath.join(rel_folder, d), excludes)
        )
        for name in sorted(files):
            rel = posixpath.join(rel_folder, name)
            if name.startswith((".", "_")) or _excluded(rel, excludes):
                continue
            path = folder_path / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                site.warnings.append(f"{rel}: a link to outside the site; not imported.")
                continue
            _classify(site, path, rel)
    return site


def _classify(site: _Site, path: Path, rel: str) -> None:
    suffix = posixpath.splitext(rel)[1].lower()
    if len(rel) > MAX_PATH and suffix in PAGE_SUFFIXES + tuple(ASSET_SUFFIXES):
        site.warnings.append(f"{rel[:60]}...: paths longer than {MAX_PATH} characters are skipped.")
        return
    if suffix in PAGE_SUFFIXES:
        text = read_text(path, rel)
        if has_front_matter(text):
            site.pages.append(_source_page(text, rel))
        else:
            site.warnings.append(
                f"{rel}: no front matter (the '---' lines at the top), so Jekyll publishes it "
                "as a plain file; not imported as a page."
            )
        return
    in_assets = rel.startswith("assets/")
    if suffix in IMAGE_SUFFIXES | DOCUMENT_SUFFIXES or (in_assets and suffix in ASSET_SUFFIXES):
        site.assets[rel] = path
    elif in_assets:
        site.warnings.append(f"{rel}: files of this type are not imported.")


def _source_page(text: str, rel: str) -> SourcePage:
    front_matter, body, body_line = _split(text, rel)
    return SourcePage(path=rel, front_matter=front_matter, body=body, body_line=body_line)


def _read(path: Path) -> _Site:
    if not path.exists():
        raise SiteImportError(f"{path}: no such file or folder.")
    if path.is_dir():
        site = _walk(path, _load_config(path))
        if not site.pages and not site.assets:
            raise SiteImportError(
                f"{path}: no pages found (Markdown or HTML files that start with front matter)."
            )
        return site
    if path.suffix.lower() not in PAGE_SUFFIXES:
        raise SiteImportError(
            f"{path.name}: not a page; import a Markdown (.md, .markdown) or HTML file, "
            "or a Jekyll site folder."
        )
    page = _source_page(read_text(path, path.name), path.name)
    return _Site(
        root=path.parent, config={}, pages=[page], assets={}, warnings=[], single_file=True
    )


# --------------------------------------------------------------------------------------------
# Event
# --------------------------------------------------------------------------------------------


def _event_slug(site: _Site, slug: str | None) -> str:
    if slug is None:
        baseurl = str(site.config.get("baseurl") or "").strip("/")
        candidates = [baseurl.rsplit("/", 1)[-1], str(site.config.get("title") or "")]
        if not site.single_file or not candidates[1]:
            candidates.append(site.root.resolve().name)
        slug = next((slugify(c)[:60] for c in candidates if slugify(c)), "")
        if not slug:
            raise SiteImportError("Cannot tell the event's slug; give it with --event SLUG.")
    if not _EVENT_SLUG.fullmatch(slug):
        raise SiteImportError(
            f"{slug!r} is not a valid event slug (letters, digits, '-' and '_', at most 60)."
        )
    if slug.lower() in RESERVED_EVENT_SLUGS:
        raise SiteImportError(f"{slug!r} is reserved; choose another event slug.")
    return slug


def _config_values(config: dict, warnings: list[str]) -> dict:
    values: dict = {}
    if config.get("title") not in (None, ""):
        values["title"] = str(config["title"]).strip()
    if config.get("description") not in (None, ""):
        values["description"] = str(config["description"]).strip()
    block = config.get("symposia") or {}
    if not isinstance(block, dict):
        raise SiteImportError("_config.yml: 'symposia:' must hold 'key: value' lines.")
    for key, value in block.items():
        if key not in CONFIG_KEYS:
            warnings.append(
                f"_config.yml: symposia.{key} is not a known setting "
                f"(known: {', '.join(CONFIG_KEYS)})."
            )
            continue
        if value is None:
            continue
        if key in {"start_date", "end_date"} and not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value))
            except ValueError as exc:
                raise SiteImportError(
                    f"_config.yml: symposia.{key}: {value!r} is not a date like 2020-06-01."
                ) from exc
        elif key not in {"start_date", "end_date"}:
            value = str(value).strip()
        values[key] = value
    return values


_known_timezones = functools.cache(zoneinfo.available_timezones)


def _apply_config(event: Event, values: dict, created: bool) -> bool:
    changed = created
    for key, value in values.items():
        if getattr(event, key) != value:
            setattr(event, key, value)
            changed = True
    if not changed:
        return False
    try:
        # The zone is checked against a cached list: validate_timezone scans the zone
        # database on every call, which dominates the cost of an import.
        if event.timezone not in _known_timezones():
            raise ValidationError(
                {"timezone": f"{event.timezone!r} is not a known time zone (e.g. Europe/London)."}
            )
        event.full_clean(exclude=["timezone"], validate_unique=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise SiteImportError(f"_config.yml: {problems}") from exc
    event.save()
    return True


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


def default_order(slug: str) -> int:
    """The menu position of a page whose front matter gives none: the home page first."""
    return 0 if slug == "index" else 10


def page_slug(path: str, front_matter: dict) -> str:
    """The slug of the page at `path` in the site: from `permalink` ('/people/' -> 'people')
    if set, else from the path ('about.md' -> 'about', 'docs/index.md' -> 'docs',
    'docs/guide.md' -> 'docs-guide'); 'index' for the home page. Not de-duplicated."""
    permalink = front_matter.get("permalink")
    if isinstance(permalink, str) and permalink.strip():
        stem = re.sub(r"\.html?$", "", permalink.strip().strip("/"))
    else:
        stem = posixpath.splitext(path)[0]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")].rstrip("/")
    if not stem:
        return "index"
    stem = stem.replace("/", "-")
    # A name that is already a valid slug is kept as is (Jekyll's URLs keep their case too).
    slug = stem if _PAGE_SLUG.fullmatch(stem) else slugify(stem)
    return slug[:100] or "page"


def _text(value) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def page_fields(source: SourcePage, slug: str, warnings: list[str]) -> dict:
    """The Page fields (other than slug) the page file `source` gives when its slug is `slug`.

    Problems that do not stop the import are appended to `warnings`. A `title:` key, even
    empty, wins over the first heading; a `menu_title:` key, even empty, over `menu: Label`;
    the home page without either is "Home" in the menu.
    """
    fm = source.front_matter
    if "title" in fm and fm["title"] is not None:
        title = _text(fm["title"])
    elif source.path.lower().endswith(HTML_SUFFIXES):
        match = _H1.search(source.body)
        title = " ".join(strip_tags(match.group(1)).split()) if match else ""
    else:
        title = first_heading(source.body)
    if len(title) > 200:
        warnings.append("The title is longer than 200 characters; it is cut.")
        title = title[:200]
    layout = fm.get("layout")
    if layout is None:
        layout = DEFAULT_LAYOUT
    elif not isinstance(layout, str) or not _LAYOUT_NAME.fullmatch(layout):
        warnings.append(f"The layout {layout!r} is not a layout name; the default layout is used.")
        layout = DEFAULT_LAYOUT
    menu = fm.get("menu")
    if isinstance(fm.get("menu_title"), str):
        menu_title = fm["menu_title"].strip()
    elif isinstance(menu, str):
        menu_title = menu.strip()
    elif slug == "index" and fm.get("title") is None:
        menu_title = "Home"
    else:
        menu_title = ""
    if len(menu_title) > 60:
        warnings.append("The menu title is longer than 60 characters; it is cut.")
        menu_title = menu_title[:60]
    in_menu = not (fm.get("nav_exclude") is True or menu is False)
    order = default_order(slug)
    for key in ("nav_order", "order"):
        value = fm.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            warnings.append(f"{key}: {value!r} is not a number; it is ignored.")
            continue
        order = max(-(2**31), min(2**31 - 1, round(value)))
        if order != value:
            warnings.append(f"{key}: {value!r} is taken as {order}.")
        break
    return {
        "title": title,
        "layout": layout,
        "menu_title": menu_title,
        "in_menu": in_menu,
        "order": order,
        "front_matter": fm,
        "body": source.body,
        "source_path": source.path,
    }


def plan_slugs(
    sources: list[SourcePage], *, free: dict[str, Page] | None = None
) -> list[tuple[SourcePage, Page | None, str, list[str]]]:
    """Choose each page file's slug, in the order given (sort by path for a stable result).

    `free` maps the slugs of the event's pages that no file claims by path to those pages: a
    file whose slug is free takes that page over (returned second); otherwise the slugs in
    `free` are avoided. A slug already taken gets '-2', '-3'...; a slug that is an app's
    address under /<event>/ gets '-page'. The last item holds notes for the organiser.
    """
    free = dict(free or {})
    assigned: set[str] = set()
    plan = []
    for source in sources:
        notes: list[str] = []
        base = page_slug(source.path, source.front_matter)
        if base in RESERVED_PAGE_SLUGS:
            notes.append(f"The address /{base}/ belongs to Symposia; the page is at /{base}-page/.")
            base = f"{base}-page"
        adopted = free.pop(base) if base in free and base not in assigned else None
        slug, counter = base, 1
        while slug in assigned or slug in free:
            counter += 1
            slug = f"{base[:95]}-{counter}"
        if slug != base:
            notes.append(f"Another page already has the address /{base}/; this one is at /{slug}/.")
        assigned.add(slug)
        plan.append((source, adopted, slug, notes))
    return plan


def _plan_pages(event: Event, sources: list[SourcePage]):
    """Match each file to an existing page (by path, then by slug) and choose its slug."""
    existing = list(event.pages.all())
    by_source = {page.source_path: page for page in existing if page.source_path}
    paths = {source.path for source in sources}
    matched = {page.pk for path, page in by_source.items() if path in paths}
    free = {page.slug: page for page in existing if page.pk not in matched}
    return [
        (source, by_source.get(source.path) or adopted, slug, notes)
        for source, adopted, slug, notes in plan_slugs(sources, free=free)
    ]


# --------------------------------------------------------------------------------------------
# Assets
# --------------------------------------------------------------------------------------------


def _asset_problem(rel: str, data: bytes) -> str | None:
    if len(data) > MAX_ASSET_BYTES:
        return f"larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB; not imported."
    if rel.lower().endswith(".svg") and _SVG_ACTIVE.search(data):
        return "this SVG holds scripts, event handlers or embedded content; not imported."
    return None


def _same_content(asset: Asset, data: bytes) -> bool:
    if not asset.file:
        return False
    try:
        if asset.file.size != len(data):
            return False
        with asset.file.open("rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _import_asset(event: Event, rel: str, data: bytes, report: ImportReport) -> None:
    asset = Asset.objects.filter(event=event, path=rel).first()
    if asset is not None and _same_content(asset, data):
        report.unchanged.append(rel)
        return
    if asset is None:
        asset = Asset(event=event, path=rel)
    old = asset.file.name if asset.file else None
    # Stored under the file's name only: FileField names are limited to 100 characters, and
    # the path in the site is kept in `Asset.path`.
    asset.file.save(f"{event.slug}/{posixpath.basename(rel)}", ContentFile(data), save=False)
    asset.save()
    if old and old != asset.file.name:
        storage = asset.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    report.written.append(rel)


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def _offset_lines(message: str, body_line: int) -> str:
    return _WARNING_LINE.sub(lambda m: f"Line {int(m[1]) + body_line - 1}:", message)


@transaction.atomic
def import_site(path: Path | str, *, slug: str | None = None) -> ImportReport:
    """Import a Jekyll site folder or one page file into the event `slug`.

    The event is created when missing (slug from `--event`, else `baseurl`, the config's
    title or the folder name). Saves the Event (config values), a Page per page file and an
    Asset per asset file, only where something changed; old asset files are deleted after
    commit. All or nothing: any SiteImportError rolls everything back.

    Raises SiteImportError for a missing path, a file that is not a page, a file that is not
    UTF-8, invalid YAML (with file name and line) and invalid config values.
    """
    site = _read(Path(path))
    event_slug = _event_slug(site, slug)
    warnings: list[str] = list(site.warnings)
    values = _config_values(site.config, warnings)

    event = Event.objects.filter(slug=event_slug).first()
    created = event is None
    if event is None:
        event = Event(slug=event_slug, title=values.get("title") or event_slug)
    _apply_config(event, values, created)
    report = ImportReport(event=event, event_created=created)

    sources = []
    for source in sorted(site.pages, key=lambda source: source.path):
        if source.front_matter.get("published") is False:
            warnings.append(f"{source.path}: 'published: false'; not imported.")
        else:
            sources.append(source)
    plan = _plan_pages(event, sources)

    # Links resolve against every page of the event, those of this import included.
    root = site_url(event)
    link_map: dict[str, str] = {}
    for source, _, slug_, _ in plan:
        for key in page_link_keys(slug_, source.path, source.front_matter.get("permalink")):
            link_map[key] = page_url(root, slug_)
    for other_slug, source_path, front_matter in event.pages.values_list(
        "slug", "source_path", "front_matter"
    ):
        permalink = front_matter.get("permalink") if isinstance(front_matter, dict) else None
        for key in page_link_keys(other_slug, source_path, permalink):
            link_map.setdefault(key, page_url(root, other_slug))

    rendered = {}
    for source, _, _, _ in plan:
        rendered[source.path] = render_source(
            source.body, source_path=source.path, root=root, link_map=link_map
        )
        if site.single_file:
            # One file: bring the images and files it refers to from its folder too.
            for target in rendered[source.path].images + rendered[source.path].links:
                candidate = site.root / target
                suffix = posixpath.splitext(target)[1].lower()
                if (
                    suffix in IMAGE_SUFFIXES | DOCUMENT_SUFFIXES
                    and candidate.is_file()
                    and candidate.resolve().is_relative_to(site.root.resolve())
                ):
                    site.assets.setdefault(target, candidate)

    # Assets first, so that the pages' image checks see them.
    for rel in sorted(site.assets):
        if rel.split("/", 1)[0] in APP_PREFIXES:
            warnings.append(f"{rel}: /{rel.split('/', 1)[0]}/ belongs to Symposia; not imported.")
            continue
        try:
            data = site.assets[rel].read_bytes()
        except OSError as exc:
            raise SiteImportError(f"{rel}: cannot be read ({exc.strerror or exc}).") from exc
        problem = _asset_problem(rel, data)
        if problem:
            warnings.append(f"{rel}: {problem}")
            continue
        _import_asset(event, rel, data, report)
        report.assets += 1
    asset_paths = set(event.assets.values_list("path", flat=True))

    pending: list[tuple[Page, str]] = []
    for source, page, slug_, notes in plan:
        fields = page_fields(source, slug_, notes)
        result = rendered[source.path]
        notes += [_offset_lines(w, source.body_line) for w in result.warnings]
        for image in result.images:
            if image not in asset_paths:
                notes.append(
                    f"The image {image} does not exist; the page shows its alt text until a "
                    f"file is uploaded as an asset at the path {image}."
                )
        for link in result.links:
            if link not in asset_paths and link.rstrip("/") not in asset_paths:
                notes.append(f"The link to {link} leads to no page or file of the site.")
        fields["import_warnings"] = notes
        warnings += [f"{source.path}: {note}" for note in notes]
        if page is None:
            page = Page(event=event, slug=slug_, **fields)
            pending.append((page, slug_))
            continue
        changed = page.slug != slug_ or any(
            getattr(page, key) != value for key, value in fields.items()
        )
        for key, value in fields.items():
            setattr(page, key, value)
        if changed:
            pending.append((page, slug_))
        else:
            report.unchanged.append(source.path)
    report.pages = len(plan)

    # Two steps, so that pages may swap addresses without hitting the unique constraint.
    moving = [page for page, slug_ in pending if page.pk and page.slug != slug_]
    for page in moving:
        Page.objects.filter(pk=page.pk).update(slug=f"~{uuid.uuid4().hex}")
    for page, slug_ in pending:
        page.slug = slug_
        page.save()
        report.written.append(page.source_path)
    report.warnings = warnings
    return report
