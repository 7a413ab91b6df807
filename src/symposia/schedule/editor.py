"""Geometry of the organisers' timetable grid: one day, rooms as columns, 5-minute rows.

The grid is drawn by CSS classes only (`rs-N`/`re-N` for the first and last grid line of a
block, `cs-N` for its column; see static/symposia/schedule-editor.css), since the site's
Content-Security-Policy allows no inline styles.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .enums import SessionKind

MINUTES_PER_ROW = 5
HEADER_ROWS = 1  # grid line 1..2 holds the room names
MAX_COLUMNS = 12


@dataclass
class Block:
    obj: object
    column: int
    row_start: int
    row_end: int
    start: dt.datetime
    end: dt.datetime
    items: list[Block] = field(default_factory=list)
    poster_count: int = 0


@dataclass
class Grid:
    day: dt.date
    zone: dt.tzinfo
    first: dt.datetime
    last: dt.datetime
    columns: list[object]  # Room, or None for sessions without a room
    sessions: list[Block]
    hours: list[tuple[int, dt.datetime]]  # (grid row, local time) for each full hour

    @property
    def row_count(self) -> int:
        return int((self.last - self.first).total_seconds() // 60 // MINUTES_PER_ROW)

    @property
    def end_row(self) -> int:
        return HEADER_ROWS + 1 + self.row_count

    @property
    def column_count(self) -> int:
        return len(self.columns)


def _row(first: dt.datetime, moment: dt.datetime) -> int:
    minutes = (moment - first).total_seconds() / 60
    return HEADER_ROWS + 1 + int(minutes // MINUTES_PER_ROW)


def _row_end(first: dt.datetime, moment: dt.datetime) -> int:
    minutes = (moment - first).total_seconds() / 60
    return HEADER_ROWS + 1 + math.ceil(minutes / MINUTES_PER_ROW)


def build_grid(day: dt.date, zone: dt.tzinfo, sessions, rooms) -> Grid:
    """The grid of `day` (in `zone`) for `sessions` (each with `public_items` or `grid_items`)
    and the event's `rooms` in order. The day runs from the earliest session's hour to the
    latest end's hour (09:00–18:00 when empty), at most 24 hours."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    todays = [s for s in sessions if s.start.astimezone(zone).date() == day]
    if todays:
        first_local = min(s.start for s in todays).astimezone(zone)
        last_local = max(s.end for s in todays).astimezone(zone)
        first = first_local.replace(minute=0, second=0, microsecond=0)
        last = last_local.replace(minute=0, second=0, microsecond=0)
        if last < last_local:
            last += dt.timedelta(hours=1)
    else:
        first = midnight.replace(hour=9)
        last = midnight.replace(hour=18)
    first, last = first.astimezone(dt.UTC), last.astimezone(dt.UTC)
    last = min(last, first + dt.timedelta(hours=24))
    columns: list[object] = list(rooms)[:MAX_COLUMNS]
    if any(s.room_id is None or s.room not in columns for s in todays) or not columns:
        columns.append(None)
    index = {room.pk: number for number, room in enumerate(columns, start=2) if room is not None}
    no_room = len(columns) + 1
    blocks = []
    for session in sorted(todays, key=lambda s: (s.start, s.pk)):
        start = max(session.start, first)
        end = min(session.end, last)
        block = Block(
            obj=session,
            column=index.get(session.room_id, no_room),
            row_start=_row(first, start),
            row_end=max(_row_end(first, end), _row(first, start) + 1),
            start=session.start,
            end=session.end,
        )
        for item in getattr(session, "grid_items", []):
            if session.kind == SessionKind.POSTERS:
                block.poster_count += 1
                continue
            item_start, item_end = max(item.start, first), min(item.end, last)
            if item_end <= item_start:
                continue
            block.items.append(
                Block(
                    obj=item,
                    column=block.column,
                    row_start=_row(first, item_start),
                    row_end=max(_row_end(first, item_end), _row(first, item_start) + 1),
                    start=item.start,
                    end=item.end,
                )
            )
        blocks.append(block)
    hours = []
    moment = first
    while moment < last:
        hours.append((_row(first, moment), moment.astimezone(zone)))
        moment += dt.timedelta(hours=1)
    return Grid(
        day=day,
        zone=zone,
        first=first,
        last=last,
        columns=columns,
        sessions=blocks,
        hours=hours,
    )


def grid_css(max_rows: int = 24 * 60 // MINUTES_PER_ROW + HEADER_ROWS + 2) -> str:
    """The generated part of schedule-editor.css: row, end and column classes."""
    lines = [
        f".rs-{n}{{grid-row-start:{n}}}.re-{n}{{grid-row-end:{n}}}" for n in range(1, max_rows)
    ]
    lines += [f".cs-{n}{{grid-column:{n}}}" for n in range(1, MAX_COLUMNS + 3)]
    lines += [
        f".cols-{n}{{grid-template-columns:4.5rem repeat({n},minmax(11rem,1fr))}}"
        for n in range(1, MAX_COLUMNS + 2)
    ]
    return "\n".join(lines) + "\n"
