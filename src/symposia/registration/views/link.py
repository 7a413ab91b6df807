"""Pages reached through the signed link in the mails: no account needed.

A tampered link, or one from another event, gets a clear page with status 400; nothing about
any registration is revealed.
"""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from symposia.events.decorators import event_view

from .. import domain
from ..enums import Status
from ..forms import RegistrationForm
from ..links import InvalidLink, registration_from_token, registration_path
from . import in_event_zone


def signed_link(view):
    """Resolve the `token` URL argument into `registration` (or answer the invalid-link page)."""

    @wraps(view)
    def wrapper(request, event, token: str):
        try:
            registration = registration_from_token(event, token)
        except InvalidLink as error:
            return render(
                request, "attendance/link_invalid.html", {"reason": str(error)}, status=400
            )
        return view(request, event, registration)

    return event_view(in_event_zone(wrapper))


@signed_link
def show(request, event, registration):
    """The person's registration: status, details and what they can do next."""
    domain.expire_due_offers(event)
    registration.refresh_from_db()
    answers = registration.answers.select_related("question").order_by("question__order")
    context = {
        "registration": registration,
        "position": domain.waitlist_position(registration),
        "category_full": registration.status == Status.WAITLISTED
        and domain.free_places(domain.get_settings(event)).category_is_full(
            registration.category_id
        ),
        "answers": answers,
        "edit_path": registration_path(registration, "edit"),
        "cancel_path": registration_path(registration, "cancel"),
        "confirm_path": registration_path(registration, "confirm"),
    }
    return render(request, "attendance/registration.html", context)


@signed_link
def edit(request, event, registration):
    """Change one's details, needs, consent and answers (not the email or category)."""
    if not registration.is_active:
        messages.error(request, "A cancelled registration cannot be changed.")
        return redirect(registration_path(registration))
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        instance=registration,
        event=event,
        questions=list(event.registration_questions.all()),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        domain.update_details(registration, details=form.cleaned_data, answers=form.answers())
        messages.success(request, "Your changes are saved.")
        return redirect(registration_path(registration))
    return render(
        request,
        "attendance/edit.html",
        {"form": form, "registration": registration, "back": registration_path(registration)},
    )


@signed_link
def cancel(request, event, registration):
    """Ask, then cancel (or decline the offered place); the place passes on."""
    if request.method == "POST":
        try:
            domain.cancel(registration)
        except domain.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Your registration is cancelled.")
        return redirect(registration_path(registration))
    return render(
        request,
        "attendance/cancel.html",
        {"registration": registration, "back": registration_path(registration)},
    )


@signed_link
def confirm(request, event, registration):
    """Accept the place offered from the waitlist, before its deadline (POST only)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        domain.confirm_offer(registration)
    except domain.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your place is confirmed. See you there!")
    return redirect(registration_path(registration))
