"""Text helpers without Django: accent- and case-insensitive matching for the check-in desk,
and the cleaning of what people type into the registration form."""

import re
import unicodedata

# Explicit embeddings, overrides and isolates (Unicode Bidirectional Algorithm, UAX #9,
# section 2): an unclosed U+202E in a name reverses the text that follows it wherever the name
# is shown (a list, a message, a mail). Right-to-left names need none of them; the implicit
# marks (U+200E, U+200F, U+061C) are harmless and kept.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """`text` without accents and case, so that 'zoe angstrom' matches 'Zoë Ångström'
    (Unicode NFKD decomposition, combining marks dropped, then casefold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def matches(query: str, *fields: str) -> bool:
    """True when every word of `query` occurs, folded, in one of `fields`."""
    haystack = " ".join(fold(field or "") for field in fields)
    return all(word in haystack for word in fold(query).split())


def clean_typed(text: str, *, multiline: bool = False) -> str:
    """`text` without bidirectional embedding/override/isolate controls and without control
    characters (Unicode category Cc); a one-line value gets a space for a line break or tab,
    a `multiline` one keeps line breaks and tabs. Leading and trailing spaces are removed."""
    text = _BIDI_CONTROLS.sub("", text)
    kept = "\n\t" if multiline else ""
    text = "".join(
        char
        if char in kept or unicodedata.category(char) != "Cc"
        else (" " if char in "\r\n\t" else "")
        for char in text.replace("\r\n", "\n")
    )
    return text.strip()
