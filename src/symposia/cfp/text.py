"""Cleaning of typed text: control characters and bidirectional overrides are removed.

Bidi embedding/override/isolate characters (U+202A–U+202E, U+2066–U+2069) can make displayed
text read differently from what is stored ("Trojan Source", CVE-2021-42574), so they are dropped;
the marks U+200E/U+200F that right-to-left scripts need are kept. NUL is refused earlier by
Django's ProhibitNullCharactersValidator with a message next to the field.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _keep(ch: str, allowed: str) -> bool:
    if ch in allowed:
        return True
    if ch in BIDI_CONTROLS:
        return False
    return unicodedata.category(ch) != "Cc"


def clean_line(value: str) -> str:
    """One line: line breaks and tabs become spaces, other control characters vanish, trimmed."""
    value = str(value).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return "".join(ch for ch in value if _keep(ch, "")).strip()


def clean_block(value: str) -> str:
    """Several lines: line ends normalised to LF, tabs and newlines kept, other controls dropped."""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in value if _keep(ch, "\n\t")).strip()


def word_count(text: str) -> int:
    """Words as whitespace-separated tokens (what authors' editors count)."""
    return len(text.split())
