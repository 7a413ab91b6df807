"""Public programme pages: what visitors see, when they see it, and how many queries it takes."""

import pytest
from django.urls import reverse

from symposia.cfp.enums import SubmissionState
from symposia.schedule import domain
from symposia.schedule.enums import ItemKind

from .conftest import at, make_submission


def programme_url(event):
    return reverse("schedule:programme", kwargs={"event": event.slug})


@pytest.fixture
def timetable(event, alice, talk, speaker, morning, poster, posters_session):
    invited = domain.save_item(
        event,
        kind=ItemKind.INVITED,
        title="Understanding interpolation",
        abstract="Why over-parametrised models with $p \\gg n$ generalise.",
        speakers=[speaker],
    )
    domain.place_item(invited, session=morning, start=at(9), end=at(9, 45))
    domain.set_media_links(
        invited,
        slides_url="https://slides.example.org/1.pdf",
        video_url="https://video.example.org/1",
        recorded=True,
    )
    domain.place_submission(talk, session=morning, start=at(9, 45))
    domain.place_submission(poster, session=posters_session, start=at(15, 30))
    domain.assign_board_numbers(event)
    return invited


def test_programme_shows_days_sessions_chairs_talks_and_posters(
    client, event, timetable, published
):
    response = client.get(programme_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Times are in <strong" in html and "BST (Europe/London)</strong>" in html
    assert "Monday 7 September 2020" in html
    assert (
        'Chair: <a href="/mathml2020/programme/speakers/clarice-poon/"><bdi>Clarice Poon</bdi></a>'
        in html
    )
    assert (
        '<time datetime="2020-09-07T09:00:00+01:00" data-instant="1599465600">09:00</time>' in html
    )
    # Abstract in <details>, maths as MathML, speaker with affiliation.
    assert '<summary><span class="sch-item-title">Understanding interpolation</span>' in html
    assert "<math" in html and "<mi>p</mi>" in html
    assert (
        '<bdi>Stéphane Chrétien</bdi></a> <span class="sch-affiliation">'
        "(<bdi>University of Lyon, France</bdi>)</span>" in html
    )
    assert '<a href="https://video.example.org/1" rel="noopener">Video</a>' in html
    assert "Recorded" in html
    assert "Convergence of SGD" in html and "Adam Author" in html
    assert "Board 1" in html and "Wasserstein flows" in html
    assert 'href="/mathml2020/programme/schedule.ics"' in html
    assert "<script" in html and "onclick" not in html and "style=" not in html


def test_unpublished_programme_is_hidden_from_the_public_and_outsiders(
    client, event, timetable, oscar
):
    assert client.get(programme_url(event)).status_code == 404
    client.force_login(oscar)
    for name in ("programme", "posters", "speakers", "ics", "json", "xml"):
        assert (
            client.get(reverse(f"schedule:{name}", kwargs={"event": event.slug})).status_code == 404
        )
    talk_page = reverse("schedule:talk", kwargs={"event": event.slug, "pk": timetable.pk})
    assert client.get(talk_page).status_code == 404


def test_organisers_see_a_preview_before_publication(client, event, timetable, alice):
    client.force_login(alice)
    html = client.get(programme_url(event)).content.decode()
    assert "<strong>Preview.</strong>" in html
    assert "Understanding interpolation" in html


def test_contribution_page_shows_authors_only_once_accepted(client, event, talk, adam, published):
    url = reverse("schedule:contribution", kwargs={"event": event.slug, "code": talk.code})
    html = client.get(url).content.decode()
    assert "<bdi>Adam Author</bdi>" in html
    assert "Not in the timetable yet." in html
    rejected = make_submission(event, adam, title="Refused", state=SubmissionState.REJECTED)
    url = reverse("schedule:contribution", kwargs={"event": event.slug, "code": rejected.code})
    assert client.get(url).status_code == 404


def test_contribution_page_of_a_placed_talk(client, event, talk, timetable, published):
    url = reverse("schedule:contribution", kwargs={"event": event.slug, "code": talk.code})
    html = client.get(url).content.decode()
    assert "Monday 7 September 2020" in html
    assert "Morning session" in html and "Lecture theatre" in html
    assert f"/mathml2020/programme/talks/{talk.schedule_item.pk}.ics" in html


def test_talk_page_and_contributions_redirect(client, event, talk, timetable, published):
    url = reverse("schedule:talk", kwargs={"event": event.slug, "pk": timetable.pk})
    html = client.get(url).content.decode()
    assert "<h1>Understanding interpolation</h1>" in html
    item = talk.schedule_item
    response = client.get(reverse("schedule:talk", kwargs={"event": event.slug, "pk": item.pk}))
    assert response["Location"] == f"/mathml2020/programme/contributions/{talk.code}/"


def test_speaker_pages(client, event, timetable, speaker, chair, published):
    html = client.get(reverse("schedule:speakers", kwargs={"event": event.slug})).content.decode()
    assert (
        '<a href="/mathml2020/programme/speakers/stephane-chretien/">'
        "<bdi>Stéphane Chrétien</bdi></a>" in html
    )
    html = client.get(speaker.get_absolute_url()).content.decode()
    assert "<h1><bdi>Stéphane Chrétien</bdi></h1>" in html
    assert "Understanding interpolation" in html
    html = client.get(chair.get_absolute_url()).content.decode()
    assert "<h2>Chairs</h2>" in html and "Morning session" in html


def test_posters_page_lists_posters_by_session_and_board(client, event, timetable, published):
    html = client.get(reverse("schedule:posters", kwargs={"event": event.slug})).content.decode()
    assert "Poster session" in html
    assert '<span class="sch-board">Board 1</span>' in html
    assert "Petra Participant" in html


def test_queries_on_the_programme_page_do_not_grow(
    client, event, alice, morning, speaker, django_assert_num_queries
):
    domain.publish(event, by=alice)

    def add_items(count):
        for n in range(count):
            item = domain.save_item(
                event, kind=ItemKind.INVITED, title=f"Talk $x_{n}$", speakers=[speaker]
            )
            domain.place_item(item, session=morning, start=at(9, 10 * n), end=at(9, 10 * n + 10))

    add_items(1)
    url = programme_url(event)
    client.get(url)  # warm caches outside the count
    with django_assert_num_queries(9):
        client.get(url)
    add_items(3)
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count('class="sch-item ') == 4


def test_queries_on_the_posters_page_do_not_grow(
    client, event, alice, petra, posters_session, django_assert_num_queries
):
    domain.publish(event, by=alice)
    for n in range(3):
        poster = make_submission(event, petra, title=f"P{n}", state=SubmissionState.ACCEPTED_POSTER)
        domain.place_submission(poster, session=posters_session, start=at(15, 30))
        if n == 0:
            url = reverse("schedule:posters", kwargs={"event": event.slug})
            client.get(url)
            with django_assert_num_queries(10):
                client.get(url)
    with django_assert_num_queries(10):
        html = client.get(url).content.decode()
    assert html.count('class="sch-poster"') == 3
