"""Book of abstracts: a PDF typeset by Typst, and a LaTeX source for organisers to edit.

Pipeline of `build_book`:
1. each item's title and abstract (Markdown + LaTeX maths) are parsed into a data tree
   (`markup.py`); every formula is converted to Typst maths by tex2typst and checked
   (`maths.py`); a formula that fails is kept as LaTeX source and reported;
2. the tree, the event, the sections and the author index go to the Typst template
   (`templates/publishing/book.typ`) as one JSON string: user text is data printed as text,
   never Typst markup, so `#set page(...)` in an abstract is printed, not run;
3. the book is compiled once. Should Typst still reject a formula the scan let through, the
   culprits are found by bisection over a formulas-only document, printed as source, and the
   book compiled again: one bad formula never breaks the book.

The compiler runs in an empty temporary directory as its root, so nothing evaluated can read
files, and with explicit font directories (Debian's /usr/share/fonts by default: DejaVu,
Noto CJK) so Latin, Greek, Cyrillic and CJK names print the same on every host.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import typst

from .data import Item, ItemKind, Person, ProgrammeEvent
from .labels import format_dates, item_line, name_sort_key, presenting
from .latex import latex_source
from .markup import (
    Node,
    inline_text,
    limit_depth,
    limit_inline_depth,
    parse_blocks,
    parse_inline,
)
from .maths import MathsError, convert_all

__all__ = [
    "BookError",
    "BookResult",
    "BookSection",
    "build_book",
    "default_sections",
    "format_dates",
    "latex_source",
]

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "publishing" / "book.typ"
DEFAULT_FONT_PATHS = ("/usr/share/fonts", "/usr/local/share/fonts")
# Preferred faces, in order; the first that has a glyph prints it (Typst's font fallback).
FONT_PREFERENCE = (
    "Libertinus Serif",
    "DejaVu Serif",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Noto Serif CJK JP",
    "Noto Sans CJK JP",
    "New Computer Modern",
)
# Deeper lists, quotes or emphasis are flattened: Typst limits nested show rules.
MAX_NESTING = 8
LINK_SCHEMES = ("http://", "https://", "mailto:")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_DATA_LINE = '#let data = json(bytes(sys.inputs.at("data", default: "{}")))'

ProgressCallback = Callable[[float, str], None]


class BookError(RuntimeError):
    """The book could not be typeset for a reason other than a formula (a bug or setup issue)."""


@dataclass(frozen=True)
class BookSection:
    """A part of the book: a heading, its items in print order, and nested parts (sessions)."""

    title: str
    items: Sequence[Item] = ()
    subsections: Sequence[BookSection] = ()


@dataclass
class BookResult:
    """What `build_book` made.

    `pdf` is the book; `pages` its page count; `warnings` the build report, one sentence each
    (formulas printed as source, missing fonts, Typst warnings); `typst_source` a
    self-contained Typst document that typesets the same book (template with the data inlined);
    `maths_failures` the number of formulas printed as source.
    """

    pdf: bytes
    pages: int
    warnings: list[str] = field(default_factory=list)
    typst_source: str = ""
    maths_failures: int = 0


def default_sections(items: Iterable[Item]) -> list[BookSection]:
    """The usual order of a book of abstracts.

    Invited talks by time; contributed talks grouped by session (sessions by their first
    talk's time); posters grouped by poster session and sorted by board number ("P2" before
    "P10"). Breaks are left out; empty parts are omitted.
    """
    invited, contributed, posters = [], [], []
    for item in items:
        if item.kind is ItemKind.INVITED:
            invited.append(item)
        elif item.kind is ItemKind.CONTRIBUTED:
            contributed.append(item)
        elif item.kind is ItemKind.POSTER:
            posters.append(item)
    sections = []
    if invited:
        sections.append(BookSection("Invited talks", items=sorted(invited, key=_time_key)))
    if contributed:
        sections.append(_part("Contributed talks", contributed, _time_key))
    if posters:
        sections.append(_part("Posters", posters, _board_key))
    return sections


def build_book(
    event: ProgrammeEvent,
    sections: Sequence[BookSection],
    *,
    progress: ProgressCallback | None = None,
    font_paths: Sequence[str] | None = None,
    workers: int | None = None,
) -> BookResult:
    """Typeset the book of abstracts of `event` from `sections` (see `default_sections`).

    `progress(fraction, message)` is called as the build advances (0.0 to 1.0).
    `font_paths` lists font directories (default: `DEFAULT_FONT_PATHS` that exist).
    `workers` caps the processes converting maths (see `maths.convert_all`; 1: none started).
    Returns a BookResult; formulas that cannot be converted are printed as LaTeX source and
    reported in `warnings`, never raised. Raises BookError if Typst fails for another reason.
    """
    report = progress or (lambda fraction, message: None)
    report(0.0, "Reading abstracts")
    fonts = _fonts(tuple(font_paths) if font_paths is not None else _default_font_paths())
    families = set(fonts.families())
    builder = _DataBuilder(event)
    section_data = [builder.section(part, level=1) for part in sections]
    report(0.3, f"Read {builder.item_count} abstracts")

    warnings: list[str] = []
    results = convert_all([formula["s"] for formula in builder.formulas], workers=workers)
    for formula, result in zip(builder.formulas, results, strict=True):
        if isinstance(result, MathsError):
            warnings.append(_maths_warning(formula, str(result)))
        else:
            formula["t"] = result
    report(0.5, f"Converted {len(builder.formulas)} formulas")

    if builder.has_cjk and not any("CJK" in family for family in families):
        warnings.append(
            "Some names or titles use Chinese, Japanese or Korean characters but no CJK font "
            "(such as Noto CJK) is installed: they may print as empty boxes."
        )
    data = {
        "event": builder.event_data(),
        "fonts": [family for family in FONT_PREFERENCE if family in families],
        "formulas": [_formula_entry(formula) for formula in builder.formulas],
        "sections": section_data,
        "index": builder.index(),
    }
    template = TEMPLATE.read_text(encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="symposia-book-") as root:
        report(0.55, f"Typesetting {builder.item_count} abstracts")
        source = typst_document(template, data)
        try:
            pdf, pages, typst_warnings = _compile(source, root=root, fonts=fonts)
        except typst.TypstError as first_error:
            report(0.7, "Finding formulas Typst rejects")
            bad = _bisect_formulas(builder.formulas, root=root, fonts=fonts)
            if not bad:
                raise BookError(f"Typst could not typeset the book: {first_error}") from None
            for formula in bad:
                del formula["t"]
                warnings.append(_maths_warning(formula, "rejected by Typst"))
            data["formulas"] = [_formula_entry(formula) for formula in builder.formulas]
            report(0.8, "Typesetting again without the rejected formulas")
            source = typst_document(template, data)
            try:
                pdf, pages, typst_warnings = _compile(source, root=root, fonts=fonts)
            except typst.TypstError as error:
                raise BookError(f"Typst could not typeset the book: {error}") from None
    warnings.extend(f"Typesetting: {message}" for message in typst_warnings)
    report(1.0, f"Book ready: {pages} pages, {builder.item_count} abstracts")
    return BookResult(
        pdf=pdf,
        pages=pages,
        warnings=warnings,
        typst_source=source,
        maths_failures=sum(1 for formula in builder.formulas if "t" not in formula),
    )


# --- data for the template ---------------------------------------------------------------


class _DataBuilder:
    """Turns items into the JSON data the template reads, collecting formulas and authors."""

    def __init__(self, event: ProgrammeEvent) -> None:
        self.programme = event
        self.formulas: list[dict[str, Any]] = []
        self.item_count = 0
        self.has_cjk = bool(_CJK.search(event.title))
        self._authors: dict[tuple[str, str], dict[str, Any]] = {}
        self._current: Item | None = None

    def event_data(self) -> dict[str, Any]:
        event = self.programme
        return {
            "title": event.title,
            "short_title": event.short_title or event.title,
            "dates": format_dates(event.start, event.end),
            "venue": event.venue,
            "url": event.url if event.url.startswith(("http://", "https://")) else "",
        }

    def section(self, part: BookSection, *, level: int) -> dict[str, Any]:
        self.has_cjk = self.has_cjk or bool(_CJK.search(part.title))
        return {
            "title": part.title,
            "level": level,
            "items": [
                self.item(item, level=level + 1)
                for item in part.items
                if item.kind is not ItemKind.BREAK
            ],
            "sections": [self.section(child, level=level + 1) for child in part.subsections],
        }

    def item(self, item: Item, *, level: int) -> dict[str, Any]:
        self.item_count += 1
        self._current = item
        byline = item.byline
        affiliations: list[str] = []
        authors = []
        for person in byline:
            line = person.affiliation_line
            numbers = []
            if line:
                if line not in affiliations:
                    affiliations.append(line)
                numbers.append(affiliations.index(line) + 1)
            authors.append(
                {
                    "name": person.name,
                    "affs": numbers,
                    "speaker": presenting(person, item),
                }
            )
            self._index(person, item)
            self.has_cjk = self.has_cjk or bool(_CJK.search(person.name + line))
        self.has_cjk = self.has_cjk or bool(_CJK.search(item.title))
        return {
            "id": item.id,
            "level": level,
            "title": self._inline(limit_inline_depth(parse_inline(item.title), MAX_NESTING)),
            "authors": authors,
            "affiliations": affiliations,
            "meta": item_line(self.programme, item),
            "body": self._blocks(limit_depth(parse_blocks(item.abstract), MAX_NESTING)),
        }

    def index(self) -> list[dict[str, Any]]:
        entries = sorted(
            self._authors.values(), key=lambda entry: (name_sort_key(entry["name"]), entry["name"])
        )
        return [
            {"name": entry["name"], "affiliation": entry["affiliation"], "ids": entry["ids"]}
            for entry in entries
        ]

    def _index(self, person: Person, item: Item) -> None:
        name = unicodedata.normalize("NFC", " ".join(person.name.split()))
        key = (name.casefold(), person.affiliation_line.casefold())
        entry = self._authors.setdefault(
            key, {"name": name, "affiliation": person.affiliation_line, "ids": []}
        )
        if item.id not in entry["ids"]:
            entry["ids"].append(item.id)

    def _formula(self, latex: str, *, display: bool) -> int:
        self.formulas.append({"s": latex, "item": self._current, "display": display})
        return len(self.formulas) - 1

    def _inline(self, nodes: list[Node]) -> list[Node]:
        result: list[Node] = []
        for node in nodes:
            kind = node[0]
            if kind == "math":
                result.append(["m", self._formula(node[1], display=False)])
            elif kind == "dmath":
                result.append(["M", self._formula(node[1], display=True)])
            elif kind in ("emph", "strong"):
                result.append([kind, self._inline(node[1])])
            elif kind == "link":
                children = self._inline(node[2])
                if node[1].startswith(LINK_SCHEMES):
                    result.append(["link", node[1], children or [["text", node[1]]]])
                else:
                    result.extend(children)
            else:
                if kind == "text" and not self.has_cjk:
                    self.has_cjk = bool(_CJK.search(node[1]))
                result.append(node)
        return result

    def _blocks(self, nodes: list[Node]) -> list[Node]:
        result: list[Node] = []
        for node in nodes:
            kind = node[0]
            if kind in ("para", "heading"):
                result.append([kind, self._inline(node[1])])
            elif kind == "list":
                _, ordered, start, entries = node
                result.append(["list", ordered, start, [self._blocks(entry) for entry in entries]])
            elif kind == "quote":
                result.append(["quote", self._blocks(node[1])])
            elif kind == "math":
                result.append(["M", self._formula(node[1], display=True)])
            else:
                result.append(node)
        return result


def _formula_entry(formula: dict[str, Any]) -> dict[str, str]:
    return {"t": formula["t"]} if "t" in formula else {"s": formula["s"]}


def _maths_warning(formula: dict[str, Any], reason: str) -> str:
    item: Item | None = formula.get("item")
    where = (
        f'"{" ".join(inline_text(parse_inline(item.title)).split())}" (#{item.id})'
        if item
        else "the book"
    )
    dollars = "$$" if formula.get("display") else "$"
    return (
        f"{where}: formula {dollars}{formula['s']}{dollars} could not be converted "
        f"({reason}); it is printed as LaTeX source."
    )


# --- typesetting ---------------------------------------------------------------------------


def _compile(source: str, *, root: str, fonts: typst.Fonts) -> tuple[bytes, int, list[str]]:
    """Compile the book in `root`: (PDF, page count, Typst's warnings)."""
    main = Path(root) / "book.typ"
    main.write_text(source, encoding="utf-8")
    compiler = typst.Compiler(
        input=str(main), root=root, font_paths=fonts, ignore_system_fonts=True
    )
    pdf, warnings = compiler.compile_with_warnings(format="pdf")
    # The template records the final page count; asking after compiling costs nothing.
    pages = json.loads(compiler.query("<page-count>", field="value", one=True))
    messages = sorted({str(getattr(warning, "message", warning)) for warning in warnings})
    return pdf, int(pages), messages  # type: ignore[return-value]


_CHECK_TEMPLATE = b"""#let formulas = json(bytes(sys.inputs.at("data")))
#for code in formulas { box(eval(code, mode: "math")) }
"""


def _bisect_formulas(formulas: list[dict], *, root: str, fonts: typst.Fonts) -> list[dict]:
    """The converted formulas Typst rejects, found by halving a formulas-only document."""
    candidates = [formula for formula in formulas if "t" in formula]
    compiler = typst.Compiler(root=root, font_paths=fonts, ignore_system_fonts=True)

    def compiles(group: list[dict]) -> bool:
        payload = json.dumps([formula["t"] for formula in group], ensure_ascii=False)
        try:
            compiler.compile(input=_CHECK_TEMPLATE, format="pdf", sys_inputs={"data": payload})
        except typst.TypstError:
            return False
        return True

    def search(group: list[dict]) -> Iterator[dict]:
        if not group or compiles(group):
            return
        if len(group) == 1:
            yield group[0]
            return
        middle = len(group) // 2
        yield from search(group[:middle])
        yield from search(group[middle:])

    return list(search(candidates))


# Control characters are written as Unicode escapes; the JSON payload has none below U+0020.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_ESCAPES = {
    code: f"\\u{{{code:x}}}" for code in [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}


def typst_string(value: str) -> str:
    """`value` as a Typst string literal: backslash, quote and control characters escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if _CONTROL.search(escaped):
        escaped = escaped.translate(_CONTROL_ESCAPES)
    return f'"{escaped}"'


def typst_document(template: str, data: dict) -> str:
    """The template with `data` inlined: one self-contained Typst document (what is compiled)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    line = f"#let data = json(bytes({typst_string(payload)}))"
    if _DATA_LINE not in template:
        raise BookError("the book template has lost its data line")
    return template.replace(_DATA_LINE, line, 1)


def _default_font_paths() -> tuple[str, ...]:
    return tuple(path for path in DEFAULT_FONT_PATHS if Path(path).is_dir())


@cache
def _fonts(paths: tuple[str, ...]) -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, font_paths=list(paths))


# --- ordering --------------------------------------------------------------------------------


def _time_key(item: Item) -> tuple:
    return (item.start is None, item.start.timestamp() if item.start else 0.0, item.id)


def _board_key(item: Item) -> tuple:
    """Natural order of board labels: "P2" < "P10" < "Q1"; unnumbered last."""
    parts = re.split(r"(\d+)", item.board)
    natural = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold()) for part in parts
    )
    return (not item.board, natural, item.id)


def _part(title: str, items: list[Item], key: Callable[[Item], tuple]) -> BookSection:
    """A part of the book with one subsection per session (sessions in time order); items
    without a session go straight into the part, or under "Other ..." next to sessions."""
    groups: dict[str, list[Item]] = {}
    for item in sorted(items, key=_time_key):
        groups.setdefault(item.session, []).append(item)
    loose = sorted(groups.pop("", []), key=key)
    if not groups:
        return BookSection(title, items=loose)
    sessions = [BookSection(name, items=sorted(group, key=key)) for name, group in groups.items()]
    if loose:
        sessions.append(BookSection(f"Other {title.lower()}", items=loose))
    return BookSection(title, subsections=sessions)
