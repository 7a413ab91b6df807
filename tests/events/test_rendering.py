"""Rendering a Page: links resolved against the event's site, layouts, HTML pages."""

import lxml.html

from symposia.events.models import Page
from symposia.events.rendering import page_link_keys, render_page


def fragment(html):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_page_in_a_folder_resolves_its_targets(event):
    Page.objects.create(event=event, slug="travel", source_path="info/travel.md")
    page = Page.objects.create(
        event=event,
        slug="info-venue",
        source_path="info/venue.md",
        body="![Map](map.png) [Travel](travel.html) [Home](../index.md) [PDF](../docs/a.pdf)",
    )
    Page.objects.create(event=event, slug="index", source_path="index.md")

    root = fragment(render_page(page).html)

    assert root.find(".//img").get("src") == "/mathml2020/info/map.png"
    assert [a.get("href") for a in root.iter("a")] == [
        "/mathml2020/travel/",
        "/mathml2020/",
        "/mathml2020/docs/a.pdf",
    ]


def test_page_links_by_permalink_and_slug(event):
    Page.objects.create(event=event, slug="people", front_matter={"permalink": "/people/"})
    Page.objects.create(event=event, slug="made-here")
    page = Page.objects.create(event=event, slug="index", body="[P](people/) [M](made-here/)")

    hrefs = [a.get("href") for a in fragment(render_page(page).html).iter("a")]

    assert hrefs == ["/mathml2020/people/", "/mathml2020/made-here/"]


def test_pages_are_only_queried_when_a_relative_link_needs_them(event, django_assert_num_queries):
    page = Page.objects.create(event=event, slug="index", body="![x](x.png) [y](https://y.org)")
    linked = Page.objects.create(event=event, slug="a", body="[b](b.md)")
    page = Page.objects.select_related("event").get(pk=page.pk)
    linked = Page.objects.select_related("event").get(pk=linked.pk)

    with django_assert_num_queries(0):
        render_page(page)
    with django_assert_num_queries(1):
        render_page(linked)


def test_html_page_is_not_markdown(event):
    page = Page.objects.create(
        event=event,
        slug="old",
        source_path="old.html",
        body="<h2>Old</h2>\n\n    <p>*not emphasis* $x$</p><script>x</script>",
    )

    html = render_page(page).html

    assert html == "<h2>Old</h2>\n\n    <p>*not emphasis* $x$</p>"


def test_layout_chooses_the_template_and_falls_back(event):
    default = Page.objects.create(event=event, slug="a", layout="default")
    unknown = Page.objects.create(event=event, slug="b", layout="no-such-layout")
    odd = Page.objects.create(event=event, slug="c", layout="../../base")

    templates = [render_page(p).template for p in (default, unknown, odd)]

    assert templates == ["events/layouts/default.html"] * 3


def test_page_link_keys():
    assert page_link_keys("people", "people/index.md") == [
        "people/",
        "people",
        "people/index.md",
        "people/index.html",
        "people/index",
        "people/index/",
    ]
    assert page_link_keys("index", "index.md") == [
        "",
        "index.html",
        "index.md",
        "index",
        "index/",
    ]
    assert page_link_keys("t", "", "/team/") == ["t/", "t", "team/", "team", "team/index.html"]
