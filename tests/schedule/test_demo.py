"""Demo timetable: built from the seed's people and the accepted contributions, published."""

import random
from pathlib import Path

from symposia.cfp import demo as cfp_demo
from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission
from symposia.events.models import Page
from symposia.schedule import demo, domain
from symposia.schedule.enums import ItemKind, PersonRole, SessionKind
from symposia.schedule.models import Item, Person, Publication, Session

SEED = Path(__file__).resolve().parents[2] / "examples" / "mathml2020" / "index.md"


def test_fill_builds_three_published_days(event):
    Page.objects.create(event=event, slug="index", body=SEED.read_text(encoding="utf-8"))
    rng = random.Random(1)
    cfp_demo.fill(event, rng=rng, options={"submissions": 40}, log=lambda m: None)
    demo.fill(event, rng=rng, options={}, log=lambda m: None)

    days = {s.start.astimezone(event.tzinfo).date() for s in Session.objects.filter(event=event)}
    assert len(days) == 3
    invited = Item.objects.filter(event=event, kind=ItemKind.INVITED, session__isnull=False)
    assert invited.count() == 16
    assert Person.objects.filter(event=event, role=PersonRole.INVITED_SPEAKER).count() == 16
    talks = Item.objects.filter(event=event, kind=ItemKind.CONTRIBUTED, session__isnull=False)
    assert talks.count() == Submission.objects.filter(state=SubmissionState.ACCEPTED_TALK).count()
    posters = Item.objects.filter(event=event, kind=ItemKind.POSTER)
    assert (
        posters.count() == Submission.objects.filter(state=SubmissionState.ACCEPTED_POSTER).count()
    )
    assert sorted(posters.values_list("board_number", flat=True)) == list(
        range(1, posters.count() + 1)
    )
    assert Session.objects.filter(event=event, kind=SessionKind.POSTERS).count() == 2
    assert Publication.objects.get(event=event).is_public
    assert [w.code for w in domain.timetable_warnings(event)] == []
    first = Session.objects.filter(event=event).order_by("start").first()
    assert (
        first.start.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M %Z") == "2020-09-07 09:00 BST"
    )


def test_showcase_is_idempotent(event):
    Page.objects.create(event=event, slug="index", body=SEED.read_text(encoding="utf-8"))
    demo.showcase(event, log=lambda m: None)
    sessions = Session.objects.filter(event=event).count()
    items = Item.objects.filter(event=event).count()
    demo.showcase(event, log=lambda m: None)
    assert (
        Session.objects.filter(event=event).count(),
        Item.objects.filter(event=event).count(),
    ) == (
        sessions,
        items,
    )
    assert Publication.objects.get(event=event).version == 1
    assert Item.objects.filter(
        event=event, kind=ItemKind.POSTER, board_number__isnull=False
    ).exists()
