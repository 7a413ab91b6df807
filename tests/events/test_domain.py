"""State changes of an event's site, called directly (the views are tested in test_manage)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symposia.events import domain
from symposia.events.models import Event, Page

from .site_helpers import png_bytes


@pytest.fixture
def other_event(db):
    """A second event, organised by nobody in the cast."""
    return Event.objects.create(slug="other2021", title="Other Workshop 2021")


def slugs(event) -> list[str]:
    return list(event.pages.order_by("order", "title", "pk").values_list("slug", flat=True))


def test_create_page_goes_last_and_refuses_taken_and_reserved_slugs(event):
    domain.create_page(event, slug="index", title="", body="Home")
    domain.create_page(event, slug="venue", title="Venue", body="")

    with pytest.raises(ValidationError) as taken:
        domain.create_page(event, slug="venue", title="Again", body="")
    with pytest.raises(ValidationError) as reserved:
        domain.create_page(event, slug="registration", title="Register", body="")

    assert slugs(event) == ["index", "venue"]
    assert taken.value.message_dict == {"slug": ["Another page already has the address “venue”."]}
    assert reserved.value.message_dict == {
        "slug": ["“registration” is used by the site itself; choose another address."]
    }


def test_same_slug_in_another_event_is_fine(event, other_event):
    domain.create_page(other_event, slug="venue", title="Venue", body="")

    page = domain.create_page(event, slug="venue", title="Venue", body="")

    assert page.event == event


def test_home_page_cannot_move_or_be_deleted(event):
    home = domain.create_page(event, slug="index", title="", body="")

    with pytest.raises(ValidationError):
        domain.update_page(home, slug="start", title="", body="")
    with pytest.raises(ValidationError):
        domain.delete_page(home)

    assert slugs(event) == ["index"]


# Each example deletes the event's pages first, so sharing the event fixture is safe.
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40, deadline=None
)
@given(moves=st.lists(st.tuples(st.integers(0, 3), st.sampled_from([-1, 1])), max_size=12))
def test_moves_keep_every_page_once_with_distinct_orders(event, moves):
    Page.objects.filter(event=event).delete()
    pages = [Page.objects.create(event=event, slug=f"p{i}", title=f"P{i}") for i in range(4)]
    expected = [p.slug for p in pages]
    for index, offset in moves:
        page = pages[index]
        position = expected.index(page.slug)
        target = max(0, min(3, position + offset))
        expected.insert(target, expected.pop(position))

        domain.move_page(page, offset=offset)

    assert slugs(event) == expected
    if moves:
        assert sorted(event.pages.values_list("order", flat=True)) == [0, 10, 20, 30]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("/logo_imi.png", "logo_imi.png"),
        (" img/Photo-1.JPG ", "img/Photo-1.JPG"),
        ("assets/img/a.png", "assets/img/a.png"),
    ],
)
def test_asset_paths_are_normalised(raw, clean):
    assert domain.normalise_asset_path(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "../x.png",
        "a/../b.png",
        ".hidden.png",
        "a//b.png",
        "a b.png",
        "a\\b.png",
        "manage/x.png",
        "static/theme.css",
        "cfp/x.pdf",
        "é.png",
    ],
)
def test_unsafe_or_reserved_asset_paths_are_refused(raw):
    with pytest.raises(ValidationError):
        domain.normalise_asset_path(raw)


def test_check_upload_accepts_real_images_and_pdfs():
    assert domain.check_upload(SimpleUploadedFile("a.png", png_bytes())) == "image/png"
    assert domain.check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")) == "application/pdf"


def test_check_upload_refuses_an_image_under_another_name():
    with pytest.raises(ValidationError) as error:
        domain.check_upload(SimpleUploadedFile("photo.jpg", png_bytes()))

    assert error.value.messages == [
        "The file is named .jpg but holds a PNG image; rename or convert it."
    ]


def test_logo_must_be_small_and_an_image():
    big = SimpleUploadedFile("big.png", b"\0" * (2 * 1024 * 1024 + 1))

    with pytest.raises(ValidationError):
        domain.check_upload(SimpleUploadedFile("logo.pdf", b"%PDF-"), images_only=True)
    with pytest.raises(ValidationError) as error:
        domain.check_upload(big, images_only=True)

    assert error.value.messages == ["The file is 2.0 MB; the limit is 2 MB."]


def test_preview_page_renders_like_the_site_without_saving(event):
    html = domain.preview_page(event, body="![a](a.png) $x$", slug="venue")

    assert 'src="/mathml2020/a.png"' in html
    assert "<math" in html
    assert event.pages.count() == 0
