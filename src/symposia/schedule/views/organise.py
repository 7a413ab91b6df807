"""Organisers' pages around the grid: rooms, people, poster sessions, publication; and the
slides/video page that organisers and speakers share."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from symposia.events.decorators import event_view
from symposia.events.rules import is_organiser

from .. import domain, rules
from ..enums import ItemKind, SessionKind
from ..forms import GroupPostersForm, MediaForm, PersonForm, PublishForm, RoomForm
from ..models import Item, Person, Release, Room, Session
from .common import in_event_zone

# --- Publication ------------------------------------------------------------------------------


@require_POST
@event_view(organiser=True)
def publish(request, event):
    """POST `/<event>/programme/manage/publish/`: make the programme public (new version)."""
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    release = domain.publish(event, by=request.user, note=note)
    messages.success(request, f"Programme published (version {release.version}).")
    return redirect("schedule:manage", event=event.slug)


@require_POST
@event_view(organiser=True)
def unpublish(request, event):
    """POST: hide the programme from the public."""
    domain.unpublish(event, by=request.user)
    messages.success(request, "The programme is hidden from the public.")
    return redirect("schedule:manage", event=event.slug)


@event_view(organiser=True)
@in_event_zone
def releases(request, event):
    """`/<event>/programme/manage/versions/`: every publication with its changes."""
    return render(
        request,
        "schedule/manage/releases.html",
        {
            "releases": Release.objects.filter(event=event).select_related("published_by"),
            "pending": domain.pending_changes(event),
        },
    )


# --- Rooms ------------------------------------------------------------------------------------


@event_view(organiser=True)
def rooms(request, event):
    """`/<event>/programme/manage/rooms/`: the rooms, and a form to add one."""
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            room = domain.save_room(
                event, name=data["name"], capacity=data["capacity"], position=data["position"] or 0
            )
        except domain.ScheduleError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Room “{room.name}” added.")
            return redirect("schedule:manage_rooms", event=event.slug)
    return render(
        request,
        "schedule/manage/rooms.html",
        {
            "form": form,
            "rooms": Room.objects.filter(event=event).annotate(session_count=Count("sessions")),
        },
    )


@event_view(organiser=True)
def room_edit(request, event, pk: int):
    """`/<event>/programme/manage/rooms/<id>/`: rename or delete a room."""
    room = get_object_or_404(Room, event=event, pk=pk)
    if request.method == "POST" and "delete" in request.POST:
        room.delete()
        messages.success(request, f"Room “{room.name}” deleted; its sessions have no room now.")
        return redirect("schedule:manage_rooms", event=event.slug)
    initial = {"name": room.name, "capacity": room.capacity, "position": room.position}
    form = RoomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            domain.save_room(
                event,
                room=room,
                name=data["name"],
                capacity=data["capacity"],
                position=data["position"] or 0,
            )
        except domain.ScheduleError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "Room saved.")
            return redirect("schedule:manage_rooms", event=event.slug)
    return render(request, "schedule/manage/room_form.html", {"form": form, "room": room})


# --- People -----------------------------------------------------------------------------------


@event_view(organiser=True)
def people(request, event):
    """`/<event>/programme/manage/people/`: invited speakers, organisers, presenters."""
    return render(
        request,
        "schedule/manage/people.html",
        {
            "people": Person.objects.filter(event=event)
            .annotate(
                item_count=Count("items", distinct=True),
                chair_count=Count("chaired_sessions", distinct=True),
            )
            .order_by("role", "position", "name"),
        },
    )


@require_POST
@event_view(organiser=True)
def people_import(request, event):
    """POST: read the invited speakers and organisers listed on the event's pages."""
    result = domain.import_people(event)
    if result.count:
        messages.success(
            request,
            f"{len(result.created)} people added and {len(result.updated)} updated "
            "from the event's pages.",
        )
    else:
        messages.info(request, "No new people found on the event's pages.")
    return redirect("schedule:manage_people", event=event.slug)


@event_view(organiser=True)
def person_edit(request, event, pk: int | None = None):
    """`/<event>/programme/manage/people/new/` and `.../people/<id>/`."""
    person = get_object_or_404(Person, event=event, pk=pk) if pk else None
    initial = {}
    if person is not None:
        initial = {
            "name": person.name,
            "affiliation": person.affiliation,
            "country": person.country,
            "role": person.role,
            "email": person.email,
            "bio": person.bio,
        }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = domain.save_person(
            event,
            person=person,
            name=data["name"],
            affiliation=data["affiliation"],
            country=data["country"],
            role=data["role"],
            bio=data["bio"],
            email=data["email"],
            user=form.account(),
        )
        messages.success(request, f"{person.name} saved.")
        return redirect("schedule:manage_people", event=event.slug)
    return render(request, "schedule/manage/person_form.html", {"form": form, "person": person})


# --- Posters ----------------------------------------------------------------------------------


@event_view(organiser=True)
@in_event_zone
def posters(request, event):
    """`/<event>/programme/manage/posters/`: group accepted posters into poster sessions."""
    form = GroupPostersForm(request.POST or None, event=event)
    if not form.is_bound:
        form.fields["sessions"].initial = list(form.fields["sessions"].queryset)
    if request.method == "POST" and form.is_valid():
        try:
            grouping = domain.group_posters(
                event,
                sessions=list(form.cleaned_data["sessions"]),
                seed=form.cleaned_data["seed"] or 0,
            )
        except domain.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            sizes = ", ".join(str(len(ids)) for ids in grouping.sessions.values())
            messages.success(request, f"Posters grouped by topic into sessions of {sizes}.")
            for poster_id, session_id in grouping.violations:
                messages.warning(
                    request,
                    f"Poster {poster_id} had to go into session {session_id}, which overlaps "
                    "a talk of its presenter.",
                )
            return redirect("schedule:manage_posters", event=event.slug)
    sessions = list(
        Session.objects.filter(event=event, kind=SessionKind.POSTERS)
        .select_related("room")
        .order_by("start")
    )
    by_session: dict[int, list[Item]] = {s.pk: [] for s in sessions}
    for item in (
        Item.objects.filter(event=event, kind=ItemKind.POSTER, session__isnull=False)
        .select_related("submission")
        .prefetch_related("speakers")
        .order_by("board_number", "pk")
    ):
        by_session.setdefault(item.session_id, []).append(item)
    return render(
        request,
        "schedule/manage/posters.html",
        {
            "form": form,
            "sessions": [(s, by_session.get(s.pk, [])) for s in sessions],
            "accepted": domain.accepted_posters(event).count(),
        },
    )


@require_POST
@event_view(organiser=True)
def posters_renumber(request, event):
    """POST: number the boards again in session order."""
    count = domain.assign_board_numbers(event)
    messages.success(request, f"{count} posters numbered.")
    return redirect("schedule:manage_posters", event=event.slug)


# --- Slides and video -------------------------------------------------------------------------


@event_view
@in_event_zone
def media(request, event, pk: int):
    """`/<event>/programme/talks/<id>/media/`: slides (PDF or link), video link, "recorded".

    For organisers at any time; for the item's speakers once it has started (404 otherwise).
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    item = rules.get_media_item(request.user, event, pk)
    initial = {
        "slides_url": item.slides_url,
        "video_url": item.video_url,
        "recorded": item.recorded,
    }
    form = MediaForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["remove_slides"]:
            domain.remove_slides(item)
        if data["slides"]:
            domain.attach_slides(item, upload=data["slides"], info=form.pdf_info)
        domain.set_media_links(
            item,
            slides_url=data["slides_url"],
            video_url=data["video_url"],
            recorded=data["recorded"],
        )
        messages.success(request, "Slides and video saved.")
        return redirect("schedule:media", event=event.slug, pk=item.pk)
    return render(
        request,
        "schedule/media.html",
        {"form": form, "item": item, "is_organiser": is_organiser(request.user, event)},
    )
