"""Spreadsheet exports that survive non-ASCII text and cannot smuggle formulas.

`safe_cell` neutralises CSV/formula injection as OWASP's "CSV Injection" guidance says: a cell
starting with = + - @ TAB or CR is prefixed with an apostrophe, so spreadsheet programs show it as
text. NUL and other control characters (except LF and TAB inside text) are removed because XLSX
(XML 1.0) cannot hold them and they serve no purpose in a cell.

CSV: RFC 4180 with CRLF line ends, UTF-8 with a byte-order mark so Excel reads non-ASCII
names correctly. XLSX: openpyxl, every text cell stored as a string cell (data type "s").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _strip_controls(text: str) -> str:
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def safe_cell(value) -> str | int | float | dt.datetime | dt.date | None:
    """One cell value made safe: numbers and dates pass, everything else becomes clean text.

    Text that would start a formula gets a leading apostrophe; booleans become 'yes'/'no'.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date | dt.datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        # Checked before stripping: "\t=1" must not turn into a live "=1".
        return "'" + _strip_controls(text)
    text = _strip_controls(text)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _plain(value) -> str:
    value = safe_cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(rows: Iterable[Sequence], header: Sequence[str]) -> bytes:
    """CSV bytes: UTF-8 with BOM, CRLF, every cell through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_plain(h) for h in header])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[Sequence], header: Sequence[str], *, title: str = "Export") -> bytes:
    """XLSX bytes (one sheet, bold frozen header); text cells typed as strings, not formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (
        _strip_controls(title)[:31].translate(str.maketrans("", "", "[]:*?/\\")) or "Export"
    )

    def append(values: Sequence, *, bold: bool = False) -> None:
        cells = [safe_cell(v) for v in values]
        sheet.append([c.replace(tzinfo=None) if isinstance(c, dt.datetime) else c for c in cells])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never "f" (formula), whatever the text
            if bold:
                cell.font = Font(bold=True)

    append(header, bold=True)
    for row in rows:
        append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
