"""Spreadsheet exports safe against formula injection (CSV in UTF-8 with BOM, and XLSX).

A cell that starts with = + - @, a tab or a carriage return is prefixed with an apostrophe, as
OWASP's "CSV Injection" guidance recommends, so spreadsheet programs show it as text instead
of running it. Control characters other than newline and tab are dropped (XLSX, being XML 1.0,
cannot hold them). Same functions and signatures as `symposia.common.exports`, which this
module can be replaced by.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _strip_controls(text: str) -> str:
    return "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs")
    )


def safe_cell(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: numbers as they are, booleans as yes/no,
    None as an empty string, text prefixed with ' when it could start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        # Checked before stripping so that "\t=1" cannot turn into a live "=1".
        return "'" + _strip_controls(text)
    text = _strip_controls(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> bytes:
    """CSV (RFC 4180: comma, CRLF) as UTF-8 with a byte-order mark, which Excel needs to read
    non-ASCII names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    rows: Iterable[Sequence[Any]], header: Sequence[str], *, title: str = "Export"
) -> bytes:
    """An XLSX workbook with one sheet: a bold, frozen header row, then the rows; every text
    cell is stored as a string, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (
        _strip_controls(title)[:31].translate(str.maketrans("", "", "[]:*?/\\")).strip() or "Export"
    )
    sheet.append([safe_cell(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
