"""Views of the events app: the public site (`public`) and the organisers' area (`manage`)."""

from .public import asset, event_list, events_css, logo, page, theme_css

__all__ = ["asset", "event_list", "events_css", "logo", "page", "theme_css"]
