"""Organisers' timetable editor: the day grid, sessions, items and placing contributions.

Moves arrive from the drag-and-drop script (asking for JSON) or from the plain forms on each
session's and item's page (answered with a redirect); both go through the same forms and
`schedule.domain` functions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from symposia.cfp.enums import ACCEPTED_STATES
from symposia.cfp.models import Submission
from symposia.events.decorators import event_view

from .. import domain
from ..editor import build_grid
from ..enums import ItemKind, SessionKind
from ..forms import BoardForm, ItemForm, MoveSessionForm, PlaceForm, SessionForm
from ..models import Item, Person, Room, Session
from ..published import zone_label
from .common import in_event_zone, wants_json

UNSCHEDULED_SHOWN = 200


def _editor_url(event, day: dt.date | None = None) -> str:
    url = reverse("schedule:manage", kwargs={"event": event.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def _local_day(event, moment: dt.datetime) -> dt.date:
    return moment.astimezone(event.tzinfo).date()


def _done(request, event, message: str, *, day: dt.date | None = None, next_url: str = ""):
    """Answer a successful change: JSON for the script, else a message and a redirect."""
    if wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.success(request, message)
    return redirect(next_url or _editor_url(event, day))


def _refused(request, event, error: str, *, day: dt.date | None = None, next_url: str = ""):
    if wants_json(request):
        return JsonResponse({"ok": False, "error": error}, status=400)
    messages.error(request, error)
    return redirect(next_url or _editor_url(event, day))


def _form_errors(form) -> str:
    return " ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())


@event_view(organiser=True)
@in_event_zone
def editor(request, event):
    """`/<event>/programme/manage/`: the grid of one day, warnings and unscheduled items."""
    days = domain.days_of(event)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = days[0] if days else dt.date.today()
    if day not in days:
        days = sorted({*days, day})
    rooms = list(Room.objects.filter(event=event))
    sessions = list(
        Session.objects.filter(event=event)
        .select_related("chair", "room")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("submission")
                .prefetch_related("speakers")
                .order_by("start", "board_number", "pk"),
                to_attr="grid_items",
            )
        )
    )
    grid = build_grid(day, event.tzinfo, sessions, rooms)
    unscheduled = list(domain.unscheduled_submissions(event)[:UNSCHEDULED_SHOWN])
    unplaced_items = list(
        Item.objects.filter(event=event, session__isnull=True, submission__isnull=True)
    )
    publication = domain.get_publication(event)
    warnings = domain.timetable_warnings(event)
    return render(
        request,
        "schedule/manage/editor.html",
        {
            "grid": grid,
            "days": days,
            "day": day,
            "rooms": rooms,
            "unscheduled": unscheduled,
            "unscheduled_total": domain.unscheduled_submissions(event).count(),
            "unplaced_items": unplaced_items,
            "warnings": warnings,
            "publication": publication,
            "pending_changes": domain.pending_changes(event) if publication.is_public else [],
            "zone_label": zone_label(event, grid.first),
            "session_count": len(sessions),
        },
    )


# --- Sessions ---------------------------------------------------------------------------------


def _session_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "kind": data["kind"],
        "start": data["start"],
        "end": data["end"],
        "room": data["room"],
        "chair": data["chair"],
        "description": data["description"],
    }


@event_view(organiser=True)
@in_event_zone
def session_new(request, event):
    """`/<event>/programme/manage/sessions/new/`."""
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            session = domain.save_session(event, **_session_fields(form))
        except domain.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Session “{session.title}” created.")
            return redirect(_editor_url(event, _local_day(event, session.start)))
    return render(request, "schedule/manage/session_form.html", {"form": form, "session": None})


def _get_session(event, pk: int) -> Session:
    return get_object_or_404(Session.objects.select_related("room", "chair"), event=event, pk=pk)


@event_view(organiser=True)
@in_event_zone
def session_edit(request, event, pk: int):
    """`/<event>/programme/manage/sessions/<id>/`: edit, move or delete a session."""
    session = _get_session(event, pk)
    initial = {
        "title": session.title,
        "kind": session.kind,
        "start": session.start,
        "end": session.end,
        "room": session.room,
        "chair": session.chair,
        "description": session.description,
    }
    form = SessionForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_session(event, session=session, **_session_fields(form))
        except domain.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Session “{session.title}” saved.")
            return redirect(_editor_url(event, _local_day(event, session.start)))
    move_form = MoveSessionForm(event=event, initial={"start": session.start, "room": session.room})
    items = list(session.items.select_related("submission").order_by("start", "board_number"))
    return render(
        request,
        "schedule/manage/session_form.html",
        {"form": form, "session": session, "move_form": move_form, "items": items},
    )


@require_POST
@event_view(organiser=True)
@in_event_zone
def session_move(request, event, pk: int):
    """POST `/<event>/programme/manage/sessions/<id>/move/`: new start (and room); its items
    move with it."""
    session = _get_session(event, pk)
    form = MoveSessionForm(request.POST, event=event)
    if not form.is_valid():
        return _refused(request, event, _form_errors(form), day=_local_day(event, session.start))
    room = form.cleaned_data["room"] if "room" in request.POST else domain.KEEP
    domain.move_session(session, start=form.cleaned_data["start"], room=room)
    return _done(
        request,
        event,
        f"Session “{session.title}” moved.",
        day=_local_day(event, session.start),
    )


@require_POST
@event_view(organiser=True)
def session_delete(request, event, pk: int):
    """POST: delete a session; its items become unscheduled."""
    session = _get_session(event, pk)
    day = _local_day(event, session.start)
    domain.delete_session(session)
    return _done(request, event, f"Session “{session.title}” deleted.", day=day)


# --- Items ------------------------------------------------------------------------------------


def _get_item(event, pk: int) -> Item:
    return get_object_or_404(
        Item.objects.select_related("session__room", "submission__contribution_type"),
        event=event,
        pk=pk,
    )


@event_view(organiser=True)
@in_event_zone
def item_new(request, event):
    """`/<event>/programme/manage/items/new/`: an invited talk or a break."""
    form = ItemForm(request.POST or None, event=event, initial={"kind": ItemKind.INVITED})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = domain.save_item(
            event,
            kind=data["kind"],
            title=data["title"],
            abstract=data["abstract"],
            speakers=list(data["speakers"]),
        )
        messages.success(request, f"“{item.title}” created; now place it in a session.")
        return redirect("schedule:manage_item", event=event.slug, pk=item.pk)
    return render(request, "schedule/manage/item_form.html", {"form": form, "item": None})


@event_view(organiser=True)
@in_event_zone
def item_edit(request, event, pk: int):
    """`/<event>/programme/manage/items/<id>/`: edit an invited talk or break; place, move,
    board number, slides and video for every item."""
    item = _get_item(event, pk)
    form = None
    if not item.submission_id:
        initial = {
            "kind": item.kind,
            "title": item.title,
            "abstract": item.abstract,
            "speakers": list(item.speakers.all()),
        }
        form = ItemForm(request.POST or None, event=event, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            domain.save_item(
                event,
                item=item,
                kind=data["kind"],
                title=data["title"],
                abstract=data["abstract"],
                speakers=list(data["speakers"]),
            )
            messages.success(request, "Saved.")
            return redirect("schedule:manage_item", event=event.slug, pk=item.pk)
    return _item_page(request, event, item, form=form)


def _item_page(request, event, item: Item, *, form=None, place_form=None, status: int = 200):
    """The item page; `place_form` bound to a refused move keeps what was typed."""
    if form is None and not item.submission_id:
        initial = {
            "kind": item.kind,
            "title": item.title,
            "abstract": item.abstract,
            "speakers": list(item.speakers.all()),
        }
        form = ItemForm(event=event, initial=initial)
    if place_form is None:
        place_form = PlaceForm(event=event, initial={"session": item.session, "start": item.start})
    sessions = place_form.fields["session"].queryset
    if item.kind == ItemKind.POSTER:
        sessions = sessions.filter(kind=SessionKind.POSTERS)
    else:
        sessions = sessions.exclude(kind=SessionKind.POSTERS)
    place_form.fields["session"].queryset = sessions
    return render(
        request,
        "schedule/manage/item_form.html",
        {
            "form": form,
            "item": item,
            "place_form": place_form,
            "board_form": BoardForm(initial={"board_number": item.board_number}),
            "speakers": list(item.speakers.all()),
        },
        status=status,
    )


@require_POST
@event_view(organiser=True)
@in_event_zone
def item_move(request, event, pk: int):
    """POST `/<event>/programme/manage/items/<id>/move/`: session and start (JSON or form)."""
    item = _get_item(event, pk)
    form = PlaceForm(request.POST, event=event)
    back = request.POST.get("next") == "item"
    next_url = reverse("schedule:manage_item", kwargs={"event": event.slug, "pk": pk})
    # From the item's own page a refused move shows the page again with the typed values.
    keep_typed = back and not wants_json(request)
    if not form.is_valid():
        if keep_typed:
            return _item_page(request, event, item, place_form=form, status=400)
        return _refused(request, event, _form_errors(form), next_url=next_url if back else "")
    try:
        domain.move_item(
            item, session=form.cleaned_data["session"], start=form.cleaned_data["start"]
        )
    except domain.ScheduleError as error:
        if keep_typed:
            form.add_error(None, str(error))
            return _item_page(request, event, item, place_form=form, status=400)
        return _refused(request, event, str(error), next_url=next_url if back else "")
    return _done(
        request,
        event,
        f"“{item.display_title}” placed.",
        day=_local_day(event, item.start),
        next_url=next_url if back else "",
    )


@require_POST
@event_view(organiser=True)
def item_unschedule(request, event, pk: int):
    """POST: take an item out of the timetable."""
    item = _get_item(event, pk)
    day = _local_day(event, item.start) if item.start else None
    domain.unschedule(item)
    return _done(request, event, f"“{item.display_title}” taken out of the timetable.", day=day)


@require_POST
@event_view(organiser=True)
def item_delete(request, event, pk: int):
    """POST: delete an invited talk or a break."""
    item = _get_item(event, pk)
    try:
        domain.delete_item(item)
    except domain.ScheduleError as error:
        return _refused(request, event, str(error))
    return _done(request, event, f"“{item.display_title}” deleted.")


@require_POST
@event_view(organiser=True)
def item_board(request, event, pk: int):
    """POST: set a poster's board number by hand."""
    item = _get_item(event, pk)
    form = BoardForm(request.POST)
    next_url = reverse("schedule:manage_item", kwargs={"event": event.slug, "pk": pk})
    if not form.is_valid():
        return _refused(request, event, _form_errors(form), next_url=next_url)
    try:
        domain.set_board_number(item, number=form.cleaned_data["board_number"])
    except domain.ScheduleError as error:
        return _refused(request, event, str(error), next_url=next_url)
    return _done(request, event, "Board number saved.", next_url=next_url)


# --- Accepted contributions -------------------------------------------------------------------


@event_view(organiser=True)
@in_event_zone
def place(request, event, code: str):
    """`/<event>/programme/manage/place/<code>/`: put an accepted contribution in a session."""
    submission = get_object_or_404(
        Submission.objects.select_related("contribution_type"),
        event=event,
        code=code,
        state__in=list(ACCEPTED_STATES),
    )
    form = PlaceForm(request.POST or None, event=event)
    is_poster = domain.item_kind_for(submission) == ItemKind.POSTER
    sessions = form.fields["session"].queryset
    form.fields["session"].queryset = (
        sessions.filter(kind=SessionKind.POSTERS)
        if is_poster
        else sessions.exclude(kind=SessionKind.POSTERS)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                item = domain.place_submission(
                    submission,
                    session=form.cleaned_data["session"],
                    start=form.cleaned_data["start"],
                )
            except domain.ScheduleError as error:
                if wants_json(request):
                    return _refused(request, event, str(error))
                form.add_error(None, str(error))
            else:
                return _done(
                    request,
                    event,
                    f"“{submission.title}” placed.",
                    day=_local_day(event, item.start),
                )
        elif wants_json(request):
            return _refused(request, event, _form_errors(form))
    return render(
        request,
        "schedule/manage/place.html",
        {"form": form, "submission": submission, "is_poster": is_poster},
    )


@event_view(organiser=True)
def unscheduled(request, event):
    """`/<event>/programme/manage/unscheduled/`: every accepted contribution not placed."""
    return render(
        request,
        "schedule/manage/unscheduled.html",
        {
            "submissions": list(domain.unscheduled_submissions(event)),
            "items": list(
                Item.objects.filter(event=event, session__isnull=True, submission__isnull=True)
            ),
            "people": Person.objects.filter(event=event).count(),
        },
    )
