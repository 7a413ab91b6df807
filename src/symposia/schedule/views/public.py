"""Public pages of the programme: the timetable, posters, speakers, contributions, talks and
the slides files. Shown once the programme is published (organisers see a preview before)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from symposia.cfp.enums import ACCEPTED_STATES
from symposia.cfp.models import Submission
from symposia.events.decorators import event_view
from symposia.publishing.models import latest_book

from .. import rules
from ..enums import PersonRole
from ..models import Item, Person, Publication
from ..published import load_items, load_programme, zone_label
from .common import in_event_zone


def _programme_context(request, event) -> dict:
    publication = _check_visible(request, event)
    return programme_context(event, load_programme(event, publication=publication))


def programme_context(event, programme) -> dict:
    """What the programme, posters and speakers pages show, from a loaded programme."""
    first = programme.sessions[0].start if programme.sessions else None
    book = latest_book(event)
    return {
        "programme": programme,
        "zone_label": zone_label(event, first),
        "is_preview": not (programme.publication and programme.publication.is_public),
        "book_url": book.download_url() if book else "",
    }


def _check_visible(request, event) -> Publication | None:
    """The event's publication; Http404 unless `request.user` may see the programme."""
    publication = Publication.objects.filter(event=event).first()
    if publication is None or not publication.is_public:
        rules.check_programme_visible(request.user, event)
    return publication


def _can_add_media(request, item) -> bool:
    """Offer the slides page to its speakers and organisers (no query for visitors)."""
    if item is None or not request.user.is_authenticated:
        return False
    return rules.can_attach_media(request.user, item)


def _page_context(event, items: list[Item], *, publication: Publication | None) -> dict:
    """Context of a page about a few items: the zone named at their time."""
    first = min((item.start for item in items), default=None)
    public = publication is not None and publication.is_public
    return {"zone_label": zone_label(event, first), "is_preview": not public}


@event_view
@in_event_zone
def programme(request, event):
    """`/<event>/programme/`: days, sessions with chairs, talks with abstracts, posters."""
    context = _programme_context(request, event)
    return render(request, PROGRAMME_TEMPLATES["programme"], context)


# The pages built from the whole programme, by URL name (the static export renders them too).
PROGRAMME_TEMPLATES = {
    "programme": "schedule/programme.html",
    "posters": "schedule/posters.html",
    "speakers": "schedule/speakers.html",
}


@event_view
@in_event_zone
def posters(request, event):
    """`/<event>/programme/posters/`: accepted posters by session and board number."""
    context = _programme_context(request, event)
    return render(request, PROGRAMME_TEMPLATES["posters"], context)


@event_view
@in_event_zone
def speakers(request, event):
    """`/<event>/programme/speakers/`: everyone presenting, with affiliation."""
    context = _programme_context(request, event)
    return render(request, PROGRAMME_TEMPLATES["speakers"], context)


@event_view
@in_event_zone
def speaker(request, event, slug: str):
    """`/<event>/programme/speakers/<slug>/`: a speaker, their talks and the sessions they chair."""
    publication = _check_visible(request, event)
    person = get_object_or_404(Person, event=event, slug=slug)
    talks = load_items(event, speaker=person)
    chaired = list(person.chaired_sessions.select_related("room").order_by("start"))
    if not talks and not chaired and person.role == PersonRole.OTHER:
        raise Http404("No such speaker.")
    return render_speaker(
        request, event, person=person, talks=talks, chaired=chaired, publication=publication
    )


def render_speaker(request, event, *, person, talks, chaired, publication):
    """The speaker page from loaded data (also used by the static export)."""
    context = _page_context(event, talks, publication=publication)
    context.update(person=person, talks=talks, chaired=chaired)
    return render(request, "schedule/speaker.html", context)


@event_view
@in_event_zone
def contribution(request, event, code: str):
    """`/<event>/programme/contributions/<code>/`: an accepted contribution with its authors."""
    publication = _check_visible(request, event)
    submission = (
        Submission.objects.select_related("contribution_type", "track")
        .prefetch_related("authors")
        .filter(event=event, code=code, state__in=list(ACCEPTED_STATES))
        .first()
    )
    if submission is None:
        raise Http404("No such contribution.")
    items = load_items(event, submission=submission)
    return render_contribution(
        request,
        event,
        submission=submission,
        item=items[0] if items else None,
        publication=publication,
    )


def render_contribution(request, event, *, submission, item, publication):
    """The contribution page from loaded data (also used by the static export)."""
    context = _page_context(event, [item] if item else [], publication=publication)
    context.update(
        submission=submission,
        item=item,
        authors=submission.public_authors(),
        can_add_media=_can_add_media(request, item),
    )
    return render(request, "schedule/contribution.html", context)


@event_view
@in_event_zone
def talk(request, event, pk: int):
    """`/<event>/programme/talks/<id>/`: an invited talk or break; contributions redirect."""
    publication = _check_visible(request, event)
    items = load_items(event, pk=pk)
    if not items:
        raise Http404("No such talk.")
    item = items[0]
    if item.submission_id:
        return redirect(item.get_absolute_url())
    return render_talk(request, event, item=item, publication=publication)


def render_talk(request, event, *, item, publication):
    """The page of an invited talk or break from loaded data (also used by the export)."""
    context = _page_context(event, [item], publication=publication)
    context.update(item=item, can_add_media=_can_add_media(request, item))
    return render(request, "schedule/talk.html", context)


@event_view
def slides(request, event, pk: int, name: str):
    """`/<event>/programme/talks/<id>/slides/<name>`: the uploaded slides of a public item
    (speakers and organisers may fetch them before publication)."""
    item = Item.objects.select_related("event", "submission").filter(event=event, pk=pk).first()
    if item is None or not item.slides:
        raise Http404("No slides.")
    public = rules.can_see_programme(request.user, event) and rules.is_public_item(item)
    if not public and not rules.can_attach_media(request.user, item):
        raise Http404("No slides.")
    if name != item.slides_filename:
        return redirect(item.slides_download_url())
    response = FileResponse(
        item.slides.open("rb"), content_type="application/pdf", filename=item.slides_filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
