"""The public site: the list of events, pages, menu, assets, logo and colours."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from lxml import html as lxml_html

from symposia.events.models import Asset, Event, Page

from .site_helpers import png_bytes


@pytest.fixture
def other_event(db):
    """A second event, organised by nobody in the cast."""
    return Event.objects.create(slug="other2021", title="Other Workshop 2021")


@pytest.fixture
def home(event):
    return Page.objects.create(
        event=event, slug="index", title="", body="# Scope\n\nWe study $x^2$.", order=0
    )


def parse(response):
    return lxml_html.fromstring(response.content.decode())


def texts(doc, xpath: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


# --- The list of events -------------------------------------------------------------------


@time_machine.travel(dt.datetime(2020, 9, 15, 12, tzinfo=dt.UTC))
def test_event_list_shows_current_then_past_events_with_dates_and_venue(client, event):
    event.start_date, event.end_date = dt.date(2020, 9, 14), dt.date(2020, 9, 16)
    event.venue = "University of Bath, UK"
    event.save()
    Event.objects.create(
        slug="later", title="Later Workshop", start_date=dt.date(2021, 3, 1), venue="Oxford"
    )
    Event.objects.create(
        slug="old",
        title="Old Meeting",
        start_date=dt.date(2019, 6, 3),
        end_date=dt.date(2019, 6, 5),
    )
    Event.objects.create(slug="hidden", title="Hidden Draft", is_public=False)

    doc = parse(client.get("/"))

    assert texts(doc, "//*[@class='event-card__title']") == [
        "Mathematics of Machine Learning 2020",
        "Later Workshop",
    ]
    first_card = texts(doc, "//li[@class='event-card']")[0]
    assert "14–16 September 2020" in first_card
    assert "University of Bath, UK" in first_card
    assert "Happening now" in first_card
    assert texts(doc, "//ul[@class='past-events']/li/a") == ["Old Meeting"]
    assert "Hidden Draft" not in doc.text_content()


def test_event_list_links_each_event_and_its_logo(client, event):
    event.logo.save("logo.png", ContentFile(png_bytes()))

    doc = parse(client.get("/"))

    assert doc.xpath("//h3[@class='event-card__title']/a/@href") == ["/mathml2020/"]
    [src] = doc.xpath("//img[@class='event-card__logo']/@src")
    assert src.startswith("/mathml2020/static/logo?v=")


def test_event_list_shows_each_event_in_its_colours(client, event):
    event.primary_colour = "#6b1d3a"
    event.save()
    Event.objects.create(slug="hidden", title="Hidden", is_public=False, primary_colour="#000001")

    doc = parse(client.get("/"))
    css = client.get("/events.css")

    assert doc.xpath("//li[@class='event-card']/@data-event") == ["mathml2020"]
    assert doc.xpath("//link[@rel='stylesheet']/@href")[-1] == "/events.css"
    assert css["Content-Type"] == "text/css; charset=utf-8"
    body = css.content.decode()
    assert '[data-event="mathml2020"] {\n  --brand: #6b1d3a;' in body
    assert "hidden" not in body


@pytest.mark.parametrize("count", [1, 3])
def test_event_list_query_count_does_not_grow(client, db, django_assert_num_queries, count):
    for i in range(count):
        Event.objects.create(slug=f"event-{i}", title=f"Event {i}")

    with django_assert_num_queries(1):
        response = client.get("/")

    assert len(parse(response).xpath("//li[@class='event-card']")) == count


# --- Pages and menu -----------------------------------------------------------------------


def test_home_page_renders_markdown_maths_header_and_footer(client, event, home):
    event.start_date, event.end_date = dt.date(2020, 9, 14), dt.date(2020, 9, 16)
    event.venue = "University of Bath, UK"
    event.save()

    doc = parse(client.get("/mathml2020/"))

    assert texts(doc, "//article//h1") == ["Scope"]
    assert len(doc.xpath("//article//math")) == 1
    assert texts(doc, "//*[@class='masthead__title']") == ["Mathematics of Machine Learning 2020"]
    assert texts(doc, "//*[@class='masthead__dates']") == ["14–16 September 2020"]
    assert texts(doc, "//*[@class='masthead__venue']") == ["University of Bath, UK"]
    footer = texts(doc, "//footer")[0]
    assert "Contact: MathML2020@bath.ac.uk" in footer
    assert "Powered by Symposia" in footer
    assert doc.xpath("//footer//a/@href") == ["mailto:MathML2020@bath.ac.uk"]
    assert doc.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert doc.xpath("//main/@id") == ["main"]


def test_page_title_is_the_heading_when_the_text_has_none(client, event, home):
    Page.objects.create(event=event, slug="venue", title="Getting there", body="By train.")

    doc = parse(client.get("/mathml2020/venue/"))

    assert texts(doc, "//article//h1") == ["Getting there"]
    assert doc.findtext(".//title") == "Getting there · Mathematics of Machine Learning 2020"


def test_menu_lists_pages_in_order_and_marks_the_current_one(client, event, home):
    Page.objects.create(event=event, slug="programme-info", title="Programme", order=20)
    Page.objects.create(event=event, slug="venue", title="Venue", menu_title="Travel", order=10)
    Page.objects.create(event=event, slug="secret", title="Secret", in_menu=False, order=5)

    doc = parse(client.get("/mathml2020/venue/"))

    assert texts(doc, "//nav[contains(@class,'event-nav')]//a") == ["Home", "Travel", "Programme"]
    assert texts(doc, "//nav[contains(@class,'event-nav')]//a[@aria-current='page']") == ["Travel"]


def test_pages_use_no_inline_styles_or_scripts(client, event, home):
    """The Content-Security-Policy forbids inline CSS and JS; the theme must not need them."""
    response = client.get("/mathml2020/")

    body = response.content.decode()
    assert "style=" not in body
    assert "<style" not in body
    assert all(script.get("src") for script in parse(response).xpath("//script"))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_unknown_page_is_a_404(client, event, home):
    response = client.get("/mathml2020/nowhere/")

    assert response.status_code == 404


def test_page_of_another_event_is_a_404(client, event, home, other_event):
    Page.objects.create(event=other_event, slug="travel", title="Travel", body="Other's page")

    response = client.get("/mathml2020/travel/")

    assert response.status_code == 404
    assert b"Other's page" not in response.content


def test_unknown_event_is_a_404(client, db):
    assert client.get("/no-such-event/").status_code == 404


def test_organiser_sees_an_edit_link_and_others_do_not(client, event, home, alice, oscar):
    client.force_login(oscar)
    assert parse(client.get("/mathml2020/")).xpath("//p[@class='page-tools']") == []

    client.force_login(alice)
    doc = parse(client.get("/mathml2020/"))

    assert doc.xpath("//p[@class='page-tools']/a/@href") == [f"/mathml2020/manage/pages/{home.pk}/"]


# --- Assets -------------------------------------------------------------------------------


def make_asset(event, path: str, content: bytes) -> Asset:
    asset = Asset(event=event, path=path)
    asset.file.save(path.rsplit("/", 1)[-1], ContentFile(content), save=False)
    asset.save()
    return asset


def test_image_asset_is_served_with_its_content_type_and_nosniff(client, event):
    make_asset(event, "logo_imi.png", png_bytes())

    response = client.get("/mathml2020/logo_imi.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == png_bytes()


def test_asset_in_a_folder_is_served(client, event):
    make_asset(event, "assets/docs/poster.pdf", b"%PDF-1.4 test")

    response = client.get("/mathml2020/assets/docs/poster.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" not in response.get("Content-Disposition", "")


def test_asset_of_an_unsafe_type_is_a_download(client, event):
    make_asset(event, "page.html", b"<script>alert(1)</script>")

    response = client.get("/mathml2020/page.html")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unknown_asset_and_other_events_asset_are_404(client, event, other_event):
    make_asset(other_event, "theirs.png", png_bytes())

    assert client.get("/mathml2020/missing.png").status_code == 404
    assert client.get("/mathml2020/theirs.png").status_code == 404
    assert client.get("/other2021/theirs.png").status_code == 200


def test_page_address_without_slash_redirects(client, event, home):
    response = client.get("/mathml2020/manage")

    assert response.status_code == 302
    assert response["Location"] == "/mathml2020/manage/"


# --- Branding -----------------------------------------------------------------------------


def css_variables(css: str) -> dict[str, str]:
    return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-f]{6});", css))


def test_theme_css_sets_the_event_colours(client, event):
    event.primary_colour, event.accent_colour = "#7a1f3d", "#2f6f4e"
    event.save()

    response = client.get("/mathml2020/static/theme.css")

    assert response["Content-Type"] == "text/css; charset=utf-8"
    variables = css_variables(response.content.decode())
    assert variables["--brand"] == "#7a1f3d"
    assert variables["--accent"] == "#2f6f4e"
    assert variables["--on-brand"] == "#ffffff"


def test_light_brand_colour_gets_dark_text_and_darker_links(client, event):
    event.primary_colour = "#ffd700"
    event.save()

    variables = css_variables(client.get("/mathml2020/static/theme.css").content.decode())

    assert variables["--on-brand"] == "#1a1d23"
    assert variables["--brand-ink"] != "#ffd700"


def test_event_pages_link_the_theme_with_a_version(client, event, home):
    doc = parse(client.get("/mathml2020/"))

    hrefs = doc.xpath("//link[@rel='stylesheet']/@href")
    assert hrefs[0] == "/static/symposia/site.css"
    assert hrefs[1] == f"/mathml2020/static/theme.css?v={int(event.updated.timestamp())}"


def test_logo_is_served_and_shown_in_the_header(client, event, home):
    event.logo.save("bath.png", ContentFile(png_bytes()))

    response = client.get("/mathml2020/static/logo")
    doc = parse(client.get("/mathml2020/"))

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    [src] = doc.xpath("//span[@class='masthead__logo']/img/@src")
    assert src.startswith("/mathml2020/static/logo?v=")


def test_event_without_logo_has_no_logo_url(client, event, home):
    assert client.get("/mathml2020/static/logo").status_code == 404
    assert parse(client.get("/mathml2020/")).xpath("//span[@class='masthead__logo']") == []
