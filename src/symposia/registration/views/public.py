"""Public pages: the registration form, the participants list and "my registration"."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from symposia.events.decorators import event_view

from .. import domain
from ..enums import Status
from ..forms import RegistrationForm, ResendLinkForm
from ..links import registration_path
from ..models import Registration, RegistrationSettings
from ..rules import own_registration
from . import in_event_zone

RESEND_INTERVAL = 600  # seconds between two link mails to one address


def _resend_link_throttled(registration: Registration) -> None:
    """Mail the registration's link unless it was mailed from a public page in the last
    RESEND_INTERVAL seconds, so that nobody can flood an address through the public forms."""
    key = f"registration-link:{registration.event_id}:{registration.email.lower()}"
    if cache.add(key, 1, RESEND_INTERVAL):
        domain.resend_link(registration)


def _settings(event) -> RegistrationSettings:
    # Read-only pages do not create the settings row; an unsaved default reads as closed.
    return RegistrationSettings.objects.filter(event=event).first() or RegistrationSettings(
        event=event
    )


def _profile_initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {
        "name": user.display_name if user.display_name != user.email else "",
        "email": user.email,
        "affiliation": user.affiliation,
        "country": user.country,
    }


@event_view
@in_event_zone
def register(request, event):
    """`/<event>/registration/`: the form while registration is open, else when it opens."""
    domain.expire_due_offers(event)
    settings = _settings(event)
    now = timezone.now()
    is_open = settings.is_open(now)
    own = own_registration(request.user, event)
    if own is not None and not own.is_active:
        own = None  # a cancelled registration does not stop registering again
    questions = list(event.registration_questions.all())
    places = domain.free_places(settings) if settings.pk else None
    full_categories = (
        {pk for pk in places.category_free if places.category_is_full(pk)} if places else set()
    )
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        event=event,
        questions=questions,
        user=request.user,
        initial=_profile_initial(request.user),
        full_categories=full_categories,
    )
    if request.method == "POST" and is_open and form.is_valid():
        details = dict(form.cleaned_data)
        user = request.user if request.user.is_authenticated else None
        try:
            registration = domain.register(
                event, details=details, answers=form.answers(), user=user
            )
        except domain.AlreadyRegistered as error:
            _resend_link_throttled(error.registration)
            messages.info(
                request,
                "This email address is already registered for this event: we have sent the "
                "link to that registration to it again (at most once every few minutes).",
            )
            return redirect("registration:register", event=event.slug)
        except domain.RegistrationClosed:
            form.add_error(None, "Registration has just closed.")
        else:
            if registration.status == Status.CONFIRMED:
                messages.success(request, "You are registered. We have sent you a confirmation.")
            elif registration.category_id in full_categories:
                messages.info(
                    request,
                    f"All places in the {registration.category.name} category are taken: you "
                    "are on the waitlist. We have mailed you.",
                )
            else:
                messages.info(
                    request, "All places are taken: you are on the waitlist. We have mailed you."
                )
            return redirect(registration_path(registration))
    context = {
        "form": form,
        "settings": settings,
        "is_open": is_open,
        "opens_later": settings.opens_at is not None and now < settings.opens_at,
        "own": own,
        "own_path": registration_path(own) if own else "",
        "full": places is not None and places.event_free is not None and places.event_free <= 0,
        "places_left": places.event_free if places else None,
    }
    return render(request, "attendance/register.html", context)


@event_view
@in_event_zone
def participants(request, event):
    """`/<event>/registration/participants/`: confirmed people who agreed to be listed."""
    people = Registration.objects.filter(
        event=event, status=Status.CONFIRMED, consent_public_list=True
    ).only("name", "affiliation", "country")
    return render(
        request,
        "attendance/participants.html",
        {"people": sorted(people, key=lambda person: person.name.casefold())},
    )


def _login_url(request) -> str:
    try:
        return f"{reverse('accounts:login')}?next={request.path}"
    except NoReverseMatch:
        return ""


@event_view
@in_event_zone
def mine(request, event):
    """`/<event>/registration/mine/`: the signed-in person's registration, or a form that mails
    the link to a registration (the reply never says whether one exists)."""
    own = own_registration(request.user, event)
    if own is not None:
        return redirect(registration_path(own))
    form = ResendLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        registration = (
            Registration.objects.filter(event=event, email__iexact=email)
            .select_related("event")
            .order_by("-created")
            .first()
        )
        if registration:
            _resend_link_throttled(registration)
        messages.info(
            request, "If this address has a registration for this event, its link is on its way."
        )
        return redirect("registration:mine", event=event.slug)
    return render(request, "attendance/mine.html", {"form": form, "login_url": _login_url(request)})
