"""Event palettes: WCAG 2.1 contrast, whatever colours the organisers choose."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symposia.events.theme import (
    WHITE,
    contrast_ratio,
    event_palette,
    parse_hex,
    relative_luminance,
    to_hex,
)


def test_known_contrast_ratios():
    assert contrast_ratio((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, WHITE) == pytest.approx(1)
    # #767676 is the classic lightest grey that passes 4.5:1 on white.
    assert contrast_ratio(parse_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)


def test_relative_luminance_of_primaries():
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)


def test_hex_round_trip_and_bad_input():
    assert to_hex(parse_hex("#1D3F72")) == "#1d3f72"
    with pytest.raises(ValueError):
        parse_hex("blue")


def test_default_palette_keeps_the_default_colours():
    palette = event_palette("#1d3f72", "#b8860b")

    assert (palette.brand, palette.brand_ink, palette.on_brand) == ("#1d3f72", "#1d3f72", "#ffffff")
    assert palette.accent_ink != "#b8860b"  # goldenrod is too light for text on white


colours = st.tuples(*[st.integers(0, 255)] * 3).map(to_hex)


@given(primary=colours, accent=colours)
def test_every_palette_reads_at_aa(primary, accent):
    palette = event_palette(primary, accent)

    def ratio(a, b):
        return contrast_ratio(parse_hex(a), parse_hex(b))

    assert ratio(palette.brand_ink, "#ffffff") >= 4.5
    assert ratio(palette.accent_ink, "#ffffff") >= 4.5
    assert ratio(palette.on_accent, palette.accent) >= 4.5
    # The masthead's text reads on both ends of its gradient.
    assert ratio(palette.on_brand, palette.brand) >= 4.5
    assert ratio(palette.on_brand, palette.brand_deep) >= 4.5
