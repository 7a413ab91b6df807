"""Organisers' pages: the list with filters and counts, one registration, its actions, the
check-in desk, exports, badges and letters. Everyone else gets a 404 (`@event_view`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from symposia.common.exports import write_csv, write_xlsx
from symposia.events.decorators import event_view

from .. import domain, pdfs, reports
from ..enums import ACTIVE, Status
from ..forms import ListFilterForm, PaidForm, PromoteForm, SearchForm, submission_of
from ..links import registration_path
from ..models import Registration
from ..rules import get_managed_registration
from ..text import matches
from . import in_event_zone

PAGE_SIZE = 200
CHECKIN_LIMIT = 60


def organiser_view(view):
    return event_view(organiser=True)(in_event_zone(view))


def _filtered(event, form: ListFilterForm):
    registrations = Registration.objects.filter(event=event).select_related("category")
    if not form.is_valid():
        return registrations.filter(status__in=ACTIVE)
    data = form.cleaned_data
    if data["status"] == "":
        registrations = registrations.filter(status__in=ACTIVE)
    elif data["status"] != "all":
        registrations = registrations.filter(status=data["status"])
    if data["category"]:
        registrations = registrations.filter(category=data["category"])
    if data["diet"]:
        registrations = registrations.filter(diet=data["diet"])
    if data["checked_in"]:
        registrations = registrations.filter(checked_in_at__isnull=data["checked_in"] == "no")
    if data["paid"]:
        registrations = registrations.filter(paid=data["paid"] == "yes")
    if data["letter"]:
        registrations = registrations.filter(needs_visa_letter=True)
    if data["q"]:
        q = data["q"].strip()
        registrations = registrations.filter(
            Q(name__icontains=q)
            | Q(email__icontains=q)
            | Q(affiliation__icontains=q)
            | Q(code__iexact=q)
        )
    return registrations


def _waitlist_positions(event) -> dict[int, int]:
    waiting = Registration.objects.filter(event=event, status=Status.WAITLISTED)
    return {
        sequence: position
        for position, sequence in enumerate(
            waiting.order_by("sequence").values_list("sequence", flat=True), start=1
        )
    }


@organiser_view
def registration_list(request, event):
    """`manage/`: registrations with filters, counts per status and category, diets."""
    domain.expire_due_offers(event)
    form = ListFilterForm(request.GET or None, event=event)
    page = Paginator(_filtered(event, form).order_by("sequence"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    positions = _waitlist_positions(event)
    for registration in page:
        registration.position = positions.get(registration.sequence)
    settings = domain.get_settings(event)
    places = domain.free_places(settings)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "settings": settings,
        "places": places,
        "over_capacity": max(-(places.event_free or 0), 0),
        "statuses": reports.status_counts(event),
        "categories": reports.category_counts(event),
        "diets": reports.diet_summary(event),
    }
    return render(request, "attendance/manage/list.html", context)


@organiser_view
def catering(request, event):
    """`manage/catering/`: the summary for the caterer and the venue (printable)."""
    holding = Registration.objects.filter(
        event=event, status__in=(Status.CONFIRMED, Status.OFFERED)
    )
    context = {
        "diets": reports.diet_summary(event),
        "total": holding.count(),
        "notes": holding.exclude(dietary_notes="").order_by("name").only("name", "dietary_notes"),
        "access": holding.exclude(accessibility="").order_by("name").only("name", "accessibility"),
    }
    return render(request, "attendance/manage/catering.html", context)


@organiser_view
def detail(request, event, code: str):
    """`manage/<code>/`: everything about one registration, and the actions on it."""
    registration = get_managed_registration(event, code)
    settings = domain.get_settings(event)
    context = {
        "registration": registration,
        "position": domain.waitlist_position(registration),
        "answers": registration.answers.select_related("question").order_by("question__order"),
        "link_path": registration_path(registration),
        "edit_path": registration_path(registration, "edit"),
        "places": domain.free_places(settings),
        "settings": settings,
        "promote_form": PromoteForm(),
        "submission": submission_of(event, registration.submission_code)
        if registration.submission_code
        else None,
    }
    return render(request, "attendance/manage/detail.html", context)


def _back(request, event, registration):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("registration:manage_detail", event=event.slug, code=registration.code)


@organiser_view
@require_POST
def promote(request, event, code: str):
    registration = get_managed_registration(event, code)
    form = PromoteForm(request.POST)
    confirm_now = form.is_valid() and form.cleaned_data["confirm_now"]
    try:
        domain.promote(registration, confirm_now=confirm_now)
    except domain.RegistrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{registration.name} is confirmed."
            if confirm_now
            else f"{registration.name} has been offered a place by mail.",
        )
    return _back(request, event, registration)


@organiser_view
@require_POST
def cancel(request, event, code: str):
    registration = get_managed_registration(event, code)
    try:
        promoted = domain.cancel(registration, by=request.user)
    except domain.RegistrationError as error:
        messages.error(request, str(error))
    else:
        names = ", ".join(person.name for person in promoted)
        messages.success(
            request,
            f"Cancelled. Offered the place to: {names}." if promoted else "Cancelled.",
        )
    return _back(request, event, registration)


@organiser_view
@require_POST
def paid(request, event, code: str):
    registration = get_managed_registration(event, code)
    form = PaidForm(request.POST)
    form.is_valid()
    domain.mark_paid(registration, paid=form.cleaned_data.get("paid", False))
    return _back(request, event, registration)


@organiser_view
@require_POST
def check_in(request, event, code: str):
    registration = get_managed_registration(event, code)
    undo = request.POST.get("undo") == "1"
    try:
        domain.check_in(registration, undo=undo)
    except domain.RegistrationError as error:
        messages.error(request, f"{registration.name}: {error}")
    else:
        messages.success(
            request,
            f"{registration.name}: arrival undone." if undo else f"{registration.name} arrived.",
        )
    return _back(request, event, registration)


@organiser_view
@require_POST
def resend(request, event, code: str):
    registration = get_managed_registration(event, code)
    domain.resend_link(registration)
    messages.success(request, f"The link was mailed to {registration.email}.")
    return _back(request, event, registration)


@organiser_view
def checkin_desk(request, event):
    """`manage/checkin/`: the venue's desk on a phone: search by name, email or code (accents
    and case ignored), tick arrived."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    confirmed = list(
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .select_related("category")
        .only("code", "name", "email", "affiliation", "role", "checked_in_at", "category__name")
    )
    arrived = sum(1 for person in confirmed if person.checked_in_at)
    found = [
        person
        for person in confirmed
        if not query
        or person.code == query.upper()
        or matches(query, person.name, person.email, person.affiliation)
    ]
    found.sort(key=lambda person: person.name.casefold())
    here = reverse("registration:manage_checkin", kwargs={"event": event.slug})
    context = {
        "form": form,
        "query": query,
        "people": found[:CHECKIN_LIMIT],
        "more": max(len(found) - CHECKIN_LIMIT, 0),
        "arrived": arrived,
        "total": len(confirmed),
        "next": f"{here}?{urlencode({'q': query})}" if query else here,
    }
    return render(request, "attendance/manage/checkin.html", context)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organiser_view
def export(request, event, fmt: str):
    """`manage/export.csv` / `.xlsx`: the list as filtered, every column and answer."""
    form = ListFilterForm(request.GET or None, event=event)
    registrations = _filtered(event, form).order_by("sequence").prefetch_related("answers")
    questions = list(event.registration_questions.all())
    header, rows = reports.export_table(event, registrations, questions)
    stem = f"{slugify(event.slug)}-registrations-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        return _download(
            write_xlsx(rows, header, title="Registrations"),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return _download(write_csv(rows, header), f"{stem}.csv", "text/csv; charset=utf-8")


def _picked(request, event, default):
    """The registrations ticked in the list (`code` parameters), else `default`; only those of
    `event`, in name order."""
    codes = [code.upper() for code in request.GET.getlist("code") if code]
    chosen = Registration.objects.filter(event=event, code__in=codes) if codes else default
    return sorted(chosen.select_related("category"), key=lambda r: r.name.casefold())


@organiser_view
def badges(request, event):
    """`manage/badges.pdf`: badges for the ticked registrations, or every confirmed one."""
    chosen = _picked(request, event, Registration.objects.filter(event=event))
    chosen = [r for r in chosen if r.status == Status.CONFIRMED]
    if not chosen:
        messages.error(request, "Badges are made for confirmed registrations only: none chosen.")
        return redirect("registration:manage", event=event.slug)
    return _download(pdfs.badges_pdf(event, chosen), f"{event.slug}-badges.pdf", "application/pdf")


@organiser_view
def letters(request, event):
    """`manage/letters.pdf`: invitation letters for the ticked confirmed registrations, or
    every confirmed one who asked for a letter."""
    asked = Registration.objects.filter(event=event, needs_visa_letter=True)
    chosen = [r for r in _picked(request, event, asked) if r.status == Status.CONFIRMED]
    if not chosen:
        messages.error(request, "Letters are made for confirmed registrations only: none chosen.")
        return redirect("registration:manage", event=event.slug)
    signatory = domain.get_settings(event).letter_signatory
    content = pdfs.letters_pdf(event, chosen, signatory=signatory)
    return _download(content, f"{event.slug}-letters.pdf", "application/pdf")
