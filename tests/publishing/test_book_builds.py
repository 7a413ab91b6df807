"""Building the book of abstracts in the background: progress, report, downloads, access."""

import pytest
from django.urls import reverse

from symposia.publishing.models import BookBuild, BuildStatus
from symposia.publishing.tasks import request_book_build
from symposia.schedule import domain

from .programme import build_programme

pytest.importorskip("symposia.publishing.book")


@pytest.fixture
def programme(event, alice, adam, petra):
    return build_programme(event, organiser=alice, author=adam, poster_author=petra)


def url(name, event, **kwargs):
    return reverse(f"publishing:{name}", kwargs={"event": event.slug, **kwargs})


def test_organiser_builds_the_book_and_everyone_downloads_it(client, event, alice, programme):
    client.force_login(alice)
    response = client.post(url("book_build", event))
    assert response["Location"] == url("book", event)
    build = BookBuild.objects.get(event=event)
    assert (build.status, build.progress, build.programme_version) == (BuildStatus.DONE, 1.0, 1)
    assert build.pages >= 1 and build.abstracts == 3
    page = client.get(url("book", event)).content.decode()
    assert "Book of abstracts (PDF" in page and "LaTeX source" in page
    latex = client.get(url("book_tex", event, pk=build.pk))
    source = b"".join(latex.streaming_content).decode()
    assert "\\documentclass" in source and "Convergence of SGD" in source
    status = client.get(url("book_status", event)).json()
    assert (status["status"], status["percent"], status["active"]) == ("done", 100, False)
    client.logout()
    pdf = client.get(url("book_pdf", event))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    programme_page = client.get(reverse("schedule:programme", kwargs={"event": event.slug}))
    assert url("book_pdf", event) in programme_page.content.decode()


def test_the_book_follows_the_programme_being_public(client, event, alice, programme):
    request_book_build(event, by=alice)
    domain.unpublish(event, by=alice)
    assert client.get(url("book_pdf", event)).status_code == 404
    client.force_login(alice)
    assert client.get(url("book_pdf", event)).status_code == 200


def test_outsider_is_refused(client, event, alice, oscar, programme):
    build = request_book_build(event, by=alice)
    client.force_login(oscar)
    for path in (
        url("book", event),
        url("book_status", event),
        url("book_tex", event, pk=build.pk),
        url("book_typ", event, pk=build.pk),
    ):
        assert client.get(path).status_code == 404
    assert client.post(url("book_build", event)).status_code == 404
    assert BookBuild.objects.count() == 1


def test_no_book_yet(client, event, alice, programme):
    assert client.get(url("book_pdf", event)).status_code == 404
    client.force_login(alice)
    page = client.get(url("book", event)).content.decode()
    assert "Build the book" in page


def test_a_build_in_progress_is_not_started_twice(event, alice, programme):
    running = BookBuild.objects.create(event=event, status=BuildStatus.RUNNING, progress=0.4)
    assert request_book_build(event, by=alice) == running
    assert BookBuild.objects.count() == 1
