"""`{% load markup %}` then `{{ text|markdown }}` or `{{ title|maths }}`.

`{{ text|markdown:"no-images" }}` for text one participant writes for others (abstracts,
reviews, discussion): no image is fetched by the reader's browser (see render_document)."""

from django import template

from symposia.common.markup import render_inline, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, option=""):
    """Markdown + maths to safe HTML; `option` "no-images" shows no image."""
    return render_markdown(str(text or ""), images=option != "no-images")


@register.filter(name="maths")
def maths_filter(text):
    """One line with maths to safe inline HTML."""
    return render_inline(str(text or ""))
