"""`{% load event_tags %}`: `{{ event|event_dates }}` -> '14–16 September 2020'."""

import datetime as dt

from django import template

register = template.Library()


def format_date_range(start: dt.date | None, end: dt.date | None) -> str:
    """A compact British-style range: '14–16 September 2020', '30 September – 2 October 2020',
    '30 December 2020 – 2 January 2021'; one date if both are equal or one is missing."""
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        day = start or end
        return f"{day.day} {day:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


@register.filter
def event_dates(event) -> str:
    """The event's dates as a range (empty when it has none)."""
    return format_date_range(event.start_date, event.end_date)


@register.filter
def page_name(page) -> str:
    """How organisers' screens name a page: 'Home page' for the home page, else its title,
    else its slug."""
    if page.slug == "index":
        return "Home page"
    return page.title or page.slug
