"""Render a Page to HTML with its layout template."""

from dataclasses import dataclass

from django.template.loader import select_template
from django.utils.safestring import SafeString

from symposia.common.markup import render_markdown

from .models import Page


@dataclass(frozen=True)
class RenderedPage:
    html: SafeString
    template: str


def render_page(page: Page) -> RenderedPage:
    """Render `page.body` (Markdown + maths) and choose `events/layouts/<layout>.html`.

    An unknown layout falls back to the default layout.
    """
    template = select_template(
        [f"events/layouts/{page.layout}.html", "events/layouts/default.html"]
    ).template.name
    return RenderedPage(html=render_markdown(page.body), template=template)
