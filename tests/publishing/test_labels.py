"""Wording of the books: dates, the line under each abstract, author index order."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from symposia.publishing.data import Item, ItemKind, Person, ProgrammeEvent, Room
from symposia.publishing.labels import format_dates, item_line, name_sort_key, presenting

EVENT = ProgrammeEvent(
    slug="mathml2020", title="M", timezone="Europe/London", start=date(2026, 10, 24),
    end=date(2026, 10, 26),
)  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 9, 14), date(2026, 9, 14), "14 September 2026"),
        (date(2026, 9, 14), date(2026, 9, 16), "14–16 September 2026"),
        (date(2026, 9, 30), date(2026, 10, 2), "30 September – 2 October 2026"),
        (date(2026, 12, 30), date(2027, 1, 2), "30 December 2026 – 2 January 2027"),
    ],
)
def test_format_dates(start, end, expected):
    assert format_dates(start, end) == expected


def test_item_line_in_the_event_zone():
    start = datetime(2026, 10, 25, 9, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 GMT, after the change
    item = Item(
        id=1,
        title="T",
        kind=ItemKind.POSTER,
        session="Poster session",
        room=Room("Foyer"),
        board="P12",
        start=start,
        end=start.replace(hour=11),
    )

    assert item_line(EVENT, item) == (
        "Poster · Poster session · Foyer · Sunday 25 October, 09:00–11:00 · Board P12"
    )
    assert item_line(EVENT, Item(id=2, title="T")) == "Contributed talk"


def test_index_order_is_by_family_name_without_accents():
    names = ["Zoë Ångström", "Anna Zeller", "Émile Borel", "李小龍", "Дмитрий Иванов"]

    assert sorted(names, key=name_sort_key) == [
        "Zoë Ångström",
        "Émile Borel",
        "Anna Zeller",
        "Дмитрий Иванов",
        "李小龍",
    ]
    assert name_sort_key("Zoë Ångström") == "angstrom zoe"


def test_presenting_author_only_among_several():
    zoe, lee = Person("Zoë Ångström", id=1), Person("李小龍", id=2)
    pair = Item(id=1, title="T", authors=[zoe, lee], speakers=[Person("Someone", id=2)])
    alone = Item(id=2, title="T", authors=[zoe], speakers=[zoe])

    assert [presenting(person, pair) for person in pair.authors] == [False, True]
    assert presenting(zoe, alone) is False
