"""Double-blind PDFs keep no author names in their bytes, wherever the writer put them."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

from symposia.reviews.pdfs import anonymised_pdf

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>NAME</rdf:li>'
    b'</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def _xmp(writer: PdfWriter, name: bytes):
    stream = StreamObject()
    stream.set_data(XMP.replace(b"NAME", name))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return writer._add_object(stream)


def _annotation(subtype: str, author: str) -> DictionaryObject:
    annotation = DictionaryObject()
    annotation[NameObject("/Type")] = NameObject("/Annot")
    annotation[NameObject("/Subtype")] = NameObject(subtype)
    annotation[NameObject("/Rect")] = ArrayObject([])
    annotation[NameObject("/T")] = TextStringObject(author)
    return annotation


@pytest.fixture
def leaky_pdf() -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Info Author", "/Creator": "Info Creator"})
    writer.root_object[NameObject("/Metadata")] = _xmp(writer, b"Catalogue Author")
    page[NameObject("/Metadata")] = _xmp(writer, b"Page Author")
    page[NameObject("/Annots")] = ArrayObject(
        [
            writer._add_object(_annotation("/Text", "Comment Author")),
            writer._add_object(_annotation("/Widget", "field_name")),
        ]
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_no_name_survives_in_the_bytes(leaky_pdf):
    assert b"Catalogue Author" in leaky_pdf and b"Page Author" in leaky_pdf

    data = anonymised_pdf(io.BytesIO(leaky_pdf))

    for name in (b"Info Author", b"Info Creator", b"Catalogue Author", b"Page Author"):
        assert name not in data
    assert b"Comment Author" not in data


def test_pages_and_form_fields_are_kept(leaky_pdf):
    reader = PdfReader(io.BytesIO(anonymised_pdf(io.BytesIO(leaky_pdf))))

    assert len(reader.pages) == 1
    assert reader.metadata is None
    annotations = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [(a["/Subtype"], a.get("/T")) for a in annotations] == [
        ("/Text", None),
        ("/Widget", "field_name"),
    ]


def test_a_damaged_file_is_refused():
    with pytest.raises(ValueError):
        anonymised_pdf(io.BytesIO(b"%PDF-1.7 not really"))
