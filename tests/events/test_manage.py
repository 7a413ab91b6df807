"""The organisers' area: settings, the page editor (preview, order, menu) and files."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from symposia.events.models import Asset, Event, Page

from .site_helpers import png_bytes


@pytest.fixture(autouse=True)
def _login_url(settings):
    # A plain path, so the login redirect does not depend on the accounts app's URL names.
    settings.LOGIN_URL = "/accounts/login/"


@pytest.fixture
def other_event(db):
    """A second event, organised by nobody in the cast."""
    return Event.objects.create(slug="other2021", title="Other Workshop 2021")


@pytest.fixture
def png_upload():
    def make(name="logo_imi.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


def parse(response):
    return lxml_html.fromstring(response.content.decode())


def field_errors(response, name: str) -> list[str]:
    doc = parse(response)
    return [
        " ".join(li.text_content().split())
        for li in doc.xpath(
            f"//*[@name='{name}']/ancestor::div[contains(@class,'field')][1]//ul[contains(@class,'errorlist')]/li"
        )
    ]


@pytest.fixture
def pages(event):
    """Home, Programme, Venue in that order."""
    return [
        Page.objects.create(event=event, slug="index", title="", body="# Welcome", order=0),
        Page.objects.create(event=event, slug="programme-info", title="Programme", order=0),
        Page.objects.create(event=event, slug="venue", title="Venue", order=0),
    ]


def ordered_slugs(event) -> list[str]:
    return list(event.pages.order_by("order", "title", "pk").values_list("slug", flat=True))


# --- Who may enter ------------------------------------------------------------------------

MANAGE_URLS = [
    ("get", "/mathml2020/manage/"),
    ("get", "/mathml2020/manage/settings/"),
    ("post", "/mathml2020/manage/settings/"),
    ("get", "/mathml2020/manage/pages/"),
    ("get", "/mathml2020/manage/pages/new/"),
    ("post", "/mathml2020/manage/pages/new/"),
    ("get", "/mathml2020/manage/pages/{pk}/"),
    ("post", "/mathml2020/manage/pages/{pk}/"),
    ("get", "/mathml2020/manage/pages/{pk}/delete/"),
    ("post", "/mathml2020/manage/pages/{pk}/delete/"),
    ("post", "/mathml2020/manage/pages/{pk}/move/"),
    ("post", "/mathml2020/manage/pages/{pk}/menu/"),
    ("post", "/mathml2020/manage/pages/preview/"),
    ("get", "/mathml2020/manage/assets/"),
    ("post", "/mathml2020/manage/assets/"),
    ("get", "/mathml2020/manage/assets/{asset}/delete/"),
    ("post", "/mathml2020/manage/assets/{asset}/delete/"),
]


@pytest.fixture
def targets(event, pages):
    asset = Asset.objects.create(event=event, path="a.png", file="assets/a.png")
    return {"pk": pages[1].pk, "asset": asset.pk}


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, targets, method, url):
    url = url.format(**targets)

    response = getattr(client, method)(url, {"title": "Hacked", "body": "x", "slug": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert Page.objects.filter(title="Hacked").count() == 0


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_outsider_gets_a_404_and_changes_nothing(client, oscar, targets, method, url):
    client.force_login(oscar)
    before = ordered_slugs(Event.objects.get(slug="mathml2020"))

    response = getattr(client, method)(
        url.format(**targets), {"title": "Hacked", "slug": "hacked", "body": "x", "direction": "up"}
    )

    assert response.status_code == 404
    assert Page.objects.filter(title="Hacked").count() == 0
    assert ordered_slugs(Event.objects.get(slug="mathml2020")) == before
    assert Asset.objects.count() == 1


def test_organiser_of_another_event_gets_a_404(client, alice, other_event, pages):
    other_event.organisers.add(alice)
    page = Page.objects.create(event=other_event, slug="index", title="Theirs")

    client.force_login(alice)

    # alice organises both events, but an id from one event is unknown in the other.
    response = client.get(f"/mathml2020/manage/pages/{page.pk}/")

    assert response.status_code == 404


def test_dashboard_links_the_tools(client, alice, pages):
    client.force_login(alice)

    doc = parse(client.get("/mathml2020/manage/"))

    assert doc.xpath("//ul[@class='tiles']//h2/a/@href") == [
        "/mathml2020/manage/pages/",
        "/mathml2020/manage/assets/",
        "/mathml2020/manage/settings/",
        "/mathml2020/cfp/manage/",
        "/mathml2020/reviews/manage/",
        "/mathml2020/registration/manage/",
        "/mathml2020/programme/manage/",
        "/mathml2020/publishing/book/",
        "/mathml2020/mail/",
    ]
    assert "3 pages" in doc.text_content()


# --- Pages --------------------------------------------------------------------------------


def test_page_list_shows_pages_in_menu_order(client, alice, pages, event):
    client.force_login(alice)

    doc = parse(client.get("/mathml2020/manage/pages/"))

    names = [" ".join(t.split()) for t in doc.xpath("//tbody/tr/th/a/text()")]
    assert names == ["Home page", "Programme", "Venue"]


@pytest.mark.parametrize("count", [1, 3])
def test_page_list_query_count_does_not_grow(
    client, alice, event, django_assert_num_queries, count
):
    for i in range(count):
        Page.objects.create(event=event, slug=f"page-{i}", title=f"Page {i}", order=i)
    client.force_login(alice)

    # session, user, event, organiser check, pages, menu, organiser check for the header
    with django_assert_num_queries(8):
        response = client.get("/mathml2020/manage/pages/")

    assert len(parse(response).xpath("//tbody/tr")) == count


def test_organiser_creates_a_page_last_in_the_menu(client, alice, event, pages):
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/pages/new/",
        {
            "title": "Travel",
            "slug": "travel",
            "menu_title": "",
            "in_menu": "on",
            "body": "Take the train to $\\mathbb{B}$ath.",
            "action": "save",
        },
    )

    page = event.pages.get(slug="travel")
    assert response.status_code == 302
    assert response["Location"] == f"/mathml2020/manage/pages/{page.pk}/"
    assert (page.title, page.in_menu, page.body) == (
        "Travel",
        True,
        "Take the train to $\\mathbb{B}$ath.",
    )
    assert ordered_slugs(event)[-1] == "travel"
    public = client.get("/mathml2020/travel/").content.decode()
    assert "<math" in public


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("cfp", "“cfp” is used by the site itself; choose another address."),
        ("manage", "“manage” is used by the site itself; choose another address."),
        ("venue", "Another page already has the address “venue”."),
        (
            "not a slug!",
            "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        ),
    ],
)
def test_bad_address_is_refused_and_the_text_is_kept(client, alice, event, pages, slug, message):
    client.force_login(alice)
    typed = "A long text I typed with $e^{i\\pi}+1=0$ <b>and markup</b>."

    response = client.post(
        "/mathml2020/manage/pages/new/",
        {"title": "Call", "slug": slug, "body": typed, "action": "save"},
    )

    assert response.status_code == 200
    assert field_errors(response, "slug") == [message]
    doc = parse(response)
    assert doc.xpath("//div[@role='alert']/p/text()") == [
        "Nothing was saved: please check the fields marked below."
    ]
    assert doc.xpath("//textarea[@name='body']")[0].text_content().strip() == typed
    assert doc.xpath("//input[@name='title']/@value") == ["Call"]
    assert event.pages.count() == 3


def test_organiser_edits_a_page(client, alice, event, pages):
    client.force_login(alice)
    venue = pages[2]

    client.post(
        f"/mathml2020/manage/pages/{venue.pk}/",
        {
            "title": "Getting here",
            "slug": "getting-here",
            "menu_title": "Travel",
            "body": "New text",
            "action": "save",
        },
    )

    venue.refresh_from_db()
    assert (venue.slug, venue.title, venue.menu_title, venue.in_menu, venue.body) == (
        "getting-here",
        "Getting here",
        "Travel",
        False,
        "New text",
    )
    assert client.get("/mathml2020/venue/").status_code == 404
    assert "New text" in client.get("/mathml2020/getting-here/").content.decode()


def test_home_page_keeps_its_address(client, alice, event, pages):
    client.force_login(alice)
    home = pages[0]

    client.post(
        f"/mathml2020/manage/pages/{home.pk}/",
        {"title": "", "slug": "elsewhere", "in_menu": "on", "body": "# Hello", "action": "save"},
    )

    home.refresh_from_db()
    assert (home.slug, home.body) == ("index", "# Hello")


def test_edit_keeps_the_imported_front_matter(client, alice, event, pages):
    venue = pages[2]
    venue.front_matter = {"title": "Venue", "layout": "default", "permalink": "/venue/"}
    venue.save()
    client.force_login(alice)

    client.post(
        f"/mathml2020/manage/pages/{venue.pk}/",
        {"title": "Place", "slug": "venue", "in_menu": "on", "body": "x", "action": "save"},
    )

    venue.refresh_from_db()
    assert venue.title == "Place"
    assert venue.front_matter == {"title": "Venue", "layout": "default", "permalink": "/venue/"}


def test_preview_button_renders_without_saving_and_keeps_the_text(client, alice, event, pages):
    client.force_login(alice)
    venue = pages[2]
    typed = "Area $\\pi r^2$"

    response = client.post(
        f"/mathml2020/manage/pages/{venue.pk}/",
        {"title": "Venue", "slug": "venue", "body": typed, "action": "preview"},
    )

    doc = parse(response)
    assert len(doc.xpath("//div[@id='preview']//math")) == 1
    assert doc.xpath("//textarea[@name='body']")[0].text_content().strip() == typed
    venue.refresh_from_db()
    assert venue.body == ""


def test_live_preview_returns_sanitised_mathml(client, alice, event):
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/pages/preview/",
        {
            "body": "$$\\int_0^1 x\\,dx$$\n\n<script>alert(1)</script>"
            "<img src=x onerror=alert(2)>\n\n"
            "[x](javascript:alert(3)) <a href='javascript:alert(4)'>y</a>"
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert len(parse(response).xpath("//math[@display='block']//msubsup")) == 1
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in "".join(parse(response).xpath("//a/@href"))


def test_preview_shows_files_as_the_public_page_will(client, alice, event):
    client.force_login(alice)
    body = "![IMI](logo_imi.png) [abs](/x/) [web](https://www.lms.ac.uk/) [top](#scope)"

    home = parse(client.post("/mathml2020/manage/pages/preview/", {"body": body}))
    venue = parse(client.post("/mathml2020/manage/pages/preview/", {"body": body, "slug": "venue"}))

    assert home.xpath("//img/@src") == ["/mathml2020/logo_imi.png"]
    assert home.xpath("//a/@href") == ["/x/", "https://www.lms.ac.uk/", "#scope"]
    assert venue.xpath("//img/@src") == ["/mathml2020/logo_imi.png"]


def test_live_preview_ignores_a_page_of_another_event(client, alice, event, other_event):
    theirs = Page.objects.create(event=other_event, slug="secret", body="Their text")
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/pages/preview/", {"body": "Mine", "page": str(theirs.pk)}
    )

    assert parse(response).xpath("//p/text()") == ["Mine"]


def test_live_preview_needs_post(client, alice, event):
    client.force_login(alice)

    assert client.get("/mathml2020/manage/pages/preview/").status_code == 405


def test_live_preview_needs_the_csrf_token(alice, event):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/mathml2020/manage/pages/preview/", {"body": "x"})

    assert response.status_code == 403


def test_move_page_up_and_down(client, alice, event, pages):
    client.force_login(alice)
    home, programme, venue = pages

    client.post(f"/mathml2020/manage/pages/{venue.pk}/move/", {"direction": "up"})
    assert ordered_slugs(event) == ["index", "venue", "programme-info"]

    client.post(f"/mathml2020/manage/pages/{home.pk}/move/", {"direction": "down"})
    assert ordered_slugs(event) == ["venue", "index", "programme-info"]

    response = client.post(f"/mathml2020/manage/pages/{programme.pk}/move/", {"direction": "down"})
    assert ordered_slugs(event) == ["venue", "index", "programme-info"]
    assert response["Location"] == f"/mathml2020/manage/pages/#page-{programme.pk}"
    assert list(event.pages.order_by("order").values_list("order", flat=True)) == [0, 10, 20]


def test_hide_and_show_a_page_in_the_menu(client, alice, event, pages):
    client.force_login(alice)
    venue = pages[2]

    client.post(f"/mathml2020/manage/pages/{venue.pk}/menu/", {"in_menu": "0"})
    venue.refresh_from_db()
    assert venue.in_menu is False
    nav = parse(client.get("/mathml2020/")).xpath("//nav[contains(@class,'event-nav')]//a/text()")
    assert nav == ["Home", "Programme"]

    client.post(f"/mathml2020/manage/pages/{venue.pk}/menu/", {"in_menu": "1"})
    venue.refresh_from_db()
    assert venue.in_menu is True


def test_delete_a_page_after_confirmation(client, alice, event, pages):
    client.force_login(alice)
    venue = pages[2]

    confirm = client.get(f"/mathml2020/manage/pages/{venue.pk}/delete/")
    assert event.pages.filter(slug="venue").exists()
    assert parse(confirm).xpath("//h1/text()") == ["Delete “Venue”?"]

    response = client.post(f"/mathml2020/manage/pages/{venue.pk}/delete/")

    assert response["Location"] == "/mathml2020/manage/pages/"
    assert ordered_slugs(event) == ["index", "programme-info"]


def test_home_page_cannot_be_deleted(client, alice, event, pages):
    client.force_login(alice)

    response = client.post(f"/mathml2020/manage/pages/{pages[0].pk}/delete/")

    assert "The home page cannot be deleted; edit it instead." in response.content.decode()
    assert event.pages.filter(slug="index").exists()


# --- Files --------------------------------------------------------------------------------


def test_organiser_uploads_the_seed_logo_and_the_page_shows_it(client, alice, event, png_upload):
    Page.objects.create(event=event, slug="index", body="![IMI](logo_imi.png)")
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/assets/", {"file": png_upload("IMI logo.png"), "path": "logo_imi.png"}
    )

    assert response["Location"] == "/mathml2020/manage/assets/"
    asset = event.assets.get()
    assert asset.path == "logo_imi.png"
    served = client.get("/mathml2020/logo_imi.png")
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    listing = parse(client.get("/mathml2020/manage/assets/"))
    assert listing.xpath("//tbody/tr/th/a/text()") == ["logo_imi.png"]


def test_upload_without_path_uses_the_file_name(client, alice, event, png_upload):
    client.force_login(alice)

    client.post("/mathml2020/manage/assets/", {"file": png_upload("photo.png"), "path": ""})

    assert list(event.assets.values_list("path", flat=True)) == ["photo.png"]


@pytest.mark.parametrize(
    ("upload", "path", "field", "message"),
    [
        (
            SimpleUploadedFile("notes.txt", b"hello"),
            "",
            "file",
            "Upload a PNG, JPEG, GIF, WebP or PDF file (this one is “notes.txt”).",
        ),
        (
            SimpleUploadedFile("fake.png", b"<svg onload=alert(1)>"),
            "",
            "file",
            "This file is not a readable image.",
        ),
        (SimpleUploadedFile("fake.pdf", b"GIF89a"), "", "file", "This file is not a PDF document."),
        (
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
            "",
            "file",
            "The file is 10.0 MB; the limit is 10 MB.",
        ),
        (
            SimpleUploadedFile("ok.pdf", b"%PDF-1.4"),
            "../secret.pdf",
            "path",
            "Use letters, digits, “.”, “_”, “-” and “/” only, e.g. logo_imi.png or img/photo.jpg.",
        ),
        (
            SimpleUploadedFile("ok.pdf", b"%PDF-1.4"),
            "manage/x.pdf",
            "path",
            "Paths starting with “manage/” are reserved.",
        ),
        (
            SimpleUploadedFile("ok.pdf", b"%PDF-1.4"),
            "poster.png",
            "path",
            "The name must end in .pdf, like the file.",
        ),
    ],
)
def test_bad_upload_is_refused_with_a_message(client, alice, event, upload, path, field, message):
    client.force_login(alice)

    response = client.post("/mathml2020/manage/assets/", {"file": upload, "path": path})

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert event.assets.count() == 0
    if path:
        assert parse(response).xpath("//input[@name='path']/@value") == [path]


def test_existing_file_is_replaced_only_when_asked(client, alice, event, png_upload):
    client.force_login(alice)
    client.post("/mathml2020/manage/assets/", {"file": png_upload(), "path": "logo_imi.png"})
    first_name = event.assets.get().file.name

    refused = client.post(
        "/mathml2020/manage/assets/", {"file": png_upload(), "path": "logo_imi.png"}
    )
    assert field_errors(refused, "path") == [
        "A file named “logo_imi.png” exists; tick “Replace” to overwrite it."
    ]

    client.post(
        "/mathml2020/manage/assets/",
        {"file": png_upload(), "path": "logo_imi.png", "replace": "on"},
    )
    asset = event.assets.get()
    assert asset.file.name != first_name
    assert not asset.file.storage.exists(first_name)


def test_delete_a_file(client, alice, event, png_upload):
    client.force_login(alice)
    client.post("/mathml2020/manage/assets/", {"file": png_upload(), "path": "logo_imi.png"})
    asset = event.assets.get()
    stored = asset.file.name

    client.post(f"/mathml2020/manage/assets/{asset.pk}/delete/")

    assert event.assets.count() == 0
    assert not asset.file.storage.exists(stored)
    assert client.get("/mathml2020/logo_imi.png").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_asset_list_query_count_does_not_grow(
    client, alice, event, png_upload, django_assert_num_queries, count
):
    client.force_login(alice)
    for i in range(count):
        client.post("/mathml2020/manage/assets/", {"file": png_upload(f"f{i}.png"), "path": ""})

    with django_assert_num_queries(8):
        response = client.get("/mathml2020/manage/assets/")

    assert len(parse(response).xpath("//tbody/tr")) == count


# --- Settings -----------------------------------------------------------------------------

SETTINGS = {
    "title": "Mathematics of Machine Learning 2020",
    "short_title": "MathML 2020",
    "description": "A workshop on $\\mathbb{R}^n$.",
    "start_date": "2020-09-14",
    "end_date": "2020-09-16",
    "timezone": "Europe/London",
    "venue": "University of Bath, UK",
    "contact_email": "MathML2020@bath.ac.uk",
    "primary_colour": "#7a1f3d",
    "accent_colour": "#2f6f4e",
}


def test_organiser_changes_the_settings(client, alice, event, png_upload):
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/settings/", {**SETTINGS, "logo": png_upload("bath.png")}
    )

    assert response["Location"] == "/mathml2020/manage/settings/"
    event.refresh_from_db()
    assert (event.short_title, event.start_date, event.end_date, event.venue) == (
        "MathML 2020",
        dt.date(2020, 9, 14),
        dt.date(2020, 9, 16),
        "University of Bath, UK",
    )
    assert (event.primary_colour, event.accent_colour) == ("#7a1f3d", "#2f6f4e")
    assert client.get("/mathml2020/static/logo")["Content-Type"] == "image/png"
    assert "--brand: #7a1f3d;" in client.get("/mathml2020/static/theme.css").content.decode()


def test_logo_can_be_removed(client, alice, event, png_upload):
    client.force_login(alice)
    client.post("/mathml2020/manage/settings/", {**SETTINGS, "logo": png_upload("bath.png")})
    event.refresh_from_db()
    stored = event.logo.name

    client.post("/mathml2020/manage/settings/", {**SETTINGS, "clear_logo": "on"})

    event.refresh_from_db()
    assert not event.logo
    assert client.get("/mathml2020/static/logo").status_code == 404
    from django.core.files.storage import default_storage

    assert not default_storage.exists(stored)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2020-09-01"}, "end_date", "The event cannot end before it starts."),
        (
            {"timezone": "Mars/Olympus"},
            "timezone",
            "Select a valid choice. Mars/Olympus is not one of the available choices.",
        ),
        ({"primary_colour": "blue"}, "primary_colour", "Use a colour like #1d4e89."),
        ({"title": ""}, "title", "This field is required."),
        ({"contact_email": "not an address"}, "contact_email", "Enter a valid email address."),
    ],
)
def test_bad_settings_are_refused_and_the_input_is_kept(
    client, alice, event, changes, field, message
):
    client.force_login(alice)

    response = client.post("/mathml2020/manage/settings/", {**SETTINGS, **changes})

    assert field_errors(response, field) == [message]
    doc = parse(response)
    assert doc.xpath("//input[@name='venue']/@value") == ["University of Bath, UK"]
    # The header still shows the saved event, not the rejected input.
    assert doc.xpath("//*[@class='masthead__title']/text()") == [
        "Mathematics of Machine Learning 2020"
    ]
    event.refresh_from_db()
    assert event.venue == ""


def test_logo_must_be_an_image(client, alice, event):
    client.force_login(alice)

    response = client.post(
        "/mathml2020/manage/settings/",
        {**SETTINGS, "logo": SimpleUploadedFile("logo.pdf", b"%PDF-1.4")},
    )

    assert field_errors(response, "logo") == [
        "Upload a PNG, JPEG, GIF or WebP file (this one is “logo.pdf”)."
    ]
    event.refresh_from_db()
    assert not event.logo
