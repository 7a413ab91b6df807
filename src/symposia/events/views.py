"""Public site views: the list of events, an event's pages and its assets."""

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .decorators import event_view
from .models import Asset, Event
from .rendering import render_page


def event_list(request):
    """`/`: current and upcoming events first, then past ones."""
    today = timezone.localdate()
    events = list(Event.objects.filter(is_public=True).order_by("-start_date", "title"))
    current = [e for e in events if not e.end_date or e.end_date >= today]
    past = [e for e in events if e.end_date and e.end_date < today]
    current.sort(key=lambda e: e.start_date or dt.date.max)
    return render(request, "events/event_list.html", {"current": current, "past": past})


@event_view
def page(request, event, page: str = "index"):
    """`/<event>/` and `/<event>/<page>/`: a Markdown page rendered with the layout it names."""
    obj = get_object_or_404(event.pages, slug=page)
    rendered = render_page(obj)
    return render(request, rendered.template, {"page": obj, "content": rendered.html})


@event_view
def asset(request, event, path: str):
    """`/<event>/<path>`: a file of the site (image, PDF) uploaded or imported by organisers."""
    obj = Asset.objects.filter(event=event, path=path).first()
    if obj is None or not obj.file:
        raise Http404("No such file.")
    return FileResponse(obj.file.open("rb"))
