"""Badges and invitation letters: Typst PDFs whose text (extracted with pypdf) carries names in
any script, and markup in a name printed as itself."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from symposia.registration import domain, pdfs

from .conftest import details

BASE = "/mathml2020/registration/manage/"
needs_cjk = pytest.mark.skipif(
    not pdfs.cjk_font_installed(),
    reason="no CJK font installed (fc-list :lang=zh is empty; Debian: fonts-noto-cjk)",
)


def text_of(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


@pytest.fixture
def people(open_event):
    names = {
        "li": ("李小龍", "香港大學", "Hong Kong"),
        "zoe": ("Zoë Ångström", "Université de Lyon", "France"),
        "dmitri": ("Дмитрий Иванов", "МГУ", "Russia"),
        "giorgos": ("Γιώργος Παπαδόπουλος", "ΕΜΠ", "Greece"),
        "typst": ('#set page(width: 1cm) $x^2$ [link] *bold* "quoted"', "Inject & Co", "Nowhere"),
    }
    return {
        key: domain.register(
            open_event,
            details=details(
                name,
                f"{key}@example.org",
                affiliation=affiliation,
                country=country,
                needs_visa_letter=True,
                passport_name=name.upper(),
                nationality=country,
            ),
        )
        for key, (name, affiliation, country) in names.items()
    }


def test_badges_have_latin_greek_cyrillic_names_and_codes(client, alice, people):
    client.force_login(alice)

    response = client.get(f"{BASE}badges.pdf")

    reader, text = text_of(response.content)
    assert response["Content-Type"] == "application/pdf"
    assert len(reader.pages) == 1
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    for name in ("Zoë Ångström", "Дмитрий Иванов", "Γιώργος Παπαδόπουλος", "Université de Lyon"):
        assert name in text
    assert people["zoe"].code in text


@needs_cjk
def test_badges_have_cjk_names(client, alice, people):
    client.force_login(alice)

    _reader, text = text_of(client.get(f"{BASE}badges.pdf").content)

    assert "李小龍" in text
    assert "香港大學" in text


def test_markup_in_a_name_is_printed_not_run(client, alice, people):
    client.force_login(alice)

    reader, text = text_of(client.get(f"{BASE}badges.pdf?code={people['typst'].code}").content)

    assert '#set page(width: 1cm) $x^2$ [link] *bold* "quoted"' in text
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]


def test_badges_for_ticked_confirmed_people_only(client, alice, open_event, people):
    domain.set_capacity(open_event, capacity=5)
    waiting = domain.register(open_event, details=details("Wanda Waiting"))
    client.force_login(alice)

    response = client.get(f"{BASE}badges.pdf", {"code": [people["zoe"].code, waiting.code]})

    _reader, text = text_of(response.content)
    assert "Zoë Ångström" in text
    assert "Wanda" not in text and "Дмитрий" not in text


def test_nine_badges_fill_two_sheets(client, alice, open_event):
    for i in range(9):
        domain.register(open_event, details=details(f"Person {i}", f"p{i}@example.org"))
    client.force_login(alice)

    reader, text = text_of(client.get(f"{BASE}badges.pdf").content)

    assert len(reader.pages) == 2
    assert all(f"Person {i}" in text for i in range(9))


def test_letters_one_page_each_with_passport_name_and_event(client, alice, open_event, people):
    open_event.venue = "University of Bath, UK"
    open_event.save()
    domain.configure(
        open_event, values={"letter_signatory": "Prof. Clarice Poon\nUniversity of Bath"}
    )
    client.force_login(alice)

    response = client.get(
        f"{BASE}letters.pdf", {"code": [people["zoe"].code, people["dmitri"].code]}
    )

    reader, text = text_of(response.content)
    assert len(reader.pages) == 2
    assert "This letter confirms that ZOË ÅNGSTRÖM, a national of France," in text
    assert "Mathematics of Machine Learning 2020" in text
    assert "University of Bath, UK" in text
    assert "ДМИТРИЙ ИВАНОВ" in text
    assert "Prof. Clarice Poon" in text


@needs_cjk
def test_letters_have_cjk_names(client, alice, people):
    client.force_login(alice)

    response = client.get(f"{BASE}letters.pdf", {"code": people["li"].code})

    _reader, text = text_of(response.content)
    assert "李小龍" in text
    assert "香港大學" in text


def test_letters_default_to_everyone_confirmed_who_asked(client, alice, open_event, people):
    domain.register(open_event, details=details("No Letter Needed", "nl@example.org"))
    client.force_login(alice)

    reader, text = text_of(client.get(f"{BASE}letters.pdf").content)

    assert len(reader.pages) == 5
    assert "No Letter Needed" not in text


def test_no_letter_for_nobody(client, alice, open_event):
    client.force_login(alice)

    response = client.get(f"{BASE}letters.pdf", follow=True)

    assert "Letters are made for confirmed registrations only: none chosen." in (
        response.content.decode()
    )


def test_pdf_is_produced_without_the_preferred_fonts(open_event, people, monkeypatch):
    # A machine without DejaVu or Noto still gets a PDF (Typst falls back to its own fonts).
    monkeypatch.setattr(pdfs, "SANS", ["No Such Font"])

    content = pdfs.badges_pdf(open_event, [people["zoe"]])

    _reader, text = text_of(content)
    assert "Zo" in text


def test_list_warns_that_letters_need_the_event_dates(client, alice, open_event):
    open_event.start_date = open_event.end_date = None
    open_event.venue = "University of Bath"
    open_event.save()
    client.force_login(alice)

    before = client.get(BASE).content.decode()
    open_event.start_date = open_event.end_date = dt.date(2030, 9, 1)
    open_event.save()
    after = client.get(BASE).content.decode()

    assert "Invitation letters name the event's dates, which are not set yet" in before
    assert "Invitation letters name the event" not in after


def _lines_with_height(content: bytes) -> list[tuple[str, float]]:
    """(text, baseline height in pt from the bottom of the page) of each piece of text on the
    first page."""
    pieces = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            pieces.append((text.strip(), cm[5] + tm[5] * cm[3]))

    PdfReader(io.BytesIO(content)).pages[0].extract_text(visitor_text=visit)
    return pieces


def test_a_long_name_and_affiliation_stay_between_header_and_qr_code(open_event):
    person = domain.register(
        open_event,
        details=details(
            "Maria-Magdalena Alexandra Konstantinopoulou-Wolfeschlegelsteinhausen " * 2,
            "maria@example.org",
            affiliation="Department of Applied Mathematics and Theoretical Physics, Centre for "
            "Mathematical Sciences, Faculty of Mathematics, University of Cambridge, Wilberforce "
            "Road, Cambridge CB3 0WA",
            country="United Kingdom of Great Britain and Northern Ireland",
        ),
    )

    pieces = _lines_with_height(pdfs.badges_pdf(open_event, [person]))

    heading = open_event.short_title or open_event.title
    header = min(y for text, y in pieces if text == heading)
    code = min(y for text, y in pieces if text == person.code)
    qr_top = code + 16 / 25.4 * 72  # the 16 mm QR code stands on the code
    identity = [y for text, y in pieces if text not in (heading, person.code)]
    assert len(identity) > 3
    assert all(qr_top < y < header for y in identity)
