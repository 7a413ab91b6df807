"""Export an event's public site as plain files (`symposia export-static SLUG OUTDIR`).

The result works from any static host under any base path (GitHub Pages, a USB stick, a
file:// URL): every link between exported files is relative and names the file itself
(`../programme/index.html`), maths is already MathML, and nothing needs a server.

What is written, for the event at /<slug>/:
- its pages and assets, the programme, posters, speakers, contribution and talk pages,
  rendered by the site's own views and templates (pages that list many items through the
  Django test client; the per-contribution and per-speaker pages from one loaded programme,
  through the same rendering functions as the views);
- the feeds: schedule.ics, one .ics per session and per talk, schedule.json and schedule.xml;
- the slides uploaded for talks, the newest book of abstracts, and every static file
  (CSS, scripts, images, fonts) a page or a style sheet refers to.

URL paths map to files: /<slug>/a/b/ -> a/b/index.html, /<slug>/a.ics -> a.ics,
/static/x.css -> static/x.css, with percent-encoded names decoded to UTF-8 file names and
links percent-encoded again (RFC 3986). Links to pages that are not exported (log-in, the
call for contributions, other events) lose their target, or point to `live_url` if given.
`base_url` (where the export will be served, a URL or a path) makes the absolute links that
calendars and conference apps need.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.shortcuts import render
from django.template import engines
from django.template.context_processors import request as request_processor
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from symposia.events.models import Asset
from symposia.publishing import frab, ical
from symposia.publishing.data import ItemKind
from symposia.schedule import feeds
from symposia.schedule.enums import PersonRole
from symposia.schedule.models import Publication
from symposia.schedule.published import load_programme, to_data
from symposia.schedule.views import public as public_views

from .models import latest_book

HTML_TYPES = ("text/html",)
# Attributes holding a URL; srcset and style are not produced by the site's templates.
_ATTRIBUTE = re.compile(r'(?P<name>\b(?:href|src|poster)\s*=\s*)"(?P<value>[^"]*)"', re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(?P<quote>['\"]?)(?P<value>[^'\")]+)(?P=quote)\s*\)")
_SCHEMES = ("http:", "https:", "mailto:", "tel:", "data:", "javascript:")
# Apps whose public URLs belong to an exported site; others (accounts, cfp...) stay online.
EXPORTED_APPS = {"events", "schedule"}
# Pages fetched through the site when a link names one not rendered yet; the feeds, slides and
# book are written from the loaded programme instead (one request each would reload it all).
FETCHED_SCHEDULE_VIEWS = {"programme", "posters", "speakers", "speaker", "contribution", "talk"}


class ExportError(Exception):
    """The export cannot be made (unpublished programme with `require_published`, bad path)."""


@dataclass
class ExportReport:
    outdir: Path
    files: int = 0
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    skipped_links: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def url_to_file(path: str, prefix: str) -> str | None:
    """Relative file name (POSIX, decoded) for the URL path `path`, or None outside the export.

    `prefix` is the event's root path ("/mathml2020/"); /static/ and /media/ keep their own
    folders. A path ending in "/" is a directory page: "index.html" inside it.
    """
    path = unquote(path)
    if path.startswith(prefix):
        relative = path[len(prefix) :]
    elif path.startswith(settings.STATIC_URL) or path.startswith(settings.MEDIA_URL):
        relative = path.lstrip("/")
    else:
        return None
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts) or not parts:
        return None
    return "/".join(parts)


def relative_link(from_file: str, to_file: str, fragment: str = "") -> str:
    """Percent-encoded relative link from file `from_file` to file `to_file` (both relative
    to the export's root), with an optional `#fragment`."""
    start = posixpath.dirname(from_file) or "."
    link = posixpath.relpath(to_file, start)
    link = quote(link, safe="/-._~!$&'()*+,;=:@")
    return link + (f"#{fragment}" if fragment else "")


class _Exporter:
    def __init__(
        self,
        event,
        outdir: Path,
        *,
        base_url: str,
        live_url: str,
        log: Callable[[str], None],
    ):
        self.event = event
        self.outdir = outdir
        self.prefix = f"/{event.slug}/"
        self.base_url = _base_url(base_url)
        self.live_url = live_url.rstrip("/")
        self.log = log
        self.files: dict[str, bytes] = {}  # relative file name -> content
        self.html_files: dict[str, str] = {}  # relative file name -> URL path it came from
        self.css_files: dict[str, str] = {}
        self.link_memo: dict[tuple[str, str, str], str | None] = {}
        self.read_links: set[str] = set()
        self.jobs: list[tuple[str, Callable[[], bytes], str]] = []
        self.seen: set[str] = set()
        self.report = ExportReport(outdir=outdir)
        self.client = Client(HTTP_HOST=_host(), secure=True)
        self.factory = RequestFactory(HTTP_HOST=_host(), secure=True)

    # -- collecting ------------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        """Absolute URL of a site path once exported under `base_url`."""
        file = url_to_file(urlsplit(path).path, self.prefix)
        if file is None:
            return f"{self.live_url or settings.SITE_URL}{path}"
        if file.endswith("index.html"):
            file = file[: -len("index.html")]
        return self.base_url + quote(file, safe="/-._~!$&'()*+,;=:@")

    def add(self, path: str, content: bytes, *, kind: str = "") -> None:
        file = url_to_file(path, self.prefix)
        if file is None:
            return
        self.seen.add(path)
        self.files[file] = content
        if kind == "html":
            self.html_files[file] = path
        elif kind == "css":
            self.css_files[file] = path

    def fetch(self, path: str) -> bool:
        """GET `path` through the site and keep it when it answers 200; True if kept."""
        if path in self.seen:
            return True
        self.seen.add(path)
        file = url_to_file(path, self.prefix)
        if file is None or not self.exportable(path):
            return False
        if path.startswith(settings.STATIC_URL):
            return self.static(path)
        response = self.client.get(path)
        if response.status_code != 200:
            return False
        content = b"".join(response) if response.streaming else response.content
        kind = response.get("Content-Type", "").split(";")[0].strip()
        self.add(
            path,
            content,
            kind="html" if kind in HTML_TYPES else "css" if kind == "text/css" else "",
        )
        return True

    def static(self, path: str) -> bool:
        name = unquote(path[len(settings.STATIC_URL) :])
        found = finders.find(name)
        if not found:
            return False
        content = Path(found).read_bytes()
        self.add(path, content, kind="css" if name.endswith(".css") else "")
        return True

    def exportable(self, path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        if path.startswith(settings.MEDIA_URL):
            return False
        try:
            match = resolve(path)
        except Resolver404:
            return False
        if match.app_name not in EXPORTED_APPS or match.kwargs.get("event") != self.event.slug:
            return False
        if match.app_name == "schedule":
            return match.url_name in FETCHED_SCHEDULE_VIEWS
        return match.app_name == "events"

    def request(self, path: str):
        request = self.factory.get(path)
        request.user = AnonymousUser()
        request.event = self.event
        request.resolver_match = resolve(path)
        return request

    def render(self, path: str, renderer) -> None:
        """Queue a page for `run_jobs`: a view's rendering function, in the event's zone."""
        self.seen.add(path)
        zone = self.event.tzinfo

        def job() -> bytes:
            with timezone.override(zone):
                return renderer(self.request(path)).content

        self.jobs.append((path, job, "html"))

    def later(self, path: str, job: Callable[[], bytes]) -> None:
        """Queue a file made by `job` for `run_jobs`."""
        self.seen.add(path)
        self.jobs.append((path, job, ""))

    def run_jobs(self) -> None:
        """Make the queued files (the first page fills the caches the others share)."""
        jobs, self.jobs = self.jobs, []
        for path, job, kind in jobs:
            self.add(path, job(), kind=kind)

    @contextmanager
    def shared_context(self):
        """Compute the template context processors once for all pages rendered in bulk.

        Every exported page is seen by the same anonymous visitor of the same event, so the
        processors' results (the event, its menu, the visitor) do not change from page to
        page; only `request` is the current one. Saves their queries on thousands of pages.
        """
        engine = engines["django"].engine
        processors = engine.template_context_processors
        memo: dict[int, dict] = {}

        def shared(processor):
            def wrapped(request):
                if processor is request_processor:
                    return processor(request)
                if id(processor) not in memo:
                    memo[id(processor)] = processor(request)
                return memo[id(processor)]

            return wrapped

        engine.__dict__["template_context_processors"] = tuple(shared(p) for p in processors)
        try:
            yield
        finally:
            engine.__dict__["template_context_processors"] = processors

    def collect(self) -> None:
        event = self.event
        publication = Publication.objects.filter(event=event).first()
        public = publication is not None and publication.is_public
        for page in event.pages.all():
            self.fetch(page.get_absolute_url())
        for asset in Asset.objects.filter(event=event):
            if asset.file:
                path = reverse("events:asset", kwargs={"event": event.slug, "path": asset.path})
                with asset.file.open("rb") as stored:
                    self.add(path, stored.read())
        if not public:
            self.report.warnings.append("The programme is not published: it is not exported.")
            return
        slug = event.slug
        programme = load_programme(event, publication=publication)
        with self.shared_context():
            context = public_views.programme_context(event, programme)
            for name, template in public_views.PROGRAMME_TEMPLATES.items():
                self.render(
                    reverse(f"schedule:{name}", kwargs={"event": slug}),
                    lambda request, template=template: render(request, template, context),
                )
            self.programme_pages(programme, publication)
            self.run_jobs()
        self.programme_files(programme)
        book = latest_book(event)
        if book is not None:
            with book.pdf.open("rb") as stored:
                self.add(reverse("publishing:book_pdf", kwargs={"event": slug}), stored.read())

    def programme_pages(self, programme, publication) -> None:
        event, slug = self.event, self.event.slug
        items_by_person: dict[int, list] = {}
        for item in programme.items:
            for person in item.speakers.all():
                items_by_person.setdefault(person.pk, []).append(item)
        chaired: dict[int, list] = {}
        people = {}
        for session in programme.sessions:
            if session.chair is not None:
                chaired.setdefault(session.chair.pk, []).append(session)
                people[session.chair.pk] = session.chair
        for item in programme.items:
            for person in item.speakers.all():
                people[person.pk] = person
        for person in event.people.filter(role__in=[PersonRole.INVITED_SPEAKER]):
            person.event = event
            people.setdefault(person.pk, person)
        for person in people.values():
            path = reverse("schedule:speaker", kwargs={"event": slug, "slug": person.slug})
            self.render(
                path,
                lambda request, person=person: public_views.render_speaker(
                    request,
                    event,
                    person=person,
                    talks=items_by_person.get(person.pk, []),
                    chaired=chaired.get(person.pk, []),
                    publication=publication,
                ),
            )
        placed = {}
        for item in programme.items:
            if item.submission is not None:
                placed[item.submission_id] = item
            else:
                path = reverse("schedule:talk", kwargs={"event": slug, "pk": item.pk})
                self.render(
                    path,
                    lambda request, item=item: public_views.render_talk(
                        request, event, item=item, publication=publication
                    ),
                )
            if item.slides:
                with item.slides.open("rb") as stored:
                    self.add(item.slides_download_url(), stored.read())
        from symposia.cfp.enums import ACCEPTED_STATES
        from symposia.cfp.models import Submission

        submissions = (
            Submission.objects.filter(event=event, state__in=list(ACCEPTED_STATES))
            .select_related("contribution_type", "track")
            .prefetch_related("authors")
        )
        for submission in submissions:
            item = placed.get(submission.pk)
            if item is not None:
                submission = item.submission
            path = reverse("schedule:contribution", kwargs={"event": slug, "code": submission.code})
            self.render(
                path,
                lambda request, submission=submission, item=item: public_views.render_contribution(
                    request, event, submission=submission, item=item, publication=publication
                ),
            )

    def programme_files(self, programme) -> None:
        slug = self.event.slug
        data = to_data(programme, absolute=self.absolute)
        host = feeds.uid_host()
        base_url = self.absolute(reverse("schedule:programme", kwargs={"event": slug}))
        self.add(
            reverse("schedule:ics", kwargs={"event": slug}),
            ical.calendar_for(data.event, data.items, host=host),
        )
        document = frab.schedule_json(
            data.event, data.rooms, data.items, version=data.version, base_url=base_url
        )
        self.add(
            reverse("schedule:json", kwargs={"event": slug}),
            json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
        )
        self.add(
            reverse("schedule:xml", kwargs={"event": slug}),
            frab.schedule_xml(
                data.event, data.rooms, data.items, version=data.version, base_url=base_url
            ),
        )
        for session in data.sessions:
            self.later(
                reverse("schedule:session_ics", kwargs={"event": slug, "pk": session.id}),
                partial(ical.calendar_for_session, data.event, session, host=host),
            )
        for item in data.items:
            # A poster's time is its session's: pages link to the session's calendar.
            if item.is_scheduled and item.kind is not ItemKind.POSTER:
                self.later(
                    reverse("schedule:talk_ics", kwargs={"event": slug, "pk": item.id}),
                    partial(ical.calendar_for_item, data.event, item, host=host),
                )
        self.run_jobs()

    # -- links -----------------------------------------------------------------------------

    def targets(self, base_path: str, text: str, pattern: re.Pattern) -> list[str]:
        """URL paths that `text` (served at `base_path`) links to, each raw link read once."""
        found = []
        for match in pattern.finditer(text):
            raw = match.group("value")
            key = raw if raw.startswith("/") else f"{base_path} {raw}"
            if key in self.read_links:
                continue
            self.read_links.add(key)
            value = html.unescape(raw).strip()
            if not value or value.startswith(("#", "//")) or value.lower().startswith(_SCHEMES):
                continue
            found.append(urlsplit(urljoin(base_path, value)).path)
        return found

    def discover(self) -> None:
        """Fetch what the exported pages and style sheets link to, until nothing is new."""
        done: set[str] = set()
        while True:
            pending = [
                (file, path)
                for file, path in {**self.html_files, **self.css_files}.items()
                if file not in done
            ]
            if not pending:
                return
            for file, path in pending:
                done.add(file)
                text = self.files[file].decode("utf-8", "replace")
                pattern = _CSS_URL if file in self.css_files else _ATTRIBUTE
                for target in self.targets(path, text, pattern):
                    if target not in self.seen:
                        self.fetch(target)

    def rewrite_link(self, file: str, base_path: str, value: str) -> str | None:
        """The relative link for `value` seen in `file`; None to drop it."""
        key = (posixpath.dirname(file), base_path if not value.startswith("/") else "", value)
        if key not in self.link_memo:
            self.link_memo[key] = self._rewrite_link(file, base_path, value)
        return self.link_memo[key]

    def _rewrite_link(self, file: str, base_path: str, value: str) -> str | None:
        raw = html.unescape(value).strip()
        if not raw or raw.startswith("#") or raw.lower().startswith(_SCHEMES):
            return value
        if raw.startswith("//"):
            return value
        parts = urlsplit(urljoin(base_path, raw))
        target = url_to_file(parts.path, self.prefix)
        if target is not None and target in self.files:
            return html.escape(relative_link(file, target, parts.fragment), quote=True)
        self.report.skipped_links.add(parts.path)
        if self.live_url:
            live = self.live_url + parts.path + (f"?{parts.query}" if parts.query else "")
            return html.escape(live, quote=True)
        return None

    def rewritten(self, file: str) -> bytes:
        """The file's content with its links made relative (HTML and CSS files)."""
        if file in self.html_files:
            path = self.html_files[file]
            text = self.files[file].decode("utf-8")

            def attribute(match):
                link = self.rewrite_link(file, path, match.group("value"))
                if link is None:
                    return ""  # the element keeps its text, the dead target goes
                return f'{match.group("name")}"{link}"'

            return _ATTRIBUTE.sub(attribute, text).encode("utf-8")
        if file in self.css_files:
            path = self.css_files[file]
            text = self.files[file].decode("utf-8", "replace")

            def css(match):
                link = self.rewrite_link(file, path, match.group("value"))
                return f'url("{html.unescape(link)}")' if link else "url()"

            return _CSS_URL.sub(css, text).encode("utf-8")
        return self.files[file]

    def write(self) -> None:
        """Rewrite the links of every file and write it under `outdir`."""
        root = self.outdir.resolve()
        names = sorted(self.files)
        for folder in sorted({posixpath.dirname(name) for name in names}):
            # url_to_file never yields "..", absolute parts or empty names.
            (root / folder).mkdir(parents=True, exist_ok=True)

        for name in names:
            content = self.rewritten(name)
            (root / name).write_bytes(content)
            self.report.bytes += len(content)
        self.report.files = len(self.files)
        self.report.pages = len(self.html_files)
        (root / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve folders as they are


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "poster") and value is not None:
                self.links.append(value)


def find_broken_links(outdir: Path | str) -> list[tuple[str, str]]:
    """(file, link) pairs of relative links in the export's HTML and CSS files that name no
    file of the export; an empty list for a sound export."""
    root = Path(outdir).resolve()
    broken = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".html", ".css") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            parser = _LinkParser()
            parser.feed(text)
            links = parser.links
        else:
            links = [html.unescape(m.group("value")) for m in _CSS_URL.finditer(text)]
        for link in links:
            parts = urlsplit(link.strip())
            if parts.scheme or parts.netloc or not parts.path or link.startswith("#"):
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(path.relative_to(root)), link))
    return broken


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _base_url(base_url: str) -> str:
    base = base_url or "/"
    if not base.endswith("/"):
        base += "/"
    if base.startswith("/"):
        origin = urlsplit(settings.SITE_URL)
        base = f"{origin.scheme}://{origin.netloc}{base}"
    return base


def export_static(
    event,
    outdir: Path | str,
    *,
    base_url: str = "/",
    live_url: str = "",
    clean: bool = False,
    log: Callable[[str], None] = print,
) -> ExportReport:
    """Write the public site of `event` into `outdir` (see the module docstring).

    `clean` empties `outdir` first. Returns an ExportReport (files, pages, bytes, seconds,
    links to pages left out). Raises ExportError when `outdir` is a file.
    """
    started = time.perf_counter()
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise ExportError(f"{outdir} is not a folder")
    if clean and outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    hosts = [*settings.ALLOWED_HOSTS, _host(), "testserver"]
    # Plain static storage: `{% static %}` then names the files the finders know, unhashed.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    request_log = logging.getLogger("django.request")
    level = request_log.level
    # Links to missing pages are expected and reported; Django would log each 404 as well.
    request_log.setLevel(logging.ERROR)
    try:
        with override_settings(ALLOWED_HOSTS=hosts, STORAGES=storages, SECURE_SSL_REDIRECT=False):
            exporter = _Exporter(event, outdir, base_url=base_url, live_url=live_url, log=log)
            exporter.collect()
            exporter.discover()
            exporter.write()
    finally:
        request_log.setLevel(level)
    exporter.report.seconds = time.perf_counter() - started
    return exporter.report
