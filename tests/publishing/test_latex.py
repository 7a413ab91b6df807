"""The LaTeX export: every user string escaped, maths kept only when it is plain maths."""

import re
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symposia.publishing.book import BookSection, default_sections
from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room
from symposia.publishing.latex import latex_escape, latex_export, latex_source, safe_maths

EVENT = ProgrammeEvent(
    slug="mathml2020",
    title="Maths & Machine Learning 100% #1",
    timezone="Europe/London",
    start=date(2026, 9, 14),
    end=date(2026, 9, 16),
    venue="University of Bath",
)
ZOE = Person("Zoë Ångström", "Uppsala universitet", "Sweden")
LEE = Person("李小龍", "香港大學", "Hong Kong")
ITEMS = [
    Item(
        id=1,
        title="Integrals $\\int_0^1 f$ & sums",
        kind=ItemKind.INVITED,
        abstract=(
            "We show $\\int_0^1 f(x)\\,dx < 1$ and\n\n$$\\sum_{n\\ge1} 1/n^2 = \\pi^2/6$$\n\n"
            "1. *first*\n2. **second** `a_b` [notes](https://example.org/a%20b#c)\n"
        ),
        authors=[ZOE, LEE],
        start=datetime(2026, 9, 14, 9, tzinfo=ZoneInfo("Europe/London")),
        end=datetime(2026, 9, 14, 10, tzinfo=ZoneInfo("Europe/London")),
        room=Room("Wolfson Hall"),
    ),
    Item(
        id=2,
        title="\\input{/etc/passwd} 50% of $x$",
        abstract=(
            "Text \\write18{rm -rf ~} and $\\input{/etc/passwd}$ and $\\frac{$ and "
            "$\\def\\x{1}$ and $\\begin{filecontents}{a}x\\end{filecontents}$ and $a^^5c$ "
            "and $x\\) \\(y$ and 5% & _ ^ ~ # { } < > |"
        ),
        authors=[Person("O'Brien & Söhne {Ltd}", "Dept. #1 & Co_", "Ireland")],
        session="Hostile",
    ),
]


@pytest.fixture(scope="module")
def source():
    return latex_source(EVENT, default_sections(ITEMS))


def without_escapes(text: str) -> str:
    """What remains once every escape `latex_escape` writes is taken out."""
    words = "textbackslash|textasciicircum|textasciitilde|textless|textgreater|textbar"
    text = re.sub(rf"\\({words})\{{\}}", "", text)
    text = re.sub(r"\\[{}$&#%_]", "", text)
    return re.sub(r"\\cjk\{([^{}]*)\}", r"\1", text)


@given(st.text())
def test_escaped_text_has_no_active_character_left(text):
    assert re.search(r"[\\{}$&#%_^~]", without_escapes(latex_escape(text))) is None


def test_escape_examples():
    assert latex_escape("50% & $5 #1 a_b {x} ~ ^ \\") == (
        "50\\% \\& \\$5 \\#1 a\\_b \\{x\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}"
    )
    assert latex_escape("李小龍 and Zoë") == "\\cjk{李小龍} and Zoë"
    assert latex_escape("line\nbreak\x00") == "line break"


@pytest.mark.parametrize(
    "formula",
    [
        "\\int_0^1 f(x)\\,dx",
        "\\sum_{n\\ge1} 1/n^2 = \\pi^2/6",
        "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
        "\\mathbb{E}[X] \\le \\|x\\|_2",
        "\\{x : x > 0\\}",
        "\\text{if } x \\ne 0",
    ],
)
def test_plain_maths_is_kept(formula):
    assert safe_maths(formula) == formula


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("\\input{/etc/passwd}", "unknown command '\\\\input'"),
        ("\\def\\x{1}", "unknown command '\\\\def'"),
        ("\\begin{filecontents}{a}x\\end{filecontents}", "unknown command|environment"),
        ("a^^5cinput", "character code"),
        ("x\\) \\(y", "inside maths"),
        ("\\frac{", "unbalanced braces"),
        ("}{", "unbalanced braces"),
        ("x # y", "'#'"),
        ("a $ b", "inside maths"),
        ("\\csname input\\endcsname", "unknown command"),
    ],
)
def test_other_maths_is_refused(formula, reason):
    with pytest.raises(ValueError, match=reason):
        safe_maths(formula)


def test_percent_in_maths_is_per_cent():
    assert safe_maths("50% + 3\\%") == "50\\% + 3\\%"


def test_document_structure(source):
    assert source.count("\\begin{document}") == 1
    assert source.rstrip().endswith("\\end{document}")
    assert "\\tableofcontents" in source
    assert "\\printindex[authors]" in source
    assert "{\\Huge\\bfseries Maths \\& Machine Learning 100\\% \\#1\\par}" in source
    assert "14–16 September 2026" in source


def test_braces_balance(source):
    code = "\n".join(line for line in source.splitlines() if not line.startswith("%"))
    unescaped = re.sub(r"\\[{}]", "", code)
    assert unescaped.count("{") == unescaped.count("}")


def test_maths_stays_latex(source):
    assert "\\(\\int_0^1 f(x)\\,dx < 1\\)" in source
    assert "\\[\n\\sum_{n\\ge1} 1/n^2 = \\pi^2/6\n\\]" in source


def test_markdown_becomes_latex(source):
    assert "\\begin{enumerate}" in source
    assert "\\emph{first}" in source
    assert "\\textbf{second}" in source
    assert "\\texttt{a\\_b}" in source
    assert "\\href{https://example.org/a\\%20b\\#c}{notes}" in source


def test_authors_affiliations_and_index(source):
    assert "Zoë Ångström\\textsuperscript{1}" in source
    assert "\\affiliation{2}{\\cjk{香港大學}, Hong Kong}" in source
    assert "\\index[authors]{angstrom zoe@Zoë Ångström (Uppsala universitet, Sweden)}" in source
    assert "Invited talk · Wolfson Hall · Monday 14 September, 09:00–10:00" in source


def test_hostile_text_is_escaped(source):
    hostile = source[source.index("\\subsection{Hostile}") :]

    assert "\\textbackslash{}input\\{/etc/passwd\\} 50\\% of \\(x\\)" in hostile
    assert "\\textbackslash{}write18\\{rm -rf \\textasciitilde{}\\}" in hostile
    assert "O'Brien \\& Söhne \\{Ltd\\}" in hostile
    assert "Dept. \\#1 \\& Co\\_" in hostile
    # No user-supplied control sequence survives outside an escape.
    for word in ("input", "write18", "def", "begin{filecontents}"):
        assert f"\\{word}" not in hostile


def test_refused_maths_is_printed_as_source_and_reported(source):
    assert "\\texttt{\\$\\textbackslash{}input\\{/etc/passwd\\}\\$}" in source
    assert "\\texttt{\\$\\textbackslash{}frac\\{\\$}" in source
    comments = [line for line in source.splitlines() if "is printed as source" in line]
    export = latex_export(EVENT, default_sections(ITEMS))
    assert comments == [f"%   {warning}" for warning in export.warnings]  # one line each
    assert len(export.warnings) == 6
    assert export.warnings[0] == (
        '"\\input{/etc/passwd} 50% of $x$": formula $\\input{/etc/passwd}$ is printed as '
        "source (unknown command '\\input')."
    )


def test_presenting_author_is_underlined_among_several(source):
    assert "\\underline{Zoë Ångström}" not in source  # no speakers given
    item = Item(id=9, title="T", authors=[ZOE, LEE], speakers=[LEE])

    text = latex_source(EVENT, [BookSection("Talks", items=[item])])

    assert "\\underline{\\cjk{李小龍}}" in text
    assert "\\underline{Zoë" not in text


def test_custom_sections_use_deeper_levels():
    text = latex_source(
        EVENT, [BookSection("Day one", subsections=[BookSection("Morning", items=ITEMS[:1])])]
    )

    assert "\\section{Day one}" in text
    assert "\\subsection{Morning}" in text
    assert "\\subsubsection[{Integrals \\$" in text


@pytest.mark.skipif(shutil.which("lualatex") is None, reason="LuaLaTeX is not installed")
def test_compiles_with_lualatex(source, tmp_path):
    (tmp_path / "book.tex").write_text(source, encoding="utf-8")
    for _ in range(2):
        subprocess.run(  # noqa: S603 - fixed arguments, our own generated file
            ["lualatex", "-interaction=nonstopmode", "-halt-on-error", "book.tex"],  # noqa: S607
            cwd=tmp_path,
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert (tmp_path / "book.pdf").stat().st_size > 0


def test_nesting_stays_within_latex_limits():
    abstract = "\n".join("  " * level + ("- " if level % 2 else "> ") + "x" for level in range(30))
    item = Item(id=1, title="Deep", abstract=abstract + "\n\n" + "> " * 40 + "bottomofquotes")

    text = latex_source(EVENT, [BookSection("Talks", items=[item])])

    depth = deepest = 0
    for match in re.finditer(r"\\(begin|end)\{(itemize|enumerate|quote)\}", text):
        depth += 1 if match.group(1) == "begin" else -1
        deepest = max(deepest, depth)
    assert depth == 0
    assert deepest <= 4
    assert "bottomofquotes" in text
