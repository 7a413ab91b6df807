"""Read the lists of people from a workshop's Markdown page (no Django).

Workshop sites list invited speakers and organisers as bullets under a heading, one person per
bullet: "Name, Affiliation, Country". The first comma-separated part is the name, the last the
country and everything between the affiliation (which may itself hold commas: "University of
California, Berkeley"). A bullet with two parts is read as name and affiliation, one part as
a name alone. Markdown links and emphasis are reduced to their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INVITED = "invited_speaker"
ORGANISER = "organiser"

# Heading text (lower case, without punctuation) -> role.
HEADINGS = {
    "invited participants": INVITED,
    "invited speakers": INVITED,
    "keynote speakers": INVITED,
    "plenary speakers": INVITED,
    "speakers": INVITED,
    "organisers": ORGANISER,
    "organizers": ORGANISER,
    "organising committee": ORGANISER,
    "organizing committee": ORGANISER,
    "scientific committee": ORGANISER,
}

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*\S)\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
_ATTRIBUTES = re.compile(r"\{:[^}]*\}")  # kramdown attribute lists such as {:height="150px"}


@dataclass(frozen=True)
class ListedPerson:
    """One bullet read from a page: role is INVITED or ORGANISER."""

    name: str
    affiliation: str
    country: str
    role: str


def _plain(text: str) -> str:
    text = _ATTRIBUTES.sub("", text)
    text = _LINK.sub(r"\1", text)
    for _ in range(2):
        text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def split_entry(text: str) -> tuple[str, str, str]:
    """("Name", "Affiliation", "Country") from "Name, Affiliation, Country" (see module doc)."""
    parts = [part.strip() for part in _plain(text).split(",")]
    parts = [part for part in parts if part]
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return parts[0], "", ""
    if len(parts) == 2:
        return parts[0], parts[1], ""
    return parts[0], ", ".join(parts[1:-1]), parts[-1]


def parse_people(markdown: str) -> list[ListedPerson]:
    """Every person listed under a known heading (HEADINGS) of `markdown`, in page order.

    A list ends at the next heading. Bullets that yield no name are skipped.
    """
    people: list[ListedPerson] = []
    role: str | None = None
    for line in (markdown or "").splitlines():
        heading = _HEADING.match(line)
        if heading:
            key = re.sub(r"[^\w\s]", "", _plain(heading.group(2))).strip().lower()
            role = HEADINGS.get(key)
            continue
        if role is None:
            continue
        bullet = _BULLET.match(line)
        if not bullet:
            continue
        name, affiliation, country = split_entry(bullet.group(1))
        if name:
            people.append(ListedPerson(name, affiliation, country, role))
    return people
