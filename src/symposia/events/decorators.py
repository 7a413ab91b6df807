"""View decorators that resolve the <event> URL argument through events.rules."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login

from . import rules


def event_view(view=None, *, organiser: bool = False):
    """Replace the `event` slug kwarg with the Event and set `request.event`.

    With organiser=True, anonymous visitors are sent to log in and signed-in non-organisers get
    a 404, so the organiser area does not reveal what exists.
    """

    def decorator(func):
        @wraps(func)
        def wrapper(request, *args, event: str, **kwargs):
            if organiser:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                obj = rules.get_organised_event(request.user, event)
            else:
                obj = rules.get_visible_event(request.user, event)
            request.event = obj
            return func(request, *args, event=obj, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
