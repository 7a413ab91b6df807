"""PDFs for double-blind review: the same pages without the document's metadata.

Removes the document information dictionary (/Author, /Title, /Subject, /Keywords, /Creator,
/Producer; ISO 32000-2, 14.3.3) and the XMP metadata stream of the catalogue (14.3.2), which
is where word processors and LaTeX (hyperref's pdfauthor) put author names. Text on the pages
themselves is not changed: authors are asked to anonymise their PDFs, as the guide says.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject


def anonymised_pdf(fileobj) -> bytes:
    """The PDF in `fileobj` rewritten without document metadata (bytes).

    A file pypdf cannot rewrite is not served at all (ValueError), so metadata never leaks
    through a fallback.
    """
    try:
        reader = PdfReader(fileobj, strict=False)
        writer = PdfWriter(clone_from=reader)
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ValueError("The PDF cannot be anonymised.") from exc
    root = writer.root_object
    if NameObject("/Metadata") in root:
        del root[NameObject("/Metadata")]
    for page in writer.pages:
        if NameObject("/Metadata") in page:
            del page[NameObject("/Metadata")]
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
