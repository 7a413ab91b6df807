"""`{% load programme %}`: Markdown and maths of programme texts, rendered once per text.

The programme page, the posters page and every contribution page show the same abstracts;
a static export renders them all, so results are kept in a bounded cache keyed by the text
(rendering depends on nothing else).
"""

from functools import lru_cache

from django import template

from symposia.common.markup import render_inline, render_markdown

register = template.Library()


@lru_cache(maxsize=8192)
def _markdown(text: str):
    return render_markdown(text)


@lru_cache(maxsize=8192)
def _inline(text: str):
    return render_inline(text)


@register.filter
def abstract_html(text):
    """Markdown + maths to safe HTML, as `markdown` from `{% load markup %}`."""
    return _markdown(str(text or ""))


@register.filter
def title_html(text):
    """One line with maths to safe inline HTML, as `maths` from `{% load markup %}`."""
    return _inline(str(text or ""))
