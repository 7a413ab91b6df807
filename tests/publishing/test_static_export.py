"""The static export: every relative link of every exported page names a file of the export,
non-ASCII names included; feeds and assets are there; pages left online lose their links."""

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from icalendar import Calendar
from pypdf import PdfWriter

from symposia.cfp.pdf import inspect_pdf
from symposia.events.models import Asset, Page
from symposia.publishing.static_export import export_static, relative_link, url_to_file
from symposia.schedule import domain

from .programme import build_programme

ASSET = "Poster_Zoë_Ångström.pdf"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [(tag, name, value) for name, value in attrs if name in ("href", "src")]


def crawl(root: Path) -> tuple[int, list[str], list[str]]:
    """(pages seen, broken relative links, absolute-path links) of every HTML file."""
    broken, absolute, pages = [], [], 0
    for page in root.rglob("*.html"):
        pages += 1
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, name, value in parser.links:
            if value is None:
                continue
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto") or not parts.path:
                continue
            if value.startswith("/"):
                absolute.append(f"{page.relative_to(root)}: {value}")
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(root)}: <{tag} {name}={value}>")
    return pages, broken, absolute


@pytest.fixture
def site(event, alice, adam, petra):
    event.start_date = None
    Page.objects.create(
        event=event,
        slug="index",
        title="MathML 2020",
        body=(
            f"# Welcome\n\nSee the [poster template]({ASSET}), the [programme](programme/) and "
            "the [call](cfp/). Maths: $\\int_0^1 f(x)\\,dx$.\n"
        ),
    )
    Page.objects.create(event=event, slug="venue", title="Venue", body="Bath, **UK**.")
    asset = Asset(event=event, path=ASSET)
    asset.file.save("poster.pdf", ContentFile(b"%PDF-1.4 poster template"), save=True)
    programme = build_programme(event, organiser=alice, author=adam, poster_author=petra)
    slides = SimpleUploadedFile("Folien Zoë Ångström.pdf", pdf_bytes(), "application/pdf")
    domain.attach_slides(
        programme["invited"], upload=slides, info=inspect_pdf(slides, max_bytes=10**6)
    )
    return programme


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_export_has_no_broken_link_and_works_under_any_base_path(event, site, tmp_path):
    report = export_static(event, tmp_path / "out", base_url="/mathml2020/", log=lambda m: None)
    root = tmp_path / "out"
    pages, broken, absolute = crawl(root)
    assert broken == []
    assert absolute == []
    assert pages == report.pages >= 10
    for name in (
        "index.html",
        "venue/index.html",
        "programme/index.html",
        "programme/posters/index.html",
        "programme/speakers/index.html",
        "programme/speakers/zoë-ångström/index.html",
        f"programme/contributions/{site['talk'].code}/index.html",
        f"programme/contributions/{site['poster'].code}/index.html",
        f"programme/talks/{site['invited'].pk}/index.html",
        f"programme/talks/{site['invited'].pk}.ics",
        "programme/schedule.ics",
        "programme/schedule.json",
        "programme/schedule.xml",
        "static/symposia/schedule.css",
        "static/symposia/schedule.js",
        ASSET,
        f"programme/talks/{site['invited'].pk}/slides/Folien_Zoë_Ångström.pdf",
    ):
        assert (root / name).is_file(), name
    assert (root / ASSET).read_bytes() == b"%PDF-1.4 poster template"


def test_links_are_percent_encoded_and_maths_is_mathml(event, site, tmp_path):
    export_static(event, tmp_path, log=lambda m: None)
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="Poster_Zo%C3%AB_%C3%85ngstr%C3%B6m.pdf"' in home
    assert 'href="programme/index.html"' in home
    assert "<math" in home
    programme = (tmp_path / "programme" / "index.html").read_text(encoding="utf-8")
    assert 'href="speakers/zo%C3%AB-%C3%A5ngstr%C3%B6m/index.html"' in programme
    slides = f"talks/{site['invited'].pk}/slides/Folien_Zo%C3%AB_%C3%85ngstr%C3%B6m.pdf"
    assert f'href="{slides}"' in programme
    assert 'href="../static/symposia/schedule.css"' in programme
    assert "<mi>p</mi>" in programme and "$" not in programme.split("<main")[1].split("</main>")[0]


def test_pages_that_stay_online_lose_their_links(event, site, tmp_path):
    report = export_static(event, tmp_path, log=lambda m: None)
    home = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "/accounts/login/" not in home and "cfp/" not in home
    assert ">call</a>" in home  # the text stays
    assert {"/accounts/login/", "/mathml2020/cfp/"} <= report.skipped_links
    live = export_static(event, tmp_path / "live", live_url="https://conf.example.org")
    home = (tmp_path / "live" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://conf.example.org/mathml2020/cfp/"' in home
    assert live.files == report.files


def test_feeds_use_the_base_url(event, site, tmp_path):
    export_static(event, tmp_path, base_url="https://example.github.io/mathml2020/")
    calendar = Calendar.from_ical((tmp_path / "programme" / "schedule.ics").read_bytes())
    urls = sorted(str(e["URL"]) for e in calendar.walk("VEVENT"))
    assert f"https://example.github.io/mathml2020/programme/talks/{site['invited'].pk}/" in urls
    schedule = json.loads((tmp_path / "programme" / "schedule.json").read_text(encoding="utf-8"))
    assert schedule["schedule"]["base_url"] == "https://example.github.io/mathml2020/programme/"


def test_unpublished_programme_is_not_exported(event, site, alice, tmp_path):
    domain.unpublish(event, by=alice)
    report = export_static(event, tmp_path, log=lambda m: None)
    assert (tmp_path / "index.html").is_file()
    assert not (tmp_path / "programme").exists()
    assert report.warnings == ["The programme is not published: it is not exported."]
    assert crawl(tmp_path)[1] == []


def test_command(event, site, tmp_path, capsys):
    call_command("export-static", event.slug, str(tmp_path / "site"), "--base-url", "/mathml2020/")
    assert "written to" in capsys.readouterr().out
    assert (tmp_path / "site" / "programme" / "index.html").is_file()
    assert (tmp_path / "site" / ".nojekyll").is_file()


def test_url_to_file_and_relative_links():
    prefix = "/mathml2020/"
    assert url_to_file("/mathml2020/", prefix) == "index.html"
    assert url_to_file("/mathml2020/programme/talks/3.ics", prefix) == "programme/talks/3.ics"
    assert url_to_file("/mathml2020/speakers/zo%C3%AB/", prefix) == "speakers/zoë/index.html"
    assert url_to_file("/static/symposia/site.css", prefix) == "static/symposia/site.css"
    assert url_to_file("/mathml2020/../etc/passwd", prefix) is None
    assert url_to_file("/other/", prefix) is None
    assert relative_link("programme/index.html", "speakers/zoë/index.html", "x") == (
        "../speakers/zo%C3%AB/index.html#x"
    )
    assert relative_link("index.html", "index.html") == "index.html"
