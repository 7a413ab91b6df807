"""`{% load markup %}` then `{{ text|markdown }}` or `{{ title|maths }}`."""

from django import template

from symposia.common.markup import render_inline, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Markdown + maths to safe HTML."""
    return render_markdown(str(text or ""))


@register.filter(name="maths")
def maths_filter(text):
    """One line with maths to safe inline HTML."""
    return render_inline(str(text or ""))
