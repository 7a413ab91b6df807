"""Name badges and invitation letters as PDF, typeset with Typst (the `typst` package).

The Typst sources live in templates/attendance/typst/. Names and every other piece of user
text go in as JSON through `sys.inputs` and are placed as text, so markup characters in a name
(`#`, `[`, `$`, `*`) print as themselves instead of being evaluated. Fonts: the lists below
cover Latin, Greek and Cyrillic (DejaVu) and Chinese, Japanese and Korean (Noto Sans/Serif
CJK); Typst falls back to any installed font for other scripts, and still produces the PDF
when none of these fonts is installed (missing glyphs then show as boxes).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import segno
import typst
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

TEMPLATES = Path(settings.BASE_DIR) / "templates" / "attendance" / "typst"
SANS = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR"]
SERIF = ["DejaVu Serif", "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans CJK KR"]
BADGES_PER_SHEET = 8
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@cache
def _fonts() -> typst.Fonts:
    # Scanning the system's fonts takes a while: once per process.
    return typst.Fonts(include_system_fonts=True)


def cjk_font_installed() -> bool:
    """True when fontconfig lists a CJK font (used to decide whether CJK output can be checked)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listing = subprocess.run(  # noqa: S603 - fixed command, no user input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    ).stdout
    return bool(listing.strip())


def _compile(template: str, data: dict) -> bytes:
    return typst.compile(
        (TEMPLATES / template).read_bytes(),
        root=str(TEMPLATES),
        font_paths=_fonts(),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


def _colour(event) -> str:
    return event.primary_colour if _COLOUR.match(event.primary_colour or "") else "#1d3f72"


def _qr_svg(code: str) -> str:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", border=0, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def _name_size(name: str) -> int:
    # Long names shrink so that they fit on one or two lines of a 9 cm wide badge; CJK
    # characters are about twice as wide as Latin letters.
    width = sum(2 if ord(char) > 0x2E80 else 1 for char in name)
    return 22 if width <= 18 else 18 if width <= 24 else 15 if width <= 40 else 12


def _badge_label(registration) -> str:
    if registration.role != "participant":
        return registration.get_role_display()
    return registration.category.name if registration.category_id else ""


def badges_pdf(event, registrations: Iterable) -> bytes:
    """A4 sheets of 2 x 4 name badges (name, affiliation, country, category or role, QR code of
    the registration code), in the order given. Returns the PDF bytes."""
    people = [
        {
            "name": r.name,
            "size": _name_size(r.name),
            "affiliation": r.affiliation,
            "country": r.country,
            "label": _badge_label(r),
            "code": r.code,
            "qr": _qr_svg(r.code),
        }
        for r in registrations
    ]
    sheets = [people[i : i + BADGES_PER_SHEET] for i in range(0, len(people), BADGES_PER_SHEET)]
    data = {
        "title": f"Badges, {event.title}",
        "event": event.short_title or event.title,
        "colour": _colour(event),
        "fonts": SANS,
        "sheets": sheets or [[]],
    }
    return _compile("badges.typ", data)


def _dates(event) -> str:
    start, end = event.start_date, event.end_date
    if start is None:
        return ""
    if end is None or end == start:
        return f"on {date_format(start, 'j F Y')}"
    return f"from {date_format(start, 'j F Y')} to {date_format(end, 'j F Y')}"


def letters_pdf(
    event, registrations: Sequence, *, signatory: str = "", today: dt.date | None = None
) -> bytes:
    """Invitation letters for visa purposes, one A4 page per registration: the event's title,
    venue and dates, the participant's name (and the name as in the passport, nationality),
    affiliation, country and registration code, signed by `signatory` (one line per line).
    Returns the PDF bytes."""
    today = today or timezone.localdate(timezone=event.tzinfo)
    people = [
        {
            "name": r.name,
            "passport_name": r.passport_name or r.name,
            "nationality": r.nationality,
            "affiliation": r.affiliation,
            "country": r.country,
            "code": r.code,
        }
        for r in registrations
    ]
    lines = [line.strip() for line in signatory.splitlines() if line.strip()]
    data = {
        "title": f"Invitation letters, {event.title}",
        "event": event.title,
        "venue": event.venue,
        "contact": event.contact_email,
        "dates": _dates(event),
        "date": date_format(today, "j F Y"),
        "colour": _colour(event),
        "fonts": SERIF,
        "signatory": lines or [f"The organisers of {event.title}"],
        "people": people,
    }
    return _compile("letters.typ", data)
