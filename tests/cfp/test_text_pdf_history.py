"""Text cleaning, PDF checks and version differences (no database)."""

import io

import pytest
from pypdf import PdfWriter

from symposia.cfp.history import diff_snapshots
from symposia.cfp.pdf import PdfError, display_name, inspect_pdf
from symposia.cfp.text import clean_block, clean_line, word_count

from .conftest import pdf_bytes


def test_clean_line_drops_controls_and_bidi_overrides():
    assert clean_line("  Ti\ttle\u202e cod\u2066e\x07\n ") == "Ti tle code"


def test_clean_line_keeps_scripts_and_marks():
    assert clean_line("محمد\u200f العلي") == "محمد\u200f العلي"


def test_clean_block_normalises_line_ends():
    assert clean_block("a\r\nb\rc\x0bd\u202a") == "a\nb\ncd"


def test_word_count():
    assert word_count("  one two\nthree\t four ") == 4


def test_valid_pdf():
    info = inspect_pdf(io.BytesIO(pdf_bytes(pages=3)), max_bytes=10**6)

    assert info.pages == 3
    assert len(info.sha256) == 64


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"<html><script>alert(1)</script></html>", "not a PDF"),
        (b"GIF89a" + b"\x00" * 100, "not a PDF"),
        (b"%PDF-1.7\nthis is not really a pdf", "damaged"),
    ],
)
def test_pdf_checked_by_content(data, message):
    with pytest.raises(PdfError, match=message):
        inspect_pdf(io.BytesIO(data), max_bytes=10**6)


def test_pdf_over_the_size_limit():
    with pytest.raises(PdfError, match="larger than the limit of 0.0 MB"):
        inspect_pdf(io.BytesIO(pdf_bytes()), max_bytes=100)


def test_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(PdfError, match="password-protected"):
        inspect_pdf(out, max_bytes=10**6)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\poster.pdf", "poster.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("new\nline.pdf", "newline.pdf"),
        ("", "file.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
    ],
)
def test_display_name(name, shown):
    assert display_name(name) == shown


def test_first_version_lists_every_field():
    snapshot = {"title": "T", "abstract": "A", "keywords": "", "authors": [], "pdf": None}

    assert [c.field for c in diff_snapshots(None, snapshot)] == ["title", "abstract"]


def test_changes_between_versions():
    before = {
        "title": "T",
        "abstract": "line one\nline two",
        "authors": [{"name": "A", "email": "a@x", "is_presenting": True}],
        "pdf": None,
    }
    after = {
        **before,
        "abstract": "line one\nline 2",
        "pdf": {"name": "p.pdf", "size": 10, "sha256": "ab"},
    }

    changes = diff_snapshots(before, after)

    assert [c.field for c in changes] == ["abstract", "pdf"]
    assert changes[0].diff == ["@@ -1,2 +1,2 @@", " line one", "-line two", "+line 2"]
    assert changes[1].after == "p.pdf (10 bytes, SHA-256 ab)"
