"""Geometry of the editor's grid."""

from symposia.schedule import domain
from symposia.schedule.editor import build_grid, grid_css

from .conftest import DAY, LONDON, at


def test_grid_spans_whole_hours_and_places_sessions_by_room(event, room, morning):
    other = domain.save_room(event, name="Seminar room", position=1)
    late = domain.save_session(event, title="Late", start=at(16, 10), end=at(17, 5), room=other)
    loose = domain.save_session(event, title="Nowhere", start=at(12), end=at(12, 30))
    for session in (morning, late, loose):
        session.grid_items = []
    grid = build_grid(DAY, LONDON, [morning, late, loose], [room, other])
    assert (grid.first.astimezone(LONDON).hour, grid.last.astimezone(LONDON).hour) == (9, 18)
    assert grid.columns == [room, other, None]
    blocks = {b.obj.title: (b.column, b.row_start, b.row_end) for b in grid.sessions}
    assert blocks == {
        "Morning session": (2, 2, 20),
        "Late": (3, 2 + 86, 2 + 97),  # 16:10 is 86 rows of 5 minutes after 09:00
        "Nowhere": (4, 2 + 36, 2 + 42),
    }
    assert grid.hours[0][0] == 2 and grid.hours[1][0] == 14


def test_empty_day_shows_office_hours(event, room):
    grid = build_grid(DAY, LONDON, [], [room])
    assert (grid.first.astimezone(LONDON).hour, grid.last.astimezone(LONDON).hour) == (9, 18)


def test_the_stylesheet_holds_the_generated_classes():
    from pathlib import Path

    css = (
        Path(__file__).resolve().parents[2] / "src/symposia/static/symposia/schedule-editor.css"
    ).read_text()
    assert css.endswith(grid_css())
