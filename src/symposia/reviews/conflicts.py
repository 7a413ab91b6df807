"""Automatic detection of conflicts of interest between committee members and submissions.

Rules (each gives a Conflict row with its own source, status "detected"):

* author: the reviewer is an author of the submission (by account or email address);
* affiliation: the reviewer's affiliation equals an author's after `normalise_affiliation`;
* email_domain: the reviewer's registrable email domain equals an author's
  (`registrable_domain`), unless it is a public mail provider (PUBLIC_MAIL_DOMAINS);
* coauthor: the reviewer and one of the submission's authors are authors together on another
  submission of the same event.

The normalising functions are Django-free and pure; `detect` reads the event's data and
returns the conflicts found without saving them (reviews.domain.detect_conflicts saves them).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .enums import ConflictSource

#: Free mail providers: sharing one says nothing about the people. Domains are compared
#: after `registrable_domain`, so subdomains such as mail.yahoo.com are covered.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "hotmail.fr",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "yahoo.fr",
        "ymail.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "gmx.de",
        "gmx.net",
        "gmx.com",
        "web.de",
        "t-online.de",
        "freenet.de",
        "mail.ru",
        "yandex.ru",
        "yandex.com",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "foxmail.com",
        "naver.com",
        "daum.net",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "libero.it",
        "zoho.com",
        "fastmail.com",
        "tutanota.com",
        "hey.com",
        "example.org",
        "example.com",
        "example.net",
    }
)

#: Second-level labels under which organisations register (university.ac.uk, firm.co.jp).
_SECOND_LEVEL = frozenset(
    {"ac", "co", "com", "edu", "gov", "net", "org", "or", "ne", "go", "res", "sch", "nhs", "mil"}
)

_ABBREVIATIONS = {
    "univ": "university",
    "uni": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universita": "university",
    "universidad": "university",
    "universidade": "university",
    "universiteit": "university",
    "inst": "institute",
    "institut": "institute",
    "instituto": "institute",
    "istituto": "institute",
    "tech": "technology",
    "natl": "national",
    "nat": "national",
    "lab": "laboratory",
    "labs": "laboratory",
    "laboratories": "laboratory",
    "dept": "department",
    "ctr": "center",
    "centre": "center",
    "coll": "college",
    "st": "saint",
}
_STOP_WORDS = frozenset(
    {"the", "of", "de", "di", "du", "der", "des", "la", "le", "and", "at", "in"}
)
_UNIT_PREFIX = re.compile(
    r"^\s*(?:the\s+)?(?:dep(?:artmen)?t\.?|department|school|faculty|division|chair|group|"
    r"lab(?:oratory)?|institute|centre|center)\s+(?:of|for)\s+[^,;]*[,;]\s*",
    re.IGNORECASE,
)


def _fold(text: str) -> str:
    """Casefolded text without accents (NFKD, combining marks dropped)."""
    # Compatibility forms (𝓐, ﬁ) decompose to letters that still need casefolding.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_affiliation(text: str) -> str:
    """A comparable form of an affiliation: 'Dept. of Maths, The Univ. of Bath' ->
    'university bath'.

    Leading organisational units ('Department of X,', 'School of Y,') are dropped, then the
    text is casefolded, accents removed, punctuation turned into spaces, common abbreviations
    expanded (Univ. -> university, Inst. -> institute), and 'the', 'of' and similar little
    words dropped. Returns '' for an empty or punctuation-only affiliation.
    """
    text = text or ""
    while True:
        stripped = _UNIT_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    words = re.sub(r"[^\w]+", " ", _fold(text)).split()
    out = []
    for word in words:
        word = _ABBREVIATIONS.get(word, word)
        if word not in _STOP_WORDS:
            out.append(word)
    return " ".join(out)


def email_domain(email: str) -> str:
    """The part after the last '@', lowercased, without a trailing dot ('' if none)."""
    if "@" not in (email or ""):
        return ""
    return email.rsplit("@", 1)[1].strip().lower().rstrip(".")


def registrable_domain(domain: str) -> str:
    """The domain an organisation registered: the last two labels ('maths.bath.ac.uk' ->
    'bath.ac.uk' is three, because 'ac.uk' is a second-level registry), else two
    ('cs.stanford.edu' -> 'stanford.edu'). An approximation of the Public Suffix List
    (publicsuffix.org) for the academic and company domains that matter here."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def institution_domain(email: str) -> str:
    """The registrable domain of `email`, or '' when it is a public mail provider."""
    domain = registrable_domain(email_domain(email))
    if not domain or domain in PUBLIC_MAIL_DOMAINS or email_domain(email) in PUBLIC_MAIL_DOMAINS:
        return ""
    return domain


@dataclass(frozen=True)
class Person:
    """Who a committee member or an author is, for conflict detection."""

    email: str
    affiliation: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class AuthorRow:
    submission_id: int
    person: Person


@dataclass(frozen=True)
class Found:
    submission_id: int
    user_id: int
    source: str
    evidence: str


def detect(members: Iterable[tuple[int, Person]], authors: Iterable[AuthorRow]) -> list[Found]:
    """Conflicts between committee members `(user id, person)` and submission authors.

    Returns one Found per (submission, member, source), in a stable order. Runs in
    O(authors + members + matches) through dictionaries keyed by email, affiliation and domain.
    """
    authors = list(authors)
    by_email: dict[str, set[int]] = defaultdict(set)
    by_user: dict[int, set[int]] = defaultdict(set)
    by_affiliation: dict[str, list[tuple[int, str]]] = defaultdict(list)
    by_domain: dict[str, list[tuple[int, str]]] = defaultdict(list)
    authors_of: dict[int, set[str]] = defaultdict(set)
    for row in authors:
        key = row.person.email.strip().lower()
        by_email[key].add(row.submission_id)
        authors_of[row.submission_id].add(key)
        if row.person.user_id is not None:
            by_user[row.person.user_id].add(row.submission_id)
        affiliation = normalise_affiliation(row.person.affiliation)
        if affiliation:
            by_affiliation[affiliation].append((row.submission_id, row.person.affiliation))
        domain = institution_domain(row.person.email)
        if domain:
            by_domain[domain].append((row.submission_id, domain))
    found: dict[tuple[int, int, str], str] = {}
    for user_id, person in members:
        email = person.email.strip().lower()
        own = by_email.get(email, set()) | by_user.get(user_id, set())
        for submission_id in own:
            found[(submission_id, user_id, ConflictSource.AUTHOR)] = "listed as an author"
        affiliation = normalise_affiliation(person.affiliation)
        for submission_id, text in by_affiliation.get(affiliation, []) if affiliation else []:
            if submission_id not in own:
                found.setdefault(
                    (submission_id, user_id, ConflictSource.AFFILIATION), f"an author is at {text}"
                )
        domain = institution_domain(person.email)
        for submission_id, text in by_domain.get(domain, []) if domain else []:
            if submission_id not in own:
                found.setdefault(
                    (submission_id, user_id, ConflictSource.EMAIL_DOMAIN),
                    f"an author's address is at {text}",
                )
        partners = set().union(*(authors_of[s] for s in own)) - {email} if own else set()
        for partner in partners:
            for submission_id in by_email.get(partner, set()):
                if submission_id not in own:
                    found.setdefault(
                        (submission_id, user_id, ConflictSource.COAUTHOR),
                        "co-author of an author on another submission",
                    )
    return [
        Found(submission_id=s, user_id=u, source=src, evidence=evidence)
        for (s, u, src), evidence in sorted(found.items())
    ]
