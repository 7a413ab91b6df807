"""Spreadsheet exports safe against formula injection (CSV in UTF-8 with BOM, and XLSX).

A cell that starts with = + - @, a tab or a carriage return is prefixed with an apostrophe, as
OWASP's "CSV Injection" guidance recommends, so spreadsheet programs show it as text instead
of running it. (Candidate for `symposia.common.exports`.)
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: numbers and booleans as they are, None as
    an empty string, text prefixed with ' when it could start a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV (RFC 4180, comma, CRLF) encoded as UTF-8 with a byte-order mark, which Excel needs
    to read non-ASCII names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet"
) -> bytes:
    """An XLSX workbook with one sheet: a bold header row, then the rows (all cells made safe;
    characters XML cannot hold are dropped)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", _ILLEGAL_XML.sub("", title))[:31].strip() or "Sheet"
    sheet.append([_xml_safe(safe_cell(cell)) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xml_safe(safe_cell(cell)) for cell in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xml_safe(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    return value
