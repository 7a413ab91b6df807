"""Template context for event pages: the event and its menu."""

from .rules import is_organiser


def event(request):
    """Add `event`, `menu_pages` and `is_event_organiser` when a view has set request.event."""
    current = getattr(request, "event", None)
    if current is None:
        return {}
    menu = list(current.pages.filter(in_menu=True).only("slug", "title", "menu_title", "order"))
    return {
        "event": current,
        "menu_pages": menu,
        "is_event_organiser": is_organiser(request.user, current),
    }
