"""PDFs for double-blind review: the same pages without the document's metadata.

Removes the document information dictionary (/Author, /Title, /Subject, /Keywords, /Creator,
/Producer; ISO 32000-2, 14.3.3), the XMP metadata streams of the catalogue and of each page
(14.3.2), which is where word processors and LaTeX (hyperref's pdfauthor) put author names,
and the author (/T) of markup annotations such as comments and highlights (12.5.6.2). The
objects left unreferenced are dropped from the file, not only unlinked, since a reader of
the raw bytes would still find them. Text on the pages themselves is not changed: authors
are asked to anonymise their PDFs, as the guide says.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

#: Annotations whose /T is not an author: a form field's name, a link.
_NOT_MARKUP = {"/Widget", "/Link"}


def anonymised_pdf(fileobj) -> bytes:
    """The PDF in `fileobj` rewritten without document metadata (bytes).

    A file pypdf cannot rewrite is not served at all (ValueError), so metadata never leaks
    through a fallback.
    """
    try:
        reader = PdfReader(fileobj, strict=False)
        writer = PdfWriter(clone_from=reader)
        root = writer.root_object
        for key in ("/Metadata", "/PieceInfo"):
            root.pop(NameObject(key), None)
        for page in writer.pages:
            for key in ("/Metadata", "/PieceInfo"):
                page.pop(NameObject(key), None)
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") not in _NOT_MARKUP:
                    annotation.pop(NameObject("/T"), None)
        writer.metadata = None
        # clone_from copies every object of the file: without this the unlinked metadata
        # streams would still be written out.
        writer.compress_identical_objects()
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # pypdf raises many types on damaged files
        raise ValueError("The PDF cannot be anonymised.") from exc
    return out.getvalue()
