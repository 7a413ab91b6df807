"""The Markdown + maths renderer: kramdown dialect, MathML, link resolution, sanitising."""

import re
import time

import lxml.html
import pytest
from django.template import Context, Template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symposia.common.markup import (
    first_heading,
    heading_slug,
    latex_to_mathml,
    parse_ial,
    render_document,
    render_html,
    render_inline,
    render_markdown,
    render_markdown_with_warnings,
    sanitize_html,
)


def fragment(html: str):
    """The rendered HTML as one lxml element (a <div> around it); lxml refuses C0 controls."""
    html = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", html)
    return lxml.html.fragment_fromstring(html, create_parent="div")


# --- Markdown as kramdown would publish it ---------------------------------------------------


def test_headings_get_kramdown_ids():
    html = render_markdown(
        "# Invited Participants\n\n## Call for contributions\n\n# Scope\n\n# Scope"
    )

    headings = [(h.tag, h.get("id"), h.text_content()) for h in fragment(html).iter("h1", "h2")]
    assert headings == [
        ("h1", "invited-participants", "Invited Participants"),
        ("h2", "call-for-contributions", "Call for contributions"),
        ("h1", "scope", "Scope"),
        ("h1", "scope-1", "Scope"),
    ]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Invited Participants", "invited-participants"),
        ("Call for contributions", "call-for-contributions"),
        ("Über uns", "über-uns"),
        ("2020: Dates & Venue!", "2020-dates--venue"),
        ("!!!", "section"),
    ],
)
def test_heading_slug_follows_gfm(text, slug):
    assert heading_slug(text) == slug


def test_explicit_heading_id_and_heading_ial():
    html = render_markdown("# Hello {#custom-id}\n\n## Dates {: .highlight}")

    root = fragment(html)
    assert root.find("h1").get("id") == "custom-id"
    assert root.find("h1").text_content() == "Hello"
    assert root.find("h2").get("class") == "highlight"
    assert root.find("h2").get("id") == "dates"


def test_lists_links_and_tables():
    html = render_markdown(
        "- one\n- [two](https://example.org/two)\n\n| Name | Place |\n|:-----|------:|\n| A | B |"
    )

    root = fragment(html)
    assert [li.text_content() for li in root.iter("li")] == ["one", "two"]
    assert root.find(".//a").get("href") == "https://example.org/two"
    assert [td.get("align") for td in root.iter("td")] == ["left", "right"]
    assert "style" not in html


def test_image_with_kramdown_attribute_list():
    html = render_markdown('![IMI](logo_imi.png){:height="150px"}')

    img = fragment(html).find(".//img")
    assert (img.get("src"), img.get("alt"), img.get("height")) == ("logo_imi.png", "IMI", "150px")
    assert "{:" not in html


def test_span_ial_accepts_classes_ids_and_single_quotes():
    html = render_markdown("[Register](https://x.org){: .button #reg title='Sign up'}")

    link = fragment(html).find(".//a")
    assert (link.get("class"), link.get("id"), link.get("title")) == ("button", "reg", "Sign up")


def test_block_ial_applies_to_block_above_or_below():
    html = render_markdown("Above\n{: .note}\n\n{: .lead}\nBelow\n\n- a\n- b\n{: .people}")

    root = fragment(html)
    assert [p.get("class") for p in root.iter("p")] == ["note", "lead"]
    assert root.find("ul").get("class") == "people"


def test_parse_ial():
    assert parse_ial("#top .a .b width=\"10\" alt='x'") == {
        "id": "top",
        "width": "10",
        "alt": "x",
        "class": "a b",
    }
    assert parse_ial("ref") is None


def test_liquid_comment_is_removed():
    html = render_markdown(
        "- kept\n{% comment %}\n- [SAMBa](http://samba.example)\n{% endcomment %}\n\nafter"
    )

    assert "SAMBa" not in html
    assert "comment" not in html
    assert [p.text_content() for p in fragment(html).iter("li", "p")] == ["kept", "after"]


def test_liquid_raw_is_unwrapped_and_unknown_liquid_shown_with_warnings():
    html, warnings = render_markdown_with_warnings(
        "Hi\n\n{% include footer.html %}\n\n{{ site.title }}\n\n{% raw %}{{ kept }}{% endraw %}"
    )

    paragraphs = [p.text_content() for p in fragment(html).iter("p")]
    assert paragraphs == ["Hi", "{% include footer.html %}", "{{ site.title }}", "{{ kept }}"]
    assert warnings == [
        "Line 3: the Liquid tag {% include footer.html %} is not supported; it is shown as text.",
        "Line 5: the Liquid output {{ site.title }} is not supported; it is shown as text.",
    ]


def test_unclosed_liquid_comment_is_shown_with_a_warning():
    html, warnings = render_markdown_with_warnings("a\n\n{% comment %}\nnever closed")

    assert "never closed" in html
    assert warnings == [
        "Line 3: {% comment %} is never closed (add {% endcomment %}); "
        "the text after it is shown as is."
    ]


def test_tex_double_braces_are_not_taken_for_liquid():
    result = render_document(r"$\frac{{a}}{b}$")

    assert result.warnings == []
    assert "<mfrac>" in result.html


def test_baseurl_liquid_resolves_against_the_event():
    result = render_document(
        "[About]({{ site.baseurl }}/about.html) ![x]({{ '/assets/x.png' | relative_url }})",
        base_url="/ev/",
        link_map={"about.html": "/ev/about/"},
    )

    root = fragment(result.html)
    assert root.find(".//a").get("href") == "/ev/about/"
    assert root.find(".//img").get("src") == "/ev/assets/x.png"
    assert result.warnings == []


def test_email_link_target_becomes_mailto_with_a_note():
    html, warnings = render_markdown_with_warnings(
        "Contact: [MathML2020@bath.ac.uk](MathML2020@bath.ac.uk)"
    )

    assert fragment(html).find(".//a").get("href") == "mailto:MathML2020@bath.ac.uk"
    assert warnings == [
        "The link target MathML2020@bath.ac.uk is an email address; it links to "
        "mailto:MathML2020@bath.ac.uk (write [text](mailto:MathML2020@bath.ac.uk) to silence "
        "this)."
    ]


def test_explicit_mailto_needs_no_note():
    html, warnings = render_markdown_with_warnings("[Mail](mailto:a@b.org) <c@d.org>")

    hrefs = [a.get("href") for a in fragment(html).iter("a")]
    assert hrefs == ["mailto:a@b.org", "mailto:c@d.org"]
    assert warnings == []


# --- Link and image resolution ---------------------------------------------------------------


def test_relative_targets_resolve_against_the_site_root():
    result = render_document(
        "![Logo](logo.png) [Guide](docs/guide.pdf) [About](about.md#team) [Top](#top) "
        "[Ext](https://example.org/x) [Abs](/accounts/login/) [Q](?a=1)",
        base_url="/mathml2020/",
        page_path="index.md",
        link_map={"about.md": "/mathml2020/about/"},
    )

    root = fragment(result.html)
    assert root.find(".//img").get("src") == "/mathml2020/logo.png"
    assert [a.get("href") for a in root.iter("a")] == [
        "/mathml2020/docs/guide.pdf",
        "/mathml2020/about/#team",
        "#top",
        "https://example.org/x",
        "/accounts/login/",
        "?a=1",
    ]
    assert result.images == ["logo.png"]
    assert result.links == ["docs/guide.pdf"]


def test_relative_targets_of_a_page_in_a_folder():
    result = render_document(
        "![a](img/a.png) [up](../index.html) [out](../../x)",
        base_url="/ev/",
        page_path="docs/guide.md",
        link_map={"index.html": "/ev/"},
    )

    root = fragment(result.html)
    assert root.find(".//img").get("src") == "/ev/docs/img/a.png"
    assert [a.get("href") for a in root.iter("a")] == ["/ev/", "../../x"]
    assert result.warnings == ["The target ../../x points outside the site."]


def test_without_base_url_relative_targets_are_left_alone():
    html = render_markdown("![a](a.png) [b](b.html)")

    root = fragment(html)
    assert (root.find(".//img").get("src"), root.find(".//a").get("href")) == ("a.png", "b.html")


def test_raw_html_links_are_resolved_too():
    html = render_markdown('<img src="photo.jpg" alt="Venue">', base_url="/ev/")

    assert fragment(html).find(".//img").get("src") == "/ev/photo.jpg"


# --- Maths -------------------------------------------------------------------------------------


def test_inline_and_display_maths_become_mathml():
    html = render_markdown("Energy $E=mc^2$ and\n\n$$\n\\int_0^1 f(x)\\,dx\n$$\n\nend $$a+b$$ here")

    root = fragment(html)
    maths = root.findall(".//math")
    assert [m.get("display") for m in maths] == ["inline", "block", "block"]
    assert "<msup><mi>c</mi><mn>2</mn></msup>" in html
    assert root.find(".//div[@class='math display']") is not None
    assert root.find(".//p/span[@class='math display']") is not None


def test_escaped_dollar_and_prices_are_not_maths():
    html = render_markdown(r"It costs \$5, or $5 and $10 for two; $x$ is maths.")

    root = fragment(html)
    assert len(root.findall(".//math")) == 1
    assert root.find("p").text_content().startswith("It costs $5, or $5 and $10 for two; ")


def test_dollar_in_code_is_not_maths():
    html = render_markdown("`$x$`\n\n```\n$$y$$\n```")

    assert "<math" not in html
    assert "<code>$x$</code>" in html


@pytest.mark.parametrize("latex", [r"x^", r"\frac{1}", r"\foo", r"\left(", "{"])
def test_invalid_latex_is_shown_with_an_error_mark(latex):
    html, warnings = render_markdown_with_warnings(f"See ${latex}$ here.")

    error = fragment(html).find(".//span[@class='math-error']")
    assert error.find("code").text == f"${latex}$"
    assert error.find("strong").text == "(invalid LaTeX)"
    assert error.get("title").startswith("Invalid LaTeX: ")
    assert len(warnings) == 1 and warnings[0].startswith("Invalid LaTeX: ")


def test_latex_text_is_escaped():
    html = render_markdown(r"$\text{a<b & <script>c}$")

    assert fragment(html).find(".//mtext").text.replace("\xa0", " ") == "a<b & <script>c"
    assert "<script" not in html


def test_latex_to_mathml():
    assert latex_to_mathml("x").startswith("<math ")
    assert 'display="block"' in latex_to_mathml("x", display=True)
    assert 'class="math-error"' in latex_to_mathml(r"\sqrt")


def test_render_inline_has_no_paragraph():
    html = render_inline("On $\\mathbb{R}^n$ *fast*")

    assert not html.startswith("<p>")
    assert "<math" in html and "<em>fast</em>" in html


def test_first_heading():
    assert first_heading("---\n\nText\n\n## The $L^2$ *norm* {#n}\n\n# Later") == ("The $L^2$ norm")
    assert first_heading("no heading") == ""


def test_template_filters():
    html = Template("{% load markup %}{{ body|markdown }}|{{ title|maths }}").render(
        Context({"body": "# A\n\n<script>x</script>", "title": "On $x^2$"})
    )

    assert '<h1 id="a">A</h1>' in html
    assert "<script" not in html
    assert "<math" in html


def test_render_html_sanitises_without_markdown():
    result = render_html(
        '<h1>Hi</h1>\n\n    <p>indented, not code</p><script>x</script><img src="a.png">',
        base_url="/ev/",
    )

    root = fragment(result.html)
    assert root.find("p").text == "indented, not code"
    assert root.find(".//img").get("src") == "/ev/a.png"
    assert "<pre>" not in result.html and "<script" not in result.html


# --- Hostile input -----------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"><circle/></svg>',
    '<math><maction actiontype="statusline" href="javascript:alert(1)"><mi>x</mi></maction></math>',
    '<math href="javascript:alert(1)"><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<math><annotation-xml encoding='text/html'><script>alert(1)</script></annotation-xml></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name=x><button>go</button></form>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '![x](x.png){:onerror="alert(1)" src="javascript:alert(1)"}',
    '[x](https://ok.example){:onclick="alert(1)" href="javascript:alert(1)"}',
    r"$\href{javascript:alert(1)}{x}$",
    r"$\style{background:url(javascript:alert(1))}{x}$",
    r"$\text{<img src=x onerror=alert(1)>}$",
    "{% raw %}<script>alert(1)</script>{% endraw %}",
    "<!-- <script>alert(1)</script> -->",
    "<a href='x@evil.example?subject=<script>'>x</a>",
]

_ALLOWED_SCHEMES = re.compile(r"^(https?:|mailto:|tel:|/|#|\?|[^:]*$)", re.IGNORECASE)
_FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "svg", "meta",
    "base", "link", "maction", "annotation-xml", "mglyph", "textarea", "select",
}  # fmt: skip


def assert_inert(html: str) -> None:
    """No element or attribute in `html` can run script or load a page by itself."""
    if not html.strip():
        return
    root = fragment(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.lower() not in _FORBIDDEN_TAGS, html
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), html
            assert name.lower() not in {"style", "xlink:href", "actiontype", "srcdoc"}, html
            if name.lower() in {"href", "src", "action", "formaction"}:
                assert _ALLOWED_SCHEMES.match(value.strip()), html
                assert "script:" not in value.lower(), html


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_is_inert(payload):
    for html in (
        render_markdown(payload),
        render_markdown(payload, base_url="/ev/"),
        render_inline(payload),
        render_html(payload, base_url="/ev/").html,
        sanitize_html(payload),
    ):
        assert_inert(html)


def test_mathml_survives_sanitising_with_its_attributes():
    html = render_markdown(r"$\binom{n}{k} \color{red}{x} \mathbf{v}$")

    root = fragment(html)
    assert root.find(".//mfrac").get("linethickness") == "0"
    assert root.find(".//mstyle").get("mathcolor") == "red"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_render_never_raises_on_any_text(text):
    result = render_document(text, base_url="/ev/", page_path="a/b.md")

    assert isinstance(result.html, str)
    assert "<script" not in result.html
    render_inline(text)
    first_heading(text)


_PIECES = st.sampled_from(
    [
        *HOSTILE,
        "$",
        "$$",
        "\\$",
        "{:",
        "}",
        '{:height="1"}',
        "{% comment %}",
        "{% endcomment %}",
        "{{ site.baseurl }}",
        "# ",
        "\n",
        "\n\n",
        "- ",
        "| a |\n|---|\n",
        "![a](",
        "[a](",
        ")",
        "<",
        ">",
        "x@y.org",
        "\\frac{",
        "`",
        "    ",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=25).map("".join))
def test_any_mix_of_hostile_pieces_is_inert(text):
    assert_inert(render_markdown(text, base_url="/ev/", page_path="p.md"))


def test_footnotes_definition_lists_and_details():
    html = render_markdown(
        "Text[^1].\n\n[^1]: The note.\n\nTerm\n: Definition\n\n"
        "<details><summary>More</summary><abbr title='x'>X</abbr></details>"
    )

    root = fragment(html)
    assert root.find(".//sup/a").get("href") == "#fn1"
    assert root.find(".//section/ol/li").get("id") == "fn1"
    assert [(e.tag, e.text) for e in root.find("dl")] == [("dt", "Term"), ("dd", "Definition")]
    assert root.find(".//details/abbr").get("title") == "x"


def test_liquid_whitespace_control():
    assert render_markdown("a\n{%- comment -%} x {%- endcomment -%}\nb") == "<p>ab</p>\n"


@pytest.mark.parametrize(
    "text",
    [
        "{%" * 20000 + "%}",
        "{{ " * 20000 + "}}",
        "{% comment %}" * 5000,
        "# a\n" * 5000,
        "[" * 20000,
        "$" + "{" * 3000 + "x" + "}" * 3000 + "$",
    ],
    ids=["open-tags", "open-outputs", "unclosed-comments", "same-headings", "brackets", "deep"],
)
def test_pathological_input_renders_in_reasonable_time(text):
    # Generous bound for a shared machine; quadratic scans took half a minute here.
    start = time.perf_counter()

    render_document(text, base_url="/ev/")

    assert time.perf_counter() - start < 5


def test_without_images_nothing_is_fetched_by_the_reader():
    text = 'Look ![me](https://tracker.example/p.png?who=author) and <img src="https://t.example/x.gif">.'

    shown = str(render_markdown(text, images=False))

    assert "<img" not in shown
    assert '<a href="https://tracker.example/p.png?who=author"' in shown  # a link, not a fetch
    assert "<img" in str(render_markdown(text))  # pages of the site keep their images
