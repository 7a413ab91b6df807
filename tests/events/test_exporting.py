"""Exporting an event's site as a Jekyll folder, and the import/export round trip."""

import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symposia.events.exporting import SiteExportError, export_site
from symposia.events.importing import import_site
from symposia.events.models import RESERVED_PAGE_SLUGS, Asset, Event, Page

from .conftest import PNG, SEED, write_site

PAGE_FIELDS = ("slug", "title", "body", "layout", "menu_title", "in_menu", "order")
EVENT_FIELDS = (
    "title",
    "description",
    "short_title",
    "timezone",
    "venue",
    "contact_email",
    "start_date",
    "end_date",
    "primary_colour",
    "accent_colour",
)


def site_state(event: Event) -> dict:
    """Everything an export carries, comparable between two events."""
    return {
        "event": {name: getattr(event, name) for name in EVENT_FIELDS},
        "pages": sorted(
            event.pages.values_list(*PAGE_FIELDS, "front_matter", "source_path", "import_warnings")
        ),
        "assets": sorted((a.path, a.file.read()) for a in event.assets.all()),
    }


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# --- Examples ------------------------------------------------------------------------------------


def test_seed_exports_byte_for_byte(db, tmp_path):
    event = import_site(SEED).event

    report = export_site(event, tmp_path / "out")

    files = files_of(tmp_path / "out")
    assert sorted(files) == ["_config.yml", "index.md"]
    assert files["index.md"] == (SEED / "index.md").read_bytes()
    assert (report.pages, report.assets, report.warnings) == (1, 0, [])


def test_config_carries_the_event_settings(db, tmp_path):
    event = Event.objects.create(
        slug="ot2024",
        title="Optimal Transport 2024",
        description="Three days.",
        short_title="OT 24",
        timezone="Europe/Paris",
        venue="IHP",
        contact_email="ot@example.org",
        start_date=dt.date(2024, 6, 3),
        end_date=dt.date(2024, 6, 5),
    )

    export_site(event, tmp_path)

    assert yaml.safe_load((tmp_path / "_config.yml").read_text()) == {
        "title": "Optimal Transport 2024",
        "description": "Three days.",
        "baseurl": "/ot2024",
        "symposia": {
            "short_title": "OT 24",
            "timezone": "Europe/Paris",
            "venue": "IHP",
            "contact_email": "ot@example.org",
            "start_date": dt.date(2024, 6, 3),
            "end_date": dt.date(2024, 6, 5),
            "primary_colour": "#1d3f72",
            "accent_colour": "#b8860b",
        },
    }


def test_pages_edited_in_symposia_get_front_matter_for_their_changes(event, tmp_path):
    Page.objects.create(
        event=event,
        slug="travel",
        title="Getting there",
        body="# Travel\n\nBy train.",
        layout="page",
        order=3,
        in_menu=False,
        menu_title="Travel",
    )
    Page.objects.create(event=event, slug="index", title="Home", body="# Home\n", menu_title="Home")

    export_site(event, tmp_path)

    assert (tmp_path / "travel.md").read_text() == (
        "---\ntitle: Getting there\nlayout: page\nnav_order: 3\nnav_exclude: true\n"
        "menu_title: Travel\n---\n# Travel\n\nBy train."
    )
    assert (tmp_path / "index.md").read_text() == "---\n---\n# Home\n"


def test_unknown_front_matter_keys_and_dates_are_kept(db, tmp_path):
    source = write_site(
        tmp_path / "in",
        {"index.md": "---\nlayout: home\ndate: 2020-03-01\nauthor:\n  name: Ada\n---\nBody\r\n"},
    )
    event = import_site(source, slug="ev").event

    export_site(event, tmp_path / "out")

    assert (tmp_path / "out" / "index.md").read_bytes() == (source / "index.md").read_bytes()


def test_renamed_page_gets_a_permalink_and_keeps_its_folder(db, tmp_path):
    source = write_site(tmp_path / "in", {"docs/guide.md": "---\n---\n![x](x.png)"})
    event = import_site(source, slug="ev").event
    Page.objects.filter(slug="docs-guide").update(slug="guide")

    export_site(event, tmp_path / "out")

    assert (tmp_path / "out" / "docs" / "guide.md").read_text() == (
        "---\npermalink: /guide/\n---\n![x](x.png)"
    )


def test_assets_are_written_at_their_paths(event, tmp_path):
    asset = Asset(event=event, path="assets/img/logo.png")
    asset.file.save("mathml2020/assets/img/logo.png", ContentFile(PNG))
    Asset.objects.create(event=event, path="../escape.png", file="x.png")

    report = export_site(event, tmp_path)

    assert (tmp_path / "assets" / "img" / "logo.png").read_bytes() == PNG
    assert not (tmp_path.parent / "escape.png").exists()
    assert report.warnings == ["../escape.png: not a usable path in a site; not written."]


def test_unsafe_source_path_is_written_by_slug(event, tmp_path):
    Page.objects.create(event=event, slug="a", body="A", source_path="../../etc/a.md")

    report = export_site(event, tmp_path / "out")

    assert files_of(tmp_path / "out")["a.md"] == b"---\nnav_order: 0\n---\nA"
    assert report.warnings == ["a: the path '../../etc/a.md' is not usable; written as .md."]
    assert not (tmp_path / "etc").exists()


def test_export_into_a_file_is_refused(event, tmp_path):
    (tmp_path / "f").write_text("x")

    with pytest.raises(SiteExportError, match="is a file"):
        export_site(event, tmp_path / "f")


def test_export_site_command(db, tmp_path):
    import_site(SEED)
    out = io.StringIO()

    call_command("export-site", "mathml2020", str(tmp_path / "out"), stdout=out)

    assert (
        out.getvalue() == f"Wrote 1 page(s) and 0 file(s) of /mathml2020/ to {tmp_path / 'out'}.\n"
    )
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("export-site", "nope", str(tmp_path), stdout=out)


# --- Round trips (hypothesis) ------------------------------------------------------------------

_names = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True)
_yaml_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.dates().map(lambda d: d),
)
_yaml_value = st.recursive(
    _yaml_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_names, inner, max_size=3),
    max_leaves=6,
)
_maths = st.sampled_from(["$x^2$", "$$\\int_0^1 f$$", "\\$5", "$\\frac{1}$", "$a_{i}$"])
_body = st.lists(
    st.one_of(st.text(max_size=40), _maths, st.sampled_from(["\n", "\r\n", "# H\n", "---\n"])),
    max_size=8,
).map("".join)
_front_matter = st.fixed_dictionaries(
    {},
    optional={
        "title": st.text(max_size=40),
        "layout": st.sampled_from(["default", "page", "home"]),
        "nav_order": st.integers(min_value=-100, max_value=100),
        "nav_exclude": st.booleans(),
        "menu_title": st.text(max_size=30),
        "permalink": _names.map(lambda n: f"/{n}/"),
        "tags": st.lists(st.text(max_size=10), max_size=3),
        "extra": _yaml_value,
    },
)
_page_files = st.dictionaries(
    st.tuples(
        st.sampled_from(["", "docs/", "people/team/"]),
        _names,
        st.sampled_from([".md", ".markdown"]),
    ).map("".join),
    st.tuples(_front_matter, _body),
    min_size=1,
    max_size=5,
)


def _page_file(front_matter: dict, body: str) -> bytes:
    head = yaml.safe_dump(front_matter, allow_unicode=True) if front_matter else ""
    return f"---\n{head}---\n{body}".encode()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pages=_page_files, logo=st.booleans())
def test_import_of_export_is_the_site_itself(db, pages, logo):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = {path: _page_file(*content) for path, content in pages.items()}
        files["_config.yml"] = b"title: Generated\nsymposia:\n  timezone: Asia/Tokyo\n"
        if logo:
            files["img/logo.png"] = PNG
        first = import_site(write_site(tmp / "x", files), slug="first").event
        try:
            export_site(first, tmp / "export1")
            second = import_site(tmp / "export1", slug="second").event
            export_site(second, tmp / "export2")

            assert site_state(second) == site_state(first)
            assert files_of(tmp / "export2") == {
                name: data.replace(b"/first", b"/second") if name == "_config.yml" else data
                for name, data in files_of(tmp / "export1").items()
            }
        finally:
            Event.objects.filter(slug__in=["first", "second"]).delete()


# What forms accept: Django's form fields refuse NUL, and PostgreSQL text cannot hold it.
_stored_text = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")

_page_rows = st.lists(
    st.fixed_dictionaries(
        {
            "slug": st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True).filter(
                lambda s: s not in RESERVED_PAGE_SLUGS
            )
            | st.just("index"),
            "title": st.text(_stored_text, max_size=60).map(str.strip),
            "body": _body.map(lambda body: body.replace("\x00", "")),
            "layout": st.sampled_from(["default", "page", "wide"]),
            "menu_title": st.text(_stored_text, max_size=30).map(str.strip),
            "in_menu": st.booleans(),
            "order": st.integers(min_value=-1000, max_value=1000),
        }
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda row: row["slug"],
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=_page_rows)
def test_pages_made_in_symposia_survive_export_and_import(db, rows):
    with tempfile.TemporaryDirectory() as tmp:
        event = Event.objects.create(slug="made", title="Made here")
        try:
            for row in rows:
                Page.objects.create(event=event, **row)

            export_site(event, Path(tmp))
            copy = import_site(Path(tmp), slug="copy").event

            assert sorted(copy.pages.values_list(*PAGE_FIELDS)) == sorted(
                event.pages.values_list(*PAGE_FIELDS)
            )
        finally:
            Event.objects.filter(slug__in=["made", "copy"]).delete()
