"""Checking an uploaded PDF by its content, not by its name.

A file passes when it is at most the call's size limit, starts with the PDF header `%PDF-`
(ISO 32000-2, 7.5.2), and pypdf can open it, is not encrypted and finds at least one page.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader

CHUNK = 64 * 1024


class PdfError(ValueError):
    """The upload is not an acceptable PDF; the message is shown to the author."""


@dataclass(frozen=True)
class PdfInfo:
    size: int  # bytes
    sha256: str  # hex digest of the whole file
    pages: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def inspect_pdf(fileobj, *, max_bytes: int) -> PdfInfo:
    """Size, SHA-256 and page count of the PDF in `fileobj` (rewound afterwards).

    Raises PdfError with a message for the author when the file is too large, empty, not a PDF,
    damaged or password-protected.
    """
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := fileobj.read(CHUNK):
        if len(head) < 8:
            head += chunk[: 8 - len(head)]
        size += len(chunk)
        if size > max_bytes:
            raise PdfError(f"The file is larger than the limit of {_megabytes(max_bytes)}.")
        digest.update(chunk)
    if size == 0:
        raise PdfError("The file is empty.")
    if not head.startswith(b"%PDF-"):
        raise PdfError("This file is not a PDF (its content does not start with %PDF-).")
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise PdfError("The PDF is password-protected; upload it without a password.")
        pages = len(reader.pages)
    except PdfError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise PdfError("The PDF is damaged and cannot be opened.") from exc
    finally:
        fileobj.seek(0)
    if pages < 1:
        raise PdfError("The PDF has no pages.")
    return PdfInfo(size=size, sha256=digest.hexdigest(), pages=pages)


def display_name(name: str) -> str:
    """The author's file name reduced to something safe to show: base name only, no control or
    format characters, at most 200 characters; 'file.pdf' when nothing is left."""
    base = os.path.basename(str(name).replace("\\", "/"))
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return cleaned[:200] or "file.pdf"
