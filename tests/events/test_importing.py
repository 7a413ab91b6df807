"""Importing Jekyll sites and single Markdown files into events."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from symposia.events.importing import SiteImportError, import_site, split_front_matter
from symposia.events.models import Asset, Event, Page

from .conftest import PNG, SEED

CONFIG = """\
title: Workshop on Optimal Transport
description: Three days of transport.
baseurl: /ot2024
symposia:
  short_title: OT 2024
  timezone: Europe/Paris
  venue: Institut Henri Poincaré
  contact_email: ot@example.org
  start_date: 2024-06-03
  end_date: 2024-06-05
"""


def pages_of(event):
    return list(
        event.pages.order_by("slug").values_list(
            "slug", "title", "layout", "order", "in_menu", "menu_title", "source_path"
        )
    )


# --- The seed ----------------------------------------------------------------------------------


def test_seed_creates_the_event_from_its_config(db):
    report = import_site(SEED)

    event = Event.objects.get()
    assert report.event == event and report.event_created
    assert (event.slug, event.title, event.short_title) == (
        "mathml2020",
        "Mathematics of Machine Learning 2020",
        "MathML 2020",
    )
    assert (event.timezone, event.venue, event.contact_email) == (
        "Europe/London",
        "University of Bath, UK",
        "MathML2020@bath.ac.uk",
    )
    assert event.description.startswith("A workshop bringing together mathematicians")


def test_seed_page_keeps_front_matter_and_body(db):
    import_site(SEED)

    page = Page.objects.get()
    front_matter, body = split_front_matter((SEED / "index.md").read_text(encoding="utf-8"))
    assert (page.slug, page.title, page.layout, page.source_path) == (
        "index",
        "Scope",
        "default",
        "index.md",
    )
    assert (page.menu_title, page.in_menu, page.order) == ("Home", True, 0)
    assert page.front_matter == front_matter == {"layout": "default"}
    assert page.body == body


def test_seed_warnings_name_the_mailto_rewrite_and_the_missing_logo(db):
    report = import_site(SEED)

    assert report.warnings == [
        "index.md: The link target MathML2020@bath.ac.uk is an email address; it links to "
        "mailto:MathML2020@bath.ac.uk (write [text](mailto:MathML2020@bath.ac.uk) to "
        "silence this).",
        "index.md: The image logo_imi.png does not exist; the page shows its alt text until "
        "a file is uploaded as an asset at the path logo_imi.png.",
    ]
    assert Page.objects.get().import_warnings == [
        w.removeprefix("index.md: ") for w in report.warnings
    ]


def test_reimport_is_idempotent_and_writes_nothing(db):
    import_site(SEED)
    page = Page.objects.get()

    report = import_site(SEED)

    assert not report.event_created
    assert (Event.objects.count(), Page.objects.count()) == (1, 1)
    assert report.written == [] and report.unchanged == ["index.md"]
    assert Page.objects.get().updated == page.updated


def test_import_into_an_existing_event_with_another_slug(event):
    import_site(SEED, slug="mathml2020")

    event.refresh_from_db()
    assert event.short_title == "MathML 2020"
    assert list(event.pages.values_list("slug", flat=True)) == ["index"]


# --- Folders -----------------------------------------------------------------------------------


def test_folder_with_pages_at_any_depth_assets_and_skipped_folders(db, site):
    path = site(
        {
            "_config.yml": CONFIG,
            "index.md": "---\nlayout: home\n---\n# Welcome\n\n![Venue](venue.jpg)",
            "about.markdown": "---\ntitle: About us\nnav_order: 2\n---\nText",
            "people/index.md": "---\nnav_order: 1\n---\n# People",
            "people/speakers.html": "---\n---\n<h1>Invited <em>speakers</em></h1>",
            "venue.jpg": PNG,
            "people/photo.png": PNG,
            "docs/programme.pdf": b"%PDF-1.4",
            "assets/css/site.css": "body{}",
            "assets/js/site.js": "alert(1)",
            "_layouts/default.html": "---\n---\n{{ content }}",
            "_drafts/draft.md": "---\n---\nDraft",
            ".git/index.md": "---\n---\nx",
            "README.md": "# No front matter",
            "Gemfile": "source 'https://example.org'",
            "notes.txt": "ignored",
        }
    )

    report = import_site(path)

    event = Event.objects.get(slug="ot2024")
    assert (event.title, event.start_date, event.end_date) == (
        "Workshop on Optimal Transport",
        dt.date(2024, 6, 3),
        dt.date(2024, 6, 5),
    )
    assert pages_of(event) == [
        ("about", "About us", "default", 2, True, "", "about.markdown"),
        ("index", "Welcome", "home", 0, True, "Home", "index.md"),
        ("people", "People", "default", 1, True, "", "people/index.md"),
        ("people-speakers", "Invited speakers", "default", 10, True, "", "people/speakers.html"),
    ]
    assert list(event.assets.values_list("path", flat=True)) == [
        "assets/css/site.css",
        "docs/programme.pdf",
        "people/photo.png",
        "venue.jpg",
    ]
    assert event.assets.get(path="venue.jpg").file.read() == PNG
    assert (report.pages, report.assets) == (4, 4)
    assert report.warnings == [
        "README.md: no front matter (the '---' lines at the top), so Jekyll publishes it as a "
        "plain file; not imported as a page.",
        "assets/js/site.js: files of this type are not imported.",
    ]


def test_config_exclude_is_honoured(db, site):
    path = site(
        {
            "_config.yml": "title: X\nexclude:\n  - drafts\n  - '*.bak.md'\n",
            "index.md": "---\n---\nHome",
            "drafts/a.md": "---\n---\nA",
            "old.bak.md": "---\n---\nB",
        }
    )

    report = import_site(path)

    assert list(report.event.pages.values_list("slug", flat=True)) == ["index"]


def test_front_matter_menu_keys(db, site):
    path = site(
        {
            "index.md": "---\ntitle: Home page\nmenu_title: Start\n---\n",
            "a.md": "---\ntitle: Alpha\nnav_exclude: true\n---\n",
            "b.md": "---\ntitle: Beta\nmenu: Bee\norder: 5\n---\n",
            "c.md": "---\ntitle: Gamma\nmenu: false\nnav_order: 1.5\n---\n",
            "d.md": "---\ntitle: Delta\nnav_order: soon\npermalink: /the-delta/\n---\n",
        }
    )

    report = import_site(path, slug="menus")

    assert pages_of(report.event) == [
        ("a", "Alpha", "default", 10, False, "", "a.md"),
        ("b", "Beta", "default", 5, True, "Bee", "b.md"),
        ("c", "Gamma", "default", 2, False, "", "c.md"),
        ("index", "Home page", "default", 0, True, "Start", "index.md"),
        ("the-delta", "Delta", "default", 10, True, "", "d.md"),
    ]
    assert report.warnings == [
        "c.md: nav_order: 1.5 is taken as 2.",
        "d.md: nav_order: 'soon' is not a number; it is ignored.",
    ]


def test_reserved_and_duplicate_slugs_are_renamed_with_a_warning(db, site):
    path = site(
        {
            "cfp.md": "---\n---\n# Call",
            "about.md": "---\n---\n# About",
            "about.html": "---\n---\n<h1>About (HTML)</h1>",
            "index.md": "---\n---\n[About](about.html) [Call](cfp.md)",
        }
    )

    report = import_site(path, slug="ev")

    assert sorted(report.event.pages.values_list("source_path", "slug")) == [
        ("about.html", "about"),
        ("about.md", "about-2"),
        ("cfp.md", "cfp-page"),
        ("index.md", "index"),
    ]
    assert report.warnings == [
        "about.md: Another page already has the address /about/; this one is at /about-2/.",
        "cfp.md: The address /cfp/ belongs to Symposia; the page is at /cfp-page/.",
    ]


def test_reimport_updates_in_place_and_rewrites_only_changed_files(db, site):
    files = {
        "index.md": "---\ntitle: Home\n---\nOld ![logo](logo.png)",
        "about.md": "---\n---\n# About",
        "logo.png": PNG,
        "assets/a.pdf": b"%PDF-1",
    }
    path = site(files)
    first = import_site(path, slug="ev")
    logo = Asset.objects.get(path="logo.png")
    pdf_name = Asset.objects.get(path="assets/a.pdf").file.name
    ids = dict(Page.objects.values_list("slug", "pk"))

    (path / "index.md").write_text("---\ntitle: Home\n---\nNew ![logo](logo.png)")
    (path / "logo.png").write_bytes(PNG + b"v2")
    second = import_site(path, slug="ev")

    assert sorted(first.written) == ["about.md", "assets/a.pdf", "index.md", "logo.png"]
    assert sorted(second.written) == ["index.md", "logo.png"]
    assert sorted(second.unchanged) == ["about.md", "assets/a.pdf"]
    assert dict(Page.objects.values_list("slug", "pk")) == ids
    assert Page.objects.get(slug="index").body == "New ![logo](logo.png)"
    assert Asset.objects.count() == 2
    assert Asset.objects.get(pk=logo.pk).file.read() == PNG + b"v2"
    assert Asset.objects.get(path="assets/a.pdf").file.name == pdf_name


def test_existing_page_without_source_is_taken_over(event, site):
    page = Page.objects.create(event=event, slug="index", title="Placeholder", body="x")

    import_site(site({"index.md": "---\n---\n# Real home"}), slug="mathml2020")

    page.refresh_from_db()
    assert (page.title, page.source_path, event.pages.count()) == ("Real home", "index.md", 1)


def test_pages_not_in_the_site_are_kept(event, site):
    Page.objects.create(event=event, slug="travel", title="Travel", body="By train")

    import_site(site({"index.md": "---\n---\nHome"}), slug="mathml2020")

    assert sorted(event.pages.values_list("slug", flat=True)) == ["index", "travel"]


def test_pages_may_swap_addresses_on_reimport(db, site):
    path = site({"a.md": "---\npermalink: /one/\n---\nA", "b.md": "---\npermalink: /two/\n---\nB"})
    import_site(path, slug="ev")
    (path / "a.md").write_text("---\npermalink: /two/\n---\nA")
    (path / "b.md").write_text("---\npermalink: /one/\n---\nB")

    import_site(path, slug="ev")

    assert sorted(Page.objects.values_list("source_path", "slug")) == [
        ("a.md", "two"),
        ("b.md", "one"),
    ]


def test_unpublished_pages_are_skipped(db, site):
    report = import_site(
        site({"index.md": "---\n---\nHi", "secret.md": "---\npublished: false\n---\nNo"}),
        slug="ev",
    )

    assert list(Page.objects.values_list("slug", flat=True)) == ["index"]
    assert report.warnings == ["secret.md: 'published: false'; not imported."]


def test_dates_and_odd_yaml_in_front_matter_are_stored_as_json(db, site):
    path = site(
        {"index.md": "---\ndate: 2020-03-01\nwhen: 2020-03-01 10:00:00 +01:00\n1: one\n---\n"}
    )

    import_site(path, slug="ev")

    assert Page.objects.get().front_matter == {
        "date": "2020-03-01",
        "when": "2020-03-01T10:00:00+01:00",
        "1": "one",
    }


def test_unknown_liquid_is_reported_with_the_file_line(db, site):
    report = import_site(
        site({"index.md": "---\ntitle: X\n---\n\nText\n\n{% include footer.html %}\n"}),
        slug="ev",
    )

    assert report.warnings == [
        "index.md: Line 7: the Liquid tag {% include footer.html %} is not supported; "
        "it is shown as text."
    ]


def test_broken_links_and_links_to_pages(db, site):
    report = import_site(
        site(
            {
                "index.md": "---\n---\n[a](about.html) [b](about/) [c](missing.html) [d](f.pdf)",
                "about.md": "---\n---\nA",
                "f.pdf": b"%PDF",
            }
        ),
        slug="ev",
    )

    assert report.warnings == [
        "index.md: The link to missing.html leads to no page or file of the site."
    ]


def test_svg_with_script_is_refused(db, site):
    report = import_site(
        site(
            {
                "index.md": "---\n---\nHi",
                "ok.svg": '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>',
                "bad.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            }
        ),
        slug="ev",
    )

    assert list(Asset.objects.values_list("path", flat=True)) == ["ok.svg"]
    assert report.warnings == [
        "bad.svg: this SVG holds scripts, event handlers or embedded content; not imported."
    ]


def test_symlink_out_of_the_site_is_not_followed(db, site, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"secret")
    path = site({"index.md": "---\n---\nHi"})
    (path / "leak.png").symlink_to(secret)

    report = import_site(path, slug="ev")

    assert Asset.objects.count() == 0
    assert report.warnings == ["leak.png: a link to outside the site; not imported."]


# --- Single files ------------------------------------------------------------------------------


def test_single_file_into_an_existing_event_brings_its_images(event, site):
    path = site({"travel.md": "# Travel\n\n![Map](img/map.png)\n\nBy train.", "img/map.png": PNG})

    report = import_site(path / "travel.md", slug="mathml2020")

    page = event.pages.get()
    assert (page.slug, page.title, page.front_matter, page.source_path) == (
        "travel",
        "Travel",
        {},
        "travel.md",
    )
    assert list(event.assets.values_list("path", flat=True)) == ["img/map.png"]
    assert report.warnings == []


def test_single_file_without_event_makes_one_from_the_folder(db, site):
    path = site({"index.md": "# Hello"})

    report = import_site(path / "index.md")

    assert report.event.slug == path.name
    assert report.event.pages.get().slug == "index"


# --- Errors ------------------------------------------------------------------------------------


def test_missing_path(db, tmp_path):
    with pytest.raises(SiteImportError, match="no such file or folder"):
        import_site(tmp_path / "nope")


def test_file_that_is_not_a_page(db, site):
    path = site({"logo.png": PNG})

    with pytest.raises(SiteImportError, match=r"logo.png: not a page"):
        import_site(path / "logo.png")


def test_folder_without_pages(db, site):
    with pytest.raises(SiteImportError, match="no pages found"):
        import_site(site({"notes.txt": "x"}))


def test_non_utf8_file_names_file_and_line(db, site):
    path = site({"index.md": b"---\n---\nok\ncaf\xe9\n"})

    with pytest.raises(SiteImportError) as error:
        import_site(path, slug="ev")

    assert str(error.value) == (
        "index.md: line 4 is not UTF-8 text (byte 0xe9); save the file as UTF-8 and import again."
    )
    assert not Event.objects.exists()


def test_broken_front_matter_yaml_names_file_and_line(db, site):
    path = site({"index.md": "---\ntitle: A\nlayout: [unclosed\n---\nBody", "b.md": "---\n---\nB"})

    with pytest.raises(SiteImportError, match=r"^index.md: invalid YAML at line [34]: "):
        import_site(path, slug="ev")
    assert not Page.objects.exists()


def test_front_matter_that_is_not_a_mapping(db, site):
    with pytest.raises(SiteImportError, match="index.md: the front matter must be"):
        import_site(site({"index.md": "---\n- a\n- b\n---\n"}), slug="ev")


def test_broken_config(db, site):
    with pytest.raises(SiteImportError, match=r"^_config.yml: invalid YAML at line 2"):
        import_site(site({"_config.yml": "title: x\n  bad: [\n", "index.md": "---\n---\n"}))


def test_invalid_config_values(db, site):
    path = site(
        {
            "_config.yml": "title: X\nsymposia:\n  timezone: Mars/Olympus\n  colour: red\n",
            "index.md": "---\n---\n",
        }
    )

    with pytest.raises(SiteImportError, match=r"_config.yml: timezone: 'Mars/Olympus' is not"):
        import_site(path, slug="ev")
    assert not Event.objects.exists()


def test_bad_event_slug(db):
    with pytest.raises(SiteImportError, match="'admin' is reserved"):
        import_site(SEED, slug="admin")
    with pytest.raises(SiteImportError, match="not a valid event slug"):
        import_site(SEED, slug="a b")


# --- Commands ----------------------------------------------------------------------------------


def test_import_site_command(db):
    out, err = io.StringIO(), io.StringIO()

    call_command("import-site", str(SEED), stdout=out, stderr=err)

    assert out.getvalue() == (
        "Created /mathml2020/: 1 page(s) and 0 file(s); 1 written, 0 unchanged, 2 warning(s).\n"
    )
    assert err.getvalue().count("warning: index.md: ") == 2


def test_import_site_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("import-site", str(tmp_path / "nope"), stdout=io.StringIO())


def test_setup_demo_loads_the_seed_idempotently(db, settings, tmp_path):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("setup-demo", stdout=out, stderr=io.StringIO())
    call_command("setup-demo", stdout=out, stderr=io.StringIO())

    assert list(Event.objects.values_list("slug", flat=True)) == ["mathml2020"]
    assert Page.objects.count() == 1
    assert "Demo event ready at /mathml2020/" in out.getvalue()


def test_nul_characters_become_replacement_characters(db, tmp_path):
    (tmp_path / "index.md").write_bytes(b'---\ntitle: "A\\0B"\n---\nText\x00here\n')

    import_site(tmp_path, slug="nul")

    page = Page.objects.get(event__slug="nul", slug="index")
    assert (page.title, page.body) == ("A\ufffdB", "Text\ufffdhere\n")
