"""Spreadsheet exports: read the files back and check nothing became a formula."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from symposia.common.exports import safe_cell, write_csv, write_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'=1"),
        ('\x00=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("plain", "plain"),
        ("Łukasz 陈伟 محمد", "Łukasz 陈伟 محمد"),
        ("a\x00b\x07c", "abc"),
        ("line 1\nline 2", "line 1\nline 2"),
        (None, ""),
        (True, "yes"),
        (3, 3),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_is_utf8_with_bom_and_keeps_non_ascii():
    data = write_csv([["Łukasz Żółć", "=cmd|' /C calc'!A0", "陈伟"]], ["Name", "Formula", "Other"])

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Name", "Formula", "Other"], ["Łukasz Żółć", "'=cmd|' /C calc'!A0", "陈伟"]]


def test_csv_writes_dates_as_iso():
    data = write_csv([[dt.datetime(2020, 3, 31, 12, 0, 5)]], ["When"])

    assert data.decode("utf-8-sig").splitlines()[1] == "2020-03-31 12:00:05"


def test_xlsx_cells_are_strings_never_formulas():
    data = write_xlsx([["=1+1", "@SUM(1)", "محمد", 7]], ["A", "B", "C", "D"], title="Sub/missions")

    sheet = load_workbook(io.BytesIO(data)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=False))[0]
    assert [c.value for c in cells] == ["'=1+1", "'@SUM(1)", "محمد", 7]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert sheet.title == "Submissions"
    assert [c.value for c in sheet[1]] == ["A", "B", "C", "D"]
