"""Markdown + LaTeX maths to safe HTML with MathML: the one renderer for every text field.

Pipeline: markdown-it-py (CommonMark + tables) with mdit-py-plugins' dollarmath for `$...$` and
`$$...$$`; maths converted on the server by latex2mathml; the HTML then sanitised by nh3
(ammonia), which keeps the MathML elements and drops scripts, event handlers and `javascript:`
URLs. Invalid LaTeX is shown as its source with a visible error mark, never an exception.
"""

from __future__ import annotations

import html

import latex2mathml.converter
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "merror", "mpadded", "mphantom", "menclose", "mfenced",
}
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "accent", "accentunder", "columnalign", "rowalign", "columnspacing", "rowspacing", "linethickness",
    "displaystyle", "scriptlevel", "width", "height", "depth", "minsize", "maxsize", "movablelimits",
    "notation", "open", "close", "separators", "symmetric", "largeop", "form", "encoding",
}


def latex_to_mathml(source: str, *, display: bool = False) -> str:
    """Convert one LaTeX formula to a MathML `<math>` string.

    On a formula latex2mathml cannot parse, returns the escaped source in a
    `<span class="math-error">` with a title saying why; never raises.
    """
    try:
        return latex2mathml.converter.convert(source, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many exception types on bad input
        return (
            f'<span class="math-error" title="Invalid LaTeX: {html.escape(str(exc) or type(exc).__name__)}">'
            f"{html.escape(source)}</span>"
        )


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=True,
        allow_digits=False,
        double_inline=True,
        renderer=lambda content, options: latex_to_mathml(
            content, display=bool(options.get("display_mode"))
        ),
    )
    return md


_parser = _make_parser()

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | MATHML_TAGS | {"span", "div", "figure", "figcaption", "details", "summary"}
_ALLOWED_ATTRIBUTES = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in MATHML_TAGS:
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).update(MATHML_ATTRIBUTES)
_ALLOWED_ATTRIBUTES.setdefault("*", set()).update({"id", "class", "title", "lang", "dir"})
_ALLOWED_ATTRIBUTES.setdefault("img", set()).update({"src", "alt", "width", "height", "title"})
_ALLOWED_ATTRIBUTES.setdefault("a", set()).update({"href", "title"})


def sanitize_html(raw: str) -> str:
    """Clean HTML with nh3: keeps text, structure and MathML; drops scripts, handlers, bad URLs."""
    return nh3.clean(
        raw,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> SafeString:
    """Render Markdown with `$...$`/`$$...$$` maths to sanitised HTML (a SafeString)."""
    return mark_safe(sanitize_html(_parser.render(text or "")))  # noqa: S308 - sanitised by nh3


def render_inline(text: str) -> SafeString:
    """Render one line (a title, a name) with maths but without block elements such as <p>."""
    return mark_safe(sanitize_html(_parser.renderInline(text or "")))  # noqa: S308 - sanitised by nh3
