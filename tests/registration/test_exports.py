"""Formula-safe CSV and XLSX writing."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from symposia.registration.exports import safe_cell, write_csv, write_xlsx


def test_safe_cell_prefixes_formula_starts():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "", None, 3, 2.5, True]

    assert [safe_cell(cell) for cell in cells] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
        "",
        "",
        3,
        2.5,
        True,
    ]


@given(st.text())
def test_safe_cell_never_starts_a_formula(text):
    assert not safe_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_has_bom_and_round_trips_unicode():
    content = write_csv(
        ["Name", "Note"], [["李小龍", "=cmd|' /C calc'!A0"], ["Zoë", "line\nbreak"]]
    )

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Name", "Note"], ["李小龍", "'=cmd|' /C calc'!A0"], ["Zoë", "line\nbreak"]]


def test_xlsx_stores_text_not_formulas_and_drops_control_characters():
    content = write_xlsx(["Name"], [['=HYPERLINK("x")'], ["bell\x07"]], title="Reg/2020: [all]")

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet.title == "Reg 2020   all"
    assert [cell.value for cell in sheet["A"]] == ["Name", '\'=HYPERLINK("x")', "bell"]
    assert {cell.data_type for cell in sheet["A"]} == {"s"}
