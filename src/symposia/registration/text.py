"""Text helpers without Django: accent- and case-insensitive matching for the check-in desk."""

import unicodedata


def fold(text: str) -> str:
    """`text` without accents and case, so that 'zoe angstrom' matches 'Zoë Ångström'
    (Unicode NFKD decomposition, combining marks dropped, then casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def matches(query: str, *fields: str) -> bool:
    """True when every word of `query` occurs, folded, in one of `fields`."""
    haystack = " ".join(fold(field or "") for field in fields)
    return all(word in haystack for word in fold(query).split())
