"""Validation of ORCID iDs.

An ORCID iD is 16 characters written in four groups of four, ``0000-0002-1825-0097``: fifteen
decimal digits and a check character computed with ISO/IEC 7064:2003 MOD 11-2, which is a digit
or ``X`` (standing for 10). Sources: ORCID, "Structure of the ORCID Identifier"
(https://support.orcid.org/hc/en-us/articles/360006897674) and ISO/IEC 7064:2003, "Information
technology - Security techniques - Check character systems", the pure system MOD 11-2.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

ORCID_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$")
_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def orcid_check_character(base_digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') for a string of decimal digits.

    For an ORCID iD, `base_digits` is its first 15 digits without hyphens. Raises ValueError on
    a non-digit character. Algorithm as published by ORCID (see the module docstring).
    """
    total = 0
    for char in base_digits:
        if not char.isdigit() or not char.isascii():
            raise ValueError(f"not a decimal digit: {char!r}")
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """Canonical form of what a person typed: URL prefix removed, hyphens added, 'x' upper-cased.

    Accepts ``https://orcid.org/0000-0002-1825-0097``, ``0000000218250097`` and the canonical
    form; other input is returned stripped but otherwise unchanged, for `validate_orcid` to reject.
    """
    value = value.strip()
    for prefix in _URL_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    value = value.upper()
    compact = value.replace("-", "")
    if len(compact) == 16 and value.count("-") in (0, 3):
        value = "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    return value


def validate_orcid(value: str) -> None:
    """Raise ValidationError unless `value` is an ORCID iD in canonical form with a valid check.

    The form is ``dddd-dddd-dddd-dddC`` where C is a digit or X; the check character must be the
    ISO 7064 MOD 11-2 check of the fifteen digits before it. Blank values are left to `blank=`.
    """
    if not value:
        return
    if not ORCID_PATTERN.fullmatch(value):
        raise ValidationError(
            "Enter an ORCID iD in the form 0000-0002-1825-0097.", code="orcid_format"
        )
    digits = value.replace("-", "")
    if orcid_check_character(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD has a typing error: its last character does not match the others.",
            code="orcid_checksum",
        )
