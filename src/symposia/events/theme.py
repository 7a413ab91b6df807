"""Event branding: derive a readable palette from the organisers' two colours.

Django-free. Contrast follows WCAG 2.1 (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio and
#dfn-relative-luminance): text needs a ratio of at least 4.5:1 against its background (AA), so
a light brand colour is darkened for links and gets dark text on top of it, instead of the
organisers having to know the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]

WHITE: RGB = (255, 255, 255)
INK: RGB = (26, 29, 35)  # the theme's body text colour, #1a1d23
BLACK: RGB = (0, 0, 0)
AA_TEXT = 4.5


def parse_hex(colour: str) -> RGB:
    """'#1d3f72' -> (29, 63, 114). Raises ValueError on anything but #rrggbb."""
    value = colour.strip().lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def to_hex(rgb: RGB) -> str:
    """(29, 63, 114) -> '#1d3f72'."""
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c))) for c in rgb))


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2.1 relative luminance in [0, 1] of an sRGB colour."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2.1 contrast ratio, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: RGB, b: RGB, weight: float) -> RGB:
    """`weight` of `b` mixed into `a` (0 gives a, 1 gives b), per channel in sRGB."""
    return tuple(round(x + (y - x) * weight) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def readable_on(colour: RGB, background: RGB, minimum: float = AA_TEXT) -> RGB:
    """`colour`, darkened towards black just enough to reach `minimum` contrast on `background`.

    Assumes a light background (the theme's paper); returns `colour` unchanged when it already
    passes.
    """
    for step in range(21):
        candidate = mix(colour, BLACK, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return BLACK


def text_on(background: RGB) -> RGB:
    """White, the theme's ink, or black: the first that reaches 4.5:1 on `background`.

    One of white and black always does (their contrasts multiply to 21, so the larger is at
    least sqrt(21) = 4.58).
    """
    for candidate in (WHITE, INK):
        if contrast_ratio(candidate, background) >= AA_TEXT:
            return candidate
    return BLACK


@dataclass(frozen=True)
class Palette:
    """CSS custom properties for one event (values are #rrggbb strings)."""

    brand: str
    brand_deep: str
    brand_ink: str
    brand_soft: str
    on_brand: str
    accent: str
    accent_ink: str
    on_accent: str

    def as_css_variables(self) -> dict[str, str]:
        """{'--brand': '#1d3f72', ...}: names as site.css uses them."""
        return {f"--{name.replace('_', '-')}": value for name, value in self.__dict__.items()}


def event_palette(primary: str, accent: str) -> Palette:
    """The palette site.css reads, from the event's primary and accent colours (#rrggbb).

    - brand / brand-deep: the masthead's background (a gradient between the two), brand-deep
      darker than brand under white text and lighter under dark text;
    - on-brand: text on the masthead (white, else ink, else black: the first that passes);
    - brand-ink: links and headings on white, darkened to 4.5:1 when needed;
    - brand-soft: a pale tint for panels;
    - accent / on-accent / accent-ink: the same for the accent colour.
    """
    brand = parse_hex(primary)
    accent_rgb = parse_hex(accent)
    on_brand = text_on(brand)
    # The masthead's gradient goes away from the text colour, so its text reads on both ends.
    deep = mix(brand, BLACK, 0.25) if on_brand == WHITE else mix(brand, WHITE, 0.25)
    return Palette(
        brand=to_hex(brand),
        brand_deep=to_hex(deep),
        brand_ink=to_hex(readable_on(brand, WHITE)),
        brand_soft=to_hex(mix(brand, WHITE, 0.92)),
        on_brand=to_hex(on_brand),
        accent=to_hex(accent_rgb),
        accent_ink=to_hex(readable_on(accent_rgb, WHITE)),
        on_accent=to_hex(text_on(accent_rgb)),
    )
