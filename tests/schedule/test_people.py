"""People read from the seed page's lists, and their import into the event."""

from pathlib import Path

from symposia.events.models import Page
from symposia.schedule import domain
from symposia.schedule.enums import PersonRole
from symposia.schedule.models import Person
from symposia.schedule.people import ListedPerson, parse_people, split_entry

SEED = Path(__file__).resolve().parents[2] / "examples" / "mathml2020" / "index.md"


def test_seed_page_lists_sixteen_invited_participants_and_four_organisers():
    people = parse_people(SEED.read_text(encoding="utf-8"))
    invited = [p for p in people if p.role == "invited_speaker"]
    organisers = [p for p in people if p.role == "organiser"]
    assert len(invited) == 16
    assert invited[0] == ListedPerson(
        "Martin Benning", "Queen Mary University of London", "UK", "invited_speaker"
    )
    assert invited[-1] == ListedPerson("Jong Chul Ye", "KAIST", "Korea", "invited_speaker")
    assert [p.name for p in organisers] == [
        "Philip Aston",
        "Matthias J. Ehrhardt",
        "Catherine Higham",
        "Clarice Poon",
    ]
    assert organisers[1] == ListedPerson(
        "Matthias J. Ehrhardt", "University of Bath", "UK", "organiser"
    )


def test_affiliation_may_hold_commas():
    assert split_entry("Ann Lee, University of California, Berkeley, USA") == (
        "Ann Lee",
        "University of California, Berkeley",
        "USA",
    )


def test_short_entries_and_markup():
    assert split_entry("Only A Name") == ("Only A Name", "", "")
    assert split_entry("Jo Bloggs, Somewhere") == ("Jo Bloggs", "Somewhere", "")
    assert split_entry("[**Zoë Ångström**](https://example.org), KTH, Sweden") == (
        "Zoë Ångström",
        "KTH",
        "Sweden",
    )


def test_lists_under_other_headings_are_ignored():
    text = (
        "# Sponsors\n- Big Company, Town, UK\n\n## Organizers\n* Ann Lee, MIT, USA\n\n"
        "# Contact\n- x"
    )
    assert parse_people(text) == [ListedPerson("Ann Lee", "MIT", "USA", "organiser")]


def test_import_from_the_event_pages_is_idempotent(event):
    Page.objects.create(event=event, slug="index", body=SEED.read_text(encoding="utf-8"))
    first = domain.import_people(event)
    assert (len(first.created), len(first.updated)) == (20, 0)
    again = domain.import_people(event)
    assert (len(again.created), len(again.updated)) == (0, 0)
    assert Person.objects.filter(event=event).count() == 20
    ehrhardt = Person.objects.get(event=event, name="Matthias J. Ehrhardt")
    assert (ehrhardt.role, ehrhardt.affiliation, ehrhardt.country, ehrhardt.slug) == (
        PersonRole.ORGANISER,
        "University of Bath",
        "UK",
        "matthias-j-ehrhardt",
    )


def test_import_updates_a_changed_affiliation_and_keeps_the_slug(event):
    domain.import_people(event, texts=["# Invited speakers\n- Ann Lee, MIT, USA"])
    person = Person.objects.get(event=event)
    result = domain.import_people(
        event, texts=["# Invited speakers\n- Ann Lee, ETH Zürich, Switzerland"]
    )
    person.refresh_from_db()
    assert [p.pk for p in result.updated] == [person.pk]
    assert (person.affiliation, person.country, person.slug) == (
        "ETH Zürich",
        "Switzerland",
        "ann-lee",
    )


def test_unicode_names_keep_their_letters_in_the_slug(event):
    domain.import_people(
        event, texts=["# Speakers\n- 张伟, 清华大学, China\n- Zoë Ångström, KTH, Sweden"]
    )
    assert sorted(Person.objects.filter(event=event).values_list("slug", flat=True)) == [
        "zoë-ångström",
        "张伟",
    ]


def test_same_name_twice_gets_distinct_slugs(event):
    first = domain.save_person(event, name="Ann Lee")
    second = domain.save_person(event, name="Ann  Lee")
    assert (first.slug, second.slug) == ("ann-lee", "ann-lee-2")
