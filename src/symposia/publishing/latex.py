"""The book of abstracts as a LaTeX document organisers can edit and compile themselves.

Every user string is escaped for LaTeX (`latex_escape`), so text such as `\\input{...}` or `%`
prints as typed. Maths stays LaTeX, but only formulas made of known maths commands (those
the site's renderer latex2mathml knows, minus definitions and file or shell access) and
maths environments are kept as maths; any other formula is printed as escaped source, with a
comment in the file, so compiling an author's abstract never runs an author's code.

The document is for LuaLaTeX or XeLaTeX (fontspec, for names in any script); the author index
uses imakeidx.
"""

from __future__ import annotations

import functools
import pathlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

import latex2mathml

from .data import Item, ItemKind, Person, ProgrammeEvent
from .labels import format_dates, item_line, name_sort_key, presenting
from .markup import (
    Node,
    inline_text,
    limit_depth,
    limit_inline_depth,
    parse_blocks,
    parse_inline,
)

if TYPE_CHECKING:
    from .book import BookSection

MATH_ENVIRONMENTS = frozenset(
    {
        "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "smallmatrix",
        "cases", "aligned", "alignedat", "gathered", "split", "array", "subarray",
    }
)  # fmt: skip
# Known to latex2mathml but able to define macros, change catcodes, or print verbatim.
_DENIED = frozenset(
    {
        "def", "edef", "gdef", "xdef", "let", "futurelet", "newcommand", "renewcommand",
        "providecommand", "DeclareMathOperator", "catcode", "csname", "endcsname", "input",
        "include", "write", "immediate", "openin", "openout", "read", "special", "verb",
        "url", "href", "directlua", "string", "expandafter", "makeatletter", "usepackage",
    }
)  # fmt: skip
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_SPECIAL = re.compile(r"[\\{}$&#%_^~<>|]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK_RUN = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
_COMMAND = re.compile(r"\\([A-Za-z]+)|\\(.)", re.DOTALL)
_BARE_PERCENT = re.compile(r"(?<!\\)%")
# LaTeX allows four levels of lists and quotes together; deeper ones are flattened.
MAX_NESTING = 4
_SECTIONING = ("section", "subsection", "subsubsection", "paragraph", "subparagraph")

PREAMBLE = r"""% Book of abstracts exported by Symposia. Edit freely.
% Compile with LuaLaTeX (or XeLaTeX), twice for the contents and index:
%   lualatex book.tex && lualatex book.tex
\documentclass[10pt,a4paper]{article}
\usepackage[a4paper,margin=2.3cm]{geometry}
\usepackage{fontspec}
\usepackage{amsmath,amssymb}
\usepackage{imakeidx}
\usepackage[hidelinks]{hyperref}
\makeindex[name=authors,title=Author index,columns=2,intoc]
\setcounter{secnumdepth}{0}
\setcounter{tocdepth}{3}
\IfFontExistsTF{Noto Serif}{\setmainfont{Noto Serif}}{}
\IfFontExistsTF{Noto Serif CJK SC}{\newfontfamily\cjkfont{Noto Serif CJK SC}}{\let\cjkfont\relax}
\newcommand{\cjk}[1]{{\cjkfont #1}}
\newcommand{\abstractmeta}[1]{\par{\small\itshape #1\par}\medskip}
\newcommand{\affiliation}[2]{\par{\footnotesize\textsuperscript{#1}\,#2\par}}
"""


@functools.cache
def known_maths_commands() -> frozenset[str]:
    """Control words allowed in exported maths: those latex2mathml knows, minus `_DENIED`."""
    package = pathlib.Path(latex2mathml.__file__).parent
    words: set[str] = set()
    for name in ("commands.py", "unimathsymbols.txt"):
        words.update(re.findall(r"\\\\?([A-Za-z]+)", (package / name).read_text("utf-8")))
    return frozenset(words - _DENIED)


def latex_escape(text: str) -> str:
    """Escape a plain string for LaTeX text mode; CJK runs are wrapped in `\\cjk{...}`.

    Control characters are dropped and line breaks become spaces.
    """
    text = _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    text = _SPECIAL.sub(lambda match: _ESCAPES[match.group()], text)
    return _CJK_RUN.sub(lambda match: rf"\cjk{{{match.group()}}}", text)


def safe_maths(latex: str) -> str:
    """Return `latex` ready to sit between `\\(...\\)` or in `\\[...\\]`.

    A bare `%` becomes `\\%` and blank lines are closed up. Raises ValueError (with the reason)
    for unbalanced braces, `#`, `^^`, a math delimiter, an environment that is not a maths
    environment, or a control word outside `known_maths_commands()`.
    """
    source = _BARE_PERCENT.sub(r"\\%", latex.strip())
    source = re.sub(r"\n\s*\n", "\n", source)
    if "#" in source.replace(r"\#", ""):
        raise ValueError("'#' outside \\#")
    if "^^" in source:
        raise ValueError("'^^' character code")
    if re.search(r"(?<!\\)\$", source):
        raise ValueError("'$' inside maths")
    depth = 0
    for match in re.finditer(r"\\.|[{}]", source, re.DOTALL):
        brace = match.group()
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        raise ValueError("unbalanced braces")
    known = known_maths_commands()
    for match in _COMMAND.finditer(source):
        word, symbol = match.groups()
        if symbol is not None:
            if symbol in "()[]":
                raise ValueError(f"'\\{symbol}' inside maths")
            continue
        if word not in known:
            raise ValueError(f"unknown command '\\{word}'")
    for environment in re.findall(r"\\(?:begin|end)\s*\{([^}]*)\}", source):
        if environment.rstrip("*") not in MATH_ENVIRONMENTS:
            raise ValueError(f"environment '{environment}'")
    return source


@dataclass(frozen=True)
class LatexExport:
    """The LaTeX document and its report (one sentence per formula printed as source)."""

    source: str
    warnings: list[str]


def latex_source(event: ProgrammeEvent, sections: Sequence[BookSection]) -> str:
    """The book of abstracts as one LaTeX document (str); see `latex_export`."""
    return latex_export(event, sections).source


def latex_export(event: ProgrammeEvent, sections: Sequence[BookSection]) -> LatexExport:
    """The book of abstracts as one LaTeX document, with its report.

    Same content and order as the PDF: title page, contents, the sections with each abstract
    (title, authors with affiliation marks, affiliations, when and where, text), and an author
    index. Formulas that are not plain maths are printed as source and listed in `warnings`
    and in `% WARNING` comments at the top of the document.
    """
    writer = _LatexWriter(event)
    body = [writer.section(part, level=0) for part in sections]
    head = [PREAMBLE]
    if writer.warnings:
        head.append("% WARNING: some formulas are printed as source text:\n")
        head.extend(f"%   {' '.join(warning.split())}\n" for warning in writer.warnings)
    pdf_title = latex_escape(event.title)
    head.append(f"\\hypersetup{{pdftitle={{{pdf_title}}}}}\n")
    title_page = [
        "\\begin{titlepage}\n\\centering\n\\vspace*{5cm}\n",
        f"{{\\Huge\\bfseries {latex_escape(event.title)}\\par}}\n\\vspace{{1cm}}\n",
        "{\\Large Book of abstracts\\par}\n\\vspace{2cm}\n",
        f"{{\\large {latex_escape(format_dates(event.start, event.end))}\\par}}\n",
    ]
    if event.venue:
        title_page.append(f"{{\\large {latex_escape(event.venue)}\\par}}\n")
    title_page.append("\\end{titlepage}\n")
    source = "".join(
        [
            *head,
            "\n\\begin{document}\n",
            *title_page,
            "\\tableofcontents\n\\clearpage\n\n",
            *body,
            "\\printindex[authors]\n\\end{document}\n",
        ]
    )
    return LatexExport(source=source, warnings=list(writer.warnings))


class _LatexWriter:
    def __init__(self, event: ProgrammeEvent) -> None:
        self._event = event
        self.warnings: list[str] = []
        self._item: Item | None = None

    def section(self, part: BookSection, *, level: int) -> str:
        command = _SECTIONING[min(level, len(_SECTIONING) - 1)]
        out = [
            "\\clearpage\n" if level == 0 else "",
            f"\\{command}{{{latex_escape(part.title)}}}\n\n",
        ]
        for item in part.items:
            if item.kind is not ItemKind.BREAK:
                out.append(self.item(item, level=level + 1))
        for child in part.subsections:
            out.append(self.section(child, level=level + 1))
        return "".join(out)

    def item(self, item: Item, *, level: int) -> str:
        self._item = item
        command = _SECTIONING[min(level, len(_SECTIONING) - 1)]
        title_nodes = limit_inline_depth(parse_inline(item.title), MAX_NESTING)
        plain_title = latex_escape(" ".join(inline_text(title_nodes).split()))
        out = [
            f"\\{command}[{{{plain_title}}}]{{{self.inline(title_nodes)}}}\n",
        ]
        affiliations: list[str] = []
        names = []
        for person in item.byline:
            line = person.affiliation_line
            mark = ""
            if line:
                if line not in affiliations:
                    affiliations.append(line)
                mark = f"\\textsuperscript{{{affiliations.index(line) + 1}}}"
            name = latex_escape(person.name)
            if presenting(person, item):
                name = f"\\underline{{{name}}}"
            names.append(f"{name}{mark}{_index_entry(person)}")
        if names:
            out.append("\\noindent " + ", ".join(names) + "\n")
        for number, line in enumerate(affiliations, start=1):
            out.append(f"\\affiliation{{{number}}}{{{latex_escape(line)}}}\n")
        meta = item_line(self._event, item)
        out.append(f"\\abstractmeta{{{latex_escape(meta)}}}\n\n")
        out.append(self.blocks(limit_depth(parse_blocks(item.abstract), MAX_NESTING)))
        out.append("\n\\bigskip\n\n")
        return "".join(out)

    def maths(self, latex: str, *, display: bool) -> str:
        try:
            source = safe_maths(latex)
        except ValueError as exc:
            title = (
                " ".join(inline_text(parse_inline(self._item.title)).split()) if self._item else ""
            )
            dollars = "$$" if display else "$"
            formula = " ".join(f"{dollars}{latex}{dollars}".split())
            self.warnings.append(f'"{title}": formula {formula} is printed as source ({exc}).')
            return f"\\texttt{{{latex_escape(dollars + latex + dollars)}}}"
        if display:
            return f"\n\\[\n{source}\n\\]\n"
        return f"\\({source}\\)"

    def inline(self, nodes: list[Node]) -> str:
        out = []
        for node in nodes:
            kind = node[0]
            if kind == "text":
                out.append(latex_escape(node[1]))
            elif kind == "emph":
                out.append(f"\\emph{{{self.inline(node[1])}}}")
            elif kind == "strong":
                out.append(f"\\textbf{{{self.inline(node[1])}}}")
            elif kind == "code":
                out.append(f"\\texttt{{{latex_escape(node[1])}}}")
            elif kind == "link":
                label = self.inline(node[2])
                if node[1].startswith(("http://", "https://", "mailto:")):
                    out.append(f"\\href{{{_latex_url(node[1])}}}{{{label}}}")
                else:
                    out.append(label)
            elif kind == "math":
                out.append(self.maths(node[1], display=False))
            elif kind == "dmath":
                out.append(self.maths(node[1], display=True))
            elif kind == "break":
                out.append("\\\\\n")
        return "".join(out)

    def blocks(self, nodes: list[Node]) -> str:
        out = []
        for node in nodes:
            kind = node[0]
            if kind == "para":
                out.append(self.inline(node[1]) + "\n\n")
            elif kind == "heading":
                out.append(f"\\paragraph*{{{self.inline(node[1])}}}\n")
            elif kind == "list":
                _, ordered, start, entries = node
                environment = "enumerate" if ordered else "itemize"
                out.append(f"\\begin{{{environment}}}\n")
                if ordered and start != 1:
                    out.append(f"\\setcounter{{enumi}}{{{int(start) - 1}}}\n")
                for entry in entries:
                    out.append("\\item " + self.blocks(entry).strip() + "\n")
                out.append(f"\\end{{{environment}}}\n\n")
            elif kind == "code":
                lines = [
                    latex_escape(line).replace(" ", "~") or "~" for line in node[1].split("\n")
                ]
                out.append("\\begin{flushleft}\\ttfamily\n" + "\\\\\n".join(lines))
                out.append("\n\\end{flushleft}\n\n")
            elif kind == "quote":
                out.append("\\begin{quote}\n" + self.blocks(node[1]) + "\\end{quote}\n\n")
            elif kind == "math":
                out.append(self.maths(node[1], display=True) + "\n")
            elif kind == "rule":
                out.append("\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\n\n")
        return "".join(out)


def _index_entry(person: Person) -> str:
    """`\\index` of the author index: sorted by family name, printed with the affiliation."""
    key = re.sub(r"[^\w ]", "", name_sort_key(person.name)).strip() or "~"
    shown = latex_escape(person.name)
    if person.affiliation_line:
        shown += f" ({latex_escape(person.affiliation_line)})"
    return f"\\index[authors]{{{_makeindex_quote(key)}@{_makeindex_quote(shown)}}}"


def _makeindex_quote(text: str) -> str:
    # makeindex gives ! @ | " a meaning; a preceding " makes them literal.
    return re.sub(r'([!@|"])', r'"\1', text)


def _latex_url(url: str) -> str:
    """A URL safe inside `\\href{...}`: percent-encoded, with % and # escaped for hyperref."""
    encoded = quote(url, safe=":/?&=@!$'()*+,;-._[]%#")
    return encoded.replace("%", r"\%").replace("#", r"\#")
