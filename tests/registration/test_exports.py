"""Formula-safe CSV and XLSX writing."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from symposia.common.exports import safe_cell, write_csv, write_xlsx


def test_safe_cell_prefixes_formula_starts():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\x00=1", "plain", "", None, 3, 2.5]

    assert [safe_cell(cell) for cell in cells] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'x",
        "'=1",
        "plain",
        "",
        "",
        3,
        2.5,
    ]


def test_safe_cell_writes_booleans_as_words():
    assert [safe_cell(True), safe_cell(False)] == ["yes", "no"]


@given(st.text())
def test_safe_cell_never_starts_a_formula(text):
    assert not safe_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_has_bom_crlf_and_round_trips_unicode():
    content = write_csv(
        [["李小龍", "=cmd|' /C calc'!A0"], ["Zoë", "line\nbreak"]], ["Name", "Note"]
    )

    assert content.startswith(b"\xef\xbb\xbf")
    assert content.split(b"\r\n")[0] == b"\xef\xbb\xbfName,Note"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows == [["Name", "Note"], ["李小龍", "'=cmd|' /C calc'!A0"], ["Zoë", "line\nbreak"]]


def test_xlsx_stores_text_not_formulas_and_drops_control_characters():
    content = write_xlsx(
        [['=HYPERLINK("x")'], ["bell\x07"], ["\x00=1"], [42]], ["Name"], title="Reg/2020: [all]"
    )

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Reg2020 all"
    assert [cell.value for cell in sheet["A"]] == ["Name", '\'=HYPERLINK("x")', "bell", "'=1", 42]
    assert [cell.data_type for cell in sheet["A"]] == ["s", "s", "s", "s", "n"]
