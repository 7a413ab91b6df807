"""Helpers for the site and organiser tests."""

import io

from PIL import Image


def png_bytes(size=(8, 8), colour=(29, 63, 114)) -> bytes:
    """A small, valid PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
