"""Template context for event pages: the event, its menu, and whether the viewer organises it."""

from dataclasses import dataclass

from .navigation import app_links
from .rules import is_organiser


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


def menu_label(page) -> str:
    """The menu text of a page: its menu title, else its title, else 'Home' or the slug."""
    if page.menu_title:
        return page.menu_title
    if page.slug == "index":
        return "Home"
    return page.title or page.slug.replace("-", " ").capitalize()


def event(request):
    """Add `event`, `menu` (MenuItems in page order) and `is_event_organiser` when a view has
    set request.event (see decorators.event_view)."""
    current = getattr(request, "event", None)
    if current is None:
        return {}
    pages = current.pages.filter(in_menu=True).only(
        "slug", "title", "menu_title", "order", "event_id"
    )
    menu = []
    for page in pages.order_by("order", "title", "pk"):
        # Avoid a query per page for page.event in get_absolute_url.
        page.event = current
        url = page.get_absolute_url()
        menu.append(MenuItem(label=menu_label(page), url=url, current=url == request.path))
    links = app_links(current)
    # The deepest link that holds the current address is the current one (/cfp/accepted/
    # is not also /cfp/); a page of the site is current only at its own address.
    matches = [url for _label, url in links if request.path.startswith(url)]
    deepest = max(matches, key=len, default=None)
    for label, url in links:
        menu.append(MenuItem(label=label, url=url, current=url == deepest))
    return {
        "event": current,
        "menu": menu,
        "is_event_organiser": is_organiser(request.user, current),
    }
