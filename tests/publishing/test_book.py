"""The book of abstracts, read back from the PDF: every title and author, maths, safety."""

import io
import json
import re
import tempfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import typst
from pypdf import PdfReader

from symposia.publishing.book import (
    BookSection,
    build_book,
    default_sections,
    typst_string,
)
from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room
from symposia.publishing.markup import inline_text, parse_inline

LONDON = ZoneInfo("Europe/London")
EVENT = ProgrammeEvent(
    slug="mathml2020",
    title="Mathematics of Machine Learning 2020",
    timezone="Europe/London",
    start=date(2026, 9, 14),
    end=date(2026, 9, 16),
    venue="University of Bath",
    url="https://conf.example.org/mathml2020/",
)
ZOE = Person("Zoë Ångström", "Uppsala universitet", "Sweden", id=1)
DMITRY = Person("Дмитрий Иванов", "Московский государственный университет", "Russia", id=2)
LEE = Person("李小龍", "香港大學", "Hong Kong", id=3)
SOCRATES = Person("Σωκράτης", "Ἀκαδημία", "Greece", id=4)
HOSTILE_TEXT = '#set page(width: 1pt) #read("/etc/passwd") ] [ $ @ref <label> \\ * _x_'


def cjk_font_installed() -> bool:
    return any("CJK" in family for family in typst.Fonts(include_system_fonts=True).families())


ITEMS = [
    Item(
        id=1,
        title="Integrals and series",
        kind=ItemKind.INVITED,
        abstract=(
            "We evaluate $\\int_0^1 f(x)\\,dx$ for *smooth* $f$ and recall\n\n"
            "$$\\sum_{n\\ge1} 1/n^2 = \\pi^2/6$$\n\n"
            "- first point with `inline code`\n"
            "- second point, see [the notes](https://example.org/notes)\n"
        ),
        authors=[ZOE, DMITRY],
        speakers=[ZOE],
        start=datetime(2026, 9, 14, 9, 0, tzinfo=LONDON),
        end=datetime(2026, 9, 14, 10, 0, tzinfo=LONDON),
        room=Room("Wolfson Hall"),
    ),
    Item(
        id=2,
        title="Случайные матрицы и глубокое обучение",
        abstract="Abstract with a broken formula $\\frac{$ in the middle of it.",
        authors=[DMITRY],
        session="Random matrices",
    ),
    Item(
        id=3,
        title="深層学習の理論",
        abstract="Abstract in 中文 with **bold** text and an empty accent $\\hat{}$.",
        authors=[LEE, SOCRATES],
        session="Random matrices",
    ),
    Item(
        id=4,
        title="Περὶ ψυχῆς",
        kind=ItemKind.POSTER,
        board="P10",
        abstract=HOSTILE_TEXT + "\n\nA link that must not work: [click](javascript:alert(1)).",
        authors=[SOCRATES],
        session="Poster session",
    ),
    Item(
        id=5,
        title=HOSTILE_TEXT,
        kind=ItemKind.POSTER,
        board="P2",
        abstract="Poster with $\\alpha$.",
        authors=[ZOE],
        session="Poster session",
    ),
    Item(id=6, title="Coffee", kind=ItemKind.BREAK),
]


@pytest.fixture(scope="module")
def built():
    steps = []
    result = build_book(
        EVENT, default_sections(ITEMS), progress=lambda fraction, message: steps.append(fraction)
    )
    reader = PdfReader(io.BytesIO(result.pdf))
    pages = [page.extract_text() for page in reader.pages]
    return result, reader, pages, steps


def squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


def test_every_title_appears(built):
    result, _, pages, _ = built
    text = squash("\n".join(pages))

    for item in ITEMS:
        if item.kind is ItemKind.BREAK:
            continue
        if re.search("[\u4e00-\u9fff]", item.title) and not cjk_font_installed():
            pytest.skip("no CJK font installed")
        printed = inline_text(parse_inline(item.title))  # Markdown in titles is honoured
        assert squash(printed) in text, item.title


def test_every_author_and_affiliation_appears(built):
    _, _, pages, _ = built
    text = squash("\n".join(pages))
    people = [ZOE, DMITRY, SOCRATES] + ([LEE] if cjk_font_installed() else [])

    for person in people:
        assert squash(person.name) in text
        assert squash(person.affiliation) in text


def test_title_page_and_contents(built):
    result, _, pages, _ = built

    assert result.pages == len(pages) > 1
    assert "Mathematics of Machine Learning 2020" in pages[0]
    assert "14–16 September 2026" in pages[0]
    assert "University of Bath" in pages[0]
    assert "Contents" in pages[1]
    for heading in ("Invited talks", "Contributed talks", "Random matrices", "Posters"):
        assert heading in pages[1]
    assert "Integrals and series" in pages[1]
    assert "Author index" in pages[1]


def test_breaks_are_not_in_the_book(built):
    _, _, pages, _ = built

    assert "Coffee" not in "\n".join(pages)


def test_maths_is_typeset(built):
    _, _, pages, _ = built
    text = "\n".join(pages)

    assert "∫" in text
    assert "∑" in text
    assert "𝜋" in text  # mathematical italic pi: typeset, not the source "\pi"
    assert "\\int" not in text


def test_broken_formula_is_printed_as_source_with_a_warning(built):
    result, _, pages, _ = built
    text = "\n".join(pages)

    assert "$\\frac{$" in text
    assert result.maths_failures == 2
    (warning,) = [w for w in result.warnings if "\\frac{" in w]
    assert warning.startswith('"Случайные матрицы и глубокое обучение" (#2): formula $\\frac{$')
    assert warning.endswith("it is printed as LaTeX source.")


def test_formula_only_typst_rejects_is_found_and_printed_as_source(built):
    """`\\hat{}` converts to `hat()`, which passes the scan but Typst refuses: the book is
    compiled again with that formula as source."""
    result, _, pages, _ = built

    assert "$\\hat{}$" in "\n".join(pages)
    assert any(
        "\\hat{}" in warning and "rejected by Typst" in warning for warning in result.warnings
    )


def test_hostile_text_is_printed_not_run(built):
    result, reader, pages, _ = built
    text = "\n".join(pages)

    assert squash('#set page(width: 1pt) #read("/etc/passwd") ] [ $ @ref <label>') in squash(text)
    assert "root:" not in text
    for page in reader.pages:
        assert round(float(page.mediabox.width)) == 595  # A4, untouched by "#set page"


def test_only_web_links_become_links(built):
    _, reader, _, _ = built
    uris = [
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]

    assert "https://example.org/notes" in uris
    assert not any("javascript" in str(uri) for uri in uris)


def test_markdown_is_rendered(built):
    _, _, pages, _ = built
    text = "\n".join(pages)

    assert "inline code" in text
    assert "the notes" in text
    assert "*smooth*" not in text and "smooth" in text
    assert "• first point" in text


def test_author_index_lists_pages(built):
    _, _, pages, _ = built
    *abstract_pages, index_page = pages
    on_pages = [
        number
        for number, page in enumerate(abstract_pages, start=1)
        if number > 2 and "Дмитрий Иванов" in page
    ]

    assert "Author index" in index_page
    entry = re.search(r"ДмитрийИванов\(([^)]*)\)([\d,]+)", squash(index_page))
    assert entry.group(1) == squash("Московский государственный университет, Russia")
    assert entry.group(2).split(",") == [str(number) for number in on_pages] == ["3", "4"]


def test_author_index_is_sorted_by_family_name(built):
    _, _, pages, _ = built
    index = squash(pages[-1])

    # Ångström sorts as "angstrom", before the Greek and Cyrillic names.
    assert index.index("ZoëÅngström") < index.index("Σωκράτης") < index.index("ДмитрийИванов")


def test_posters_ordered_by_board(built):
    _, _, pages, _ = built
    text = squash("\n".join(pages[2:]))

    assert text.index("BoardP2") < text.index("BoardP10")


def test_progress_is_reported_to_the_end(built):
    _, _, _, steps = built

    assert steps[0] == 0.0
    assert steps[-1] == 1.0
    assert steps == sorted(steps)


def test_typst_source_is_self_contained(built):
    result, _, _, _ = built

    assert "sys.inputs" not in result.typst_source
    with tempfile.TemporaryDirectory() as root:
        pdf = typst.compile(result.typst_source.encode(), root=root)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == result.pages


def test_empty_book():
    result = build_book(EVENT, [])

    assert result.pages >= 2
    assert result.warnings == []


def test_custom_sections_and_levels():
    sections = [
        BookSection(
            "Day one",
            subsections=[BookSection("Morning", items=ITEMS[:1]), BookSection("Afternoon")],
        )
    ]

    result = build_book(EVENT, sections)

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(result.pdf)).pages)
    assert "Day one" in text and "Morning" in text and "Integrals and series" in text


def test_default_sections_order():
    sections = default_sections(ITEMS)

    assert [section.title for section in sections] == [
        "Invited talks",
        "Contributed talks",
        "Posters",
    ]
    assert [sub.title for sub in sections[1].subsections] == ["Random matrices"]
    assert [item.board for item in sections[2].subsections[0].items] == ["P2", "P10"]


@pytest.mark.parametrize(
    "value",
    ["plain", 'quote " and backslash \\', "new\nline\ttab\r", "\x00\x1f\x7f\u2028", "#}{)]"],
)
def test_typst_string_round_trips(value):
    with tempfile.TemporaryDirectory() as root:
        path = f"{root}/main.typ"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"#metadata({typst_string(value)}) <value>")
        raw = typst.query(path, "<value>", field="value", one=True)

    assert json.loads(raw) == value


def test_missing_cjk_font_is_reported():
    only_embedded_fonts: list[str] = []

    result = build_book(EVENT, default_sections(ITEMS[2:3]), font_paths=only_embedded_fonts)

    assert any("no CJK font" in warning for warning in result.warnings)
    assert result.pages > 1


HOSTILE_STRUCTURES = {
    "deep quotes": "> " * 60 + "bottomofquotes",
    "deep lists": "\n".join("  " * level + "- level" for level in range(40)),
    "mixed nesting": "\n".join(
        "  " * level + ("- " if level % 2 else "> ") + "x" for level in range(30)
    ),
    "deep emphasis": "*a **b *c **d *e **f *g **h *i **j*** k** l* m** n* o** p* q** r* s**" * 3,
    "ordered list starts": "999999999. big start\n\n0. zero start",
    "long word": "x" * 5000,
    "control characters": "a\x00b\x07c \u202e rtl \ufeff",
    "odd links": "[a](mailto:x@y.z) [b](https://) [](https://x.org) <https://x.org> [c](ftp://x)",
    "headings": "# H1\n## H2\n###### H6",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "fenced code": "```python\nprint('#set page(width: 1pt)')\n```",
    "empty maths": "$$\n$$ and $ $",
    "prices": "costs $5 and $6",
}


def test_hostile_structures_never_break_the_book():
    items = [
        Item(id=number, title=name if number % 2 else "", abstract=abstract, authors=[Person("")])
        for number, (name, abstract) in enumerate(HOSTILE_STRUCTURES.items(), start=1)
    ]

    result = build_book(EVENT, default_sections(items))

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(result.pdf)).pages)
    assert "bottomofquotes" in text and "big start" in text and "x" * 100 in squash(text)
    assert "print('#set page(width: 1pt)')" in text
