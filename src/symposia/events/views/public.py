"""Public site views: the list of events, an event's pages, assets, logo and colours."""

import datetime as dt

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..decorators import event_view
from ..domain import IMAGE_TYPES, content_type_for
from ..models import Asset, Event
from ..rendering import render_page
from ..theme import event_palette

# Theme and logo URLs carry ?v=<last change>, so they may be cached for long.
BRANDING_MAX_AGE = 7 * 24 * 3600


@require_safe
def event_list(request):
    """`/`: current and upcoming events first (soonest first), then past ones (latest first)."""
    today = timezone.localdate()
    events = list(Event.objects.filter(is_public=True).order_by("-start_date", "title"))
    current = [e for e in events if not e.end_date or e.end_date >= today]
    past = [e for e in events if e.end_date and e.end_date < today]
    current.sort(key=lambda e: e.start_date or dt.date.max)
    return render(
        request, "events/event_list.html", {"current": current, "past": past, "today": today}
    )


@require_safe
def events_css(request):
    """`/events.css`: each public event's colours, scoped to `[data-event="<slug>"]`, so the
    list of events can show every event in its own colours without inline styles."""
    rules = []
    for slug, primary, accent in Event.objects.filter(is_public=True).values_list(
        "slug", "primary_colour", "accent_colour"
    ):
        rules.append((slug, event_palette(primary, accent).as_css_variables()))
    css = render_to_string("events/events.css", {"rules": rules})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
@event_view
def page(request, event, page: str = "index"):
    """`/<event>/` and `/<event>/<page>/`: a Markdown page rendered with the layout it names.

    The page title is shown as the heading unless the text starts its own `# heading`.
    """
    obj = get_object_or_404(event.pages, slug=page)
    rendered = render_page(obj)
    context = {
        "page": obj,
        "content": rendered.html,
        "show_title": bool(obj.title) and "<h1" not in rendered.html,
    }
    return render(request, rendered.template, context)


@require_safe
@event_view
def asset(request, event, path: str):
    """`/<event>/<path>`: a file of the site (image, PDF) uploaded or imported by organisers.

    Images, PDFs and a few harmless text types are served inline with their content type; any
    other file is sent as a download, so a stray HTML or SVG file cannot run in the site.
    """
    obj = Asset.objects.filter(event=event, path=path).first()
    if obj is None or not obj.file:
        if "/" not in path and "." not in path:
            # /<event>/manage -> /<event>/manage/, like APPEND_SLASH for the catch-all.
            return HttpResponseRedirect(f"{request.path}/")
        raise Http404("No such file.")
    content_type = content_type_for(path)
    response = FileResponse(
        obj.file.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=path.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@event_view
def theme_css(request, event):
    """`/<event>/static/theme.css`: the event's colours as CSS custom properties for site.css."""
    palette = event_palette(event.primary_colour, event.accent_colour)
    css = render_to_string("events/theme.css", {"variables": palette.as_css_variables()})
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={BRANDING_MAX_AGE}"
    return response


@require_safe
@event_view
def logo(request, event):
    """`/<event>/static/logo`: the event's logo image, uploaded in the settings or the admin."""
    if not event.logo:
        raise Http404("No logo.")
    suffix = "." + event.logo.name.rsplit(".", 1)[-1].lower()
    if suffix not in IMAGE_TYPES:
        raise Http404("No logo.")
    response = FileResponse(event.logo.open("rb"), content_type=IMAGE_TYPES[suffix])
    response["Cache-Control"] = f"public, max-age={BRANDING_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
