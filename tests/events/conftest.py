"""Fixtures for the site import/export tests: Jekyll folders written on the fly."""

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "examples" / "mathml2020"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> text or bytes) under `root`; returns `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


@pytest.fixture
def site(tmp_path):
    """A function that writes a Jekyll site folder and returns its path."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes]) -> Path:
        return write_site(tmp_path / f"site{next(counter)}", files)

    return make
