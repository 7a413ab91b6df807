"""Render a Page to HTML with its layout template.

Pages are served at /<event>/ and /<event>/<slug>/, whereas the Jekyll site they may come from
served them at /<baseurl>/<name>.html; relative targets are resolved against the event's site
root (plus the page's folder in the site), and links to another page's file ('about.md',
'about.html', 'about/') go to that page's URL.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.template.loader import select_template
from django.urls import reverse
from django.utils.safestring import SafeString

from symposia.common.markup import RenderResult, render_document, render_html

from .models import Event, Page

HTML_SUFFIXES = (".html", ".htm")
_LAYOUT_NAME = re.compile(r"[A-Za-z0-9_-]{1,50}")


@dataclass(frozen=True)
class RenderedPage:
    html: SafeString
    template: str


def site_url(event: Event) -> str:
    """The URL of the event's site root, e.g. '/mathml2020/' (always ends with '/')."""
    return reverse("events:page", kwargs={"event": event.slug})


def page_link_keys(slug: str, source_path: str = "", permalink: object = None) -> list[str]:
    """The site-relative targets that mean this page in a link.

    For 'about.md': 'about.md', 'about.html', 'about', 'about/'; for 'docs/index.md' also
    'docs/' and 'docs'; for the permalink '/people/': 'people/', 'people'; and '<slug>/'.
    The home page ('index') is also ''.
    """
    keys = [f"{slug}/", slug] if slug != "index" else ["", "index.html"]
    if source_path:
        stem, _ = posixpath.splitext(source_path)
        keys += [source_path, f"{stem}.html", stem, f"{stem}/"]
        folder, name = posixpath.split(stem)
        if name == "index":
            keys += [f"{folder}/", folder] if folder else [""]
    if isinstance(permalink, str) and permalink.strip("/"):
        path = permalink.lstrip("/")
        keys += [path, path.rstrip("/")]
        if path.endswith("/"):
            keys.append(f"{path}index.html")
    return list(dict.fromkeys(keys))


def page_url(root: str, slug: str) -> str:
    """The URL of the page `slug` under the site root `root` ('/mathml2020/')."""
    return root if slug == "index" else f"{root}{slug}/"


class PageLinks(Mapping):
    """Site-relative target -> page URL for every page of an event.

    Queries the database (once) only when a page actually holds a relative link.
    """

    def __init__(self, event: Event, root: str):
        self.event = event
        self.root = root

    @cached_property
    def _map(self) -> dict[str, str]:
        links: dict[str, str] = {}
        rows = self.event.pages.values_list("slug", "source_path", "front_matter")
        for slug, source_path, front_matter in rows:
            permalink = front_matter.get("permalink") if isinstance(front_matter, dict) else None
            for key in page_link_keys(slug, source_path, permalink):
                links.setdefault(key, page_url(self.root, slug))
        return links

    def __getitem__(self, key: str) -> str:
        return self._map[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)

    def __len__(self) -> int:
        return len(self._map)


def render_source(
    body: str, *, source_path: str, root: str, link_map: Mapping[str, str] | None
) -> RenderResult:
    """Render a page body: HTML for a `.html` source (as Jekyll does), Markdown otherwise."""
    render = render_html if source_path.lower().endswith(HTML_SUFFIXES) else render_document
    return render(body, base_url=root, page_path=source_path, link_map=link_map)


def layout_template(layout: str) -> str:
    """`events/layouts/<layout>.html`, or the default layout for an unknown or odd name."""
    candidates = ["events/layouts/default.html"]
    if _LAYOUT_NAME.fullmatch(layout or ""):
        candidates.insert(0, f"events/layouts/{layout}.html")
    return select_template(candidates).template.name


def render_page(page: Page) -> RenderedPage:
    """Render `page.body` (Markdown + maths, or HTML for a `.html` source) and choose
    `events/layouts/<layout>.html`; an unknown layout falls back to the default layout.

    Relative targets resolve against the event's site root and the page's folder; may run
    one query (the event's pages) when the body links to a relative target.
    """
    root = site_url(page.event)
    result = render_source(
        page.body, source_path=page.source_path, root=root, link_map=PageLinks(page.event, root)
    )
    return RenderedPage(html=result.html, template=layout_template(page.layout))
