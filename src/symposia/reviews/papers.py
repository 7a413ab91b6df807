"""Reading a reviewer's own papers (title and abstract) from BibTeX, CSV or pasted text.

BibTeX: entries `@type{key, field = {value} | "value" | number, ...}` as described in
Patashnik, "BibTeXing" (1988); nested braces are balanced, `@comment`, `@string` and
`@preamble` are skipped, `%` starts a comment only between entries. Only `title` and
`abstract` are used; braces and simple accent commands are removed from them.

CSV: RFC 4180 with a header row naming a `title` column and optionally `abstract`
(case-insensitive), UTF-8 with or without BOM.

All parsers are pure functions; they raise PaperFormatError with a message for the user.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

MAX_PAPERS = 200


class PaperFormatError(ValueError):
    """The text cannot be read as papers; the message says where."""


_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "c": "\u0327",
}


def clean_tex(text: str) -> str:
    """Title text without TeX grouping: '{B}ayesian \\'{e}t\\'e' -> 'Bayesian été'.

    Maths in $...$ is kept as written so it renders like the rest of Symposia's text.
    """

    def accent(match: re.Match) -> str:
        return unicodedata.normalize("NFC", match.group(2) + _ACCENTS[match.group(1)])

    text = re.sub(r"\\([\'`^\"~c])\{?([A-Za-z])\}?", accent, text)
    text = re.sub(r"\\(?:textit|textbf|emph|textrm|texttt|mathrm)\{", "{", text)
    parts = re.split(r"(\$[^$]*\$)", text)
    parts = [p if p.startswith("$") else p.replace("{", "").replace("}", "") for p in parts]
    return " ".join("".join(parts).split())


def _line(text: str, pos: int) -> int:
    """The 1-based line of offset `pos` in `text`, for error messages."""
    return text.count("\n", 0, pos) + 1


def _read_value(text: str, pos: int) -> tuple[str, int]:
    """One field value starting at `pos` (after '='): braced, quoted, or bare; '#' joins."""
    out = []
    n = len(text)
    while True:
        while pos < n and text[pos].isspace():
            pos += 1
        if pos >= n:
            raise PaperFormatError(
                f"Line {_line(text, pos)}: a BibTeX entry ends in the middle of a field."
            )
        ch = text[pos]
        if ch == "{":
            depth, start = 1, pos + 1
            pos += 1
            while pos < n and depth:
                if text[pos] == "\\":
                    pos += 2
                    continue
                depth += {"{": 1, "}": -1}.get(text[pos], 0)
                pos += 1
            if depth:
                raise PaperFormatError(
                    f"Line {_line(text, start)}: a “{{” in this BibTeX field is never closed."
                )
            out.append(text[start : pos - 1])
        elif ch == '"':
            start, depth = pos + 1, 0
            pos += 1
            while pos < n and (text[pos] != '"' or depth):
                depth += {"{": 1, "}": -1}.get(text[pos], 0)
                pos += 1
            if pos >= n:
                raise PaperFormatError(
                    f"Line {_line(text, start)}: a quoted BibTeX value is not closed."
                )
            out.append(text[start:pos])
            pos += 1
        else:
            match = re.compile(r"[^\s,#}]+").match(text, pos)
            if not match:
                raise PaperFormatError(f"Line {_line(text, pos)}: a BibTeX field has no value.")
            out.append(match.group(0))
            pos = match.end()
        while pos < n and text[pos].isspace():
            pos += 1
        if pos < n and text[pos] == "#":
            pos += 1
            continue
        return "".join(out), pos


def parse_bibtex(text: str) -> list[tuple[str, str]]:
    """(title, abstract) of every entry with a title, in file order (at most MAX_PAPERS)."""
    papers: list[tuple[str, str]] = []
    pos, n = 0, len(text)
    entry_re = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
    while True:
        match = entry_re.search(text, pos)
        if not match:
            break
        kind = match.group(1).lower()
        pos = match.end()
        if kind in ("comment", "preamble", "string"):
            # Skip to the matching closing brace.
            depth = 1
            while pos < n and depth:
                depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(text[pos], 0)
                pos += 1
            continue
        key_end = text.find(",", pos)
        if key_end < 0:
            break
        pos = key_end + 1
        fields: dict[str, str] = {}
        while pos < n:
            while pos < n and (text[pos].isspace() or text[pos] == ","):
                pos += 1
            if pos >= n or text[pos] in "})":
                pos += 1
                break
            name = re.compile(r"[A-Za-z][\w\-:.]*").match(text, pos)
            if not name:
                line = text.count("\n", 0, pos) + 1
                raise PaperFormatError(f"Line {line}: expected a field name in a BibTeX entry.")
            pos = name.end()
            while pos < n and text[pos].isspace():
                pos += 1
            if pos >= n or text[pos] != "=":
                line = text.count("\n", 0, pos) + 1
                raise PaperFormatError(f"Line {line}: expected '=' after “{name.group(0)}”.")
            value, pos = _read_value(text, pos + 1)
            fields[name.group(0).lower()] = value
        title = clean_tex(fields.get("title", ""))
        if title:
            papers.append((title[:500], clean_tex(fields.get("abstract", ""))))
        if len(papers) >= MAX_PAPERS:
            break
    return papers


def parse_csv(data: bytes | str) -> list[tuple[str, str]]:
    """(title, abstract) from a CSV file with a header row (`title`, optional `abstract`)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PaperFormatError("The CSV file is not UTF-8 text.") from None
    try:
        rows = list(csv.reader(io.StringIO(data)))
    except csv.Error as exc:
        raise PaperFormatError(f"The CSV file cannot be read: {exc}.") from None
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    if "title" not in header:
        raise PaperFormatError("The CSV file needs a header row with a “title” column.")
    ti = header.index("title")
    ai = header.index("abstract") if "abstract" in header else None
    papers = []
    for row in rows[1:]:
        title = row[ti].strip() if ti < len(row) else ""
        if not title:
            continue
        abstract = row[ai].strip() if ai is not None and ai < len(row) else ""
        papers.append((" ".join(title.split())[:500], abstract))
        if len(papers) >= MAX_PAPERS:
            break
    return papers


def parse_pasted(text: str) -> list[tuple[str, str]]:
    """Papers typed into a text box: blocks separated by blank lines, the first line of a
    block is the title and the rest its abstract."""
    papers = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if lines:
            papers.append((lines[0][:500], " ".join(lines[1:])))
        if len(papers) >= MAX_PAPERS:
            break
    return papers


def parse_upload(name: str, data: bytes) -> list[tuple[str, str]]:
    """Papers from an uploaded .bib or .csv file (by content when the name says neither)."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        return parse_csv(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
            raise PaperFormatError("The file is not text.") from None
    if lowered.endswith(".bib") or "@" in text[:10000]:
        return parse_bibtex(text)
    return parse_csv(text)
