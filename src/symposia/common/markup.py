"""Markdown + LaTeX maths to safe HTML with MathML: the one renderer for every text field.

The dialect is what a Jekyll site with kramdown (GFM input) publishes, plus maths; organisers'
reference: docs/pages.md.

Pipeline, for each call:

1. Liquid pre-pass: `{% comment %}...{% endcomment %}` removed, `{% raw %}` unwrapped,
   `{{ site.baseurl }}` and the `relative_url`/`absolute_url` filters expanded against the
   event's site root. Any other Liquid is left as text and reported as a warning.
2. markdown-it-py (CommonMark + tables + strikethrough + footnotes + definition lists) with
   mdit-py-plugins' dollarmath for `$...$` (inline) and `$$...$$` (display); the formulas are
   converted on the server by latex2mathml. kramdown inline attribute lists (IAL, `{:key="v"}`,
   `{: .class #id}`) are applied to the image, link or code span before them, or to the block
   above (or below) a line that holds only an IAL; `# Title {#id}` sets a heading id; every
   heading gets a GitHub-style id ("Invited Participants" -> "invited-participants").
3. nh3 (ammonia) sanitising: HTML and MathML kept; scripts, styles, event handlers, frames,
   forms and `javascript:`/`data:` URLs dropped. While sanitising, a link whose target is an
   email address becomes `mailto:` and, when `base_url` is given, relative link and image
   targets are resolved against the event's site root (pages are served at /<event>/<page>/,
   whereas Jekyll served them at /<baseurl>/<page>.html).

Invalid LaTeX is shown as its source with a visible error mark; nothing here raises on any input.
"""

from __future__ import annotations

import contextvars
import functools
import html
import logging
import posixpath
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only serialises trees built here, parses nothing
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

import latex2mathml.converter
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

logger = logging.getLogger(__name__)

__all__ = [
    "RenderResult",
    "first_heading",
    "heading_slug",
    "latex_to_mathml",
    "parse_ial",
    "render_document",
    "render_html",
    "render_inline",
    "render_markdown",
    "render_markdown_with_warnings",
    "sanitize_html",
]


# --------------------------------------------------------------------------------------------
# Result and per-call context
# --------------------------------------------------------------------------------------------


@dataclass
class RenderResult:
    """What rendering one text produced.

    `html` is sanitised. `warnings` are sentences for the organiser (unsupported Liquid,
    rewritten links, invalid LaTeX), in order of appearance, without duplicates. `images` and
    `links` are the site-relative paths (e.g. 'logo_imi.png', 'docs/guide.pdf') of the local
    images and of the local link targets that matched no page, so an importer can check that
    the files exist; both are empty when no `base_url` was given.
    """

    html: SafeString
    warnings: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


@dataclass
class _Context:
    base_url: str = ""
    page_path: str = ""
    link_map: Mapping[str, str] | None = None
    warnings: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def result(self, html_text: str) -> RenderResult:
        return RenderResult(
            html=mark_safe(html_text),  # noqa: S308 - sanitised by nh3 before reaching here
            warnings=list(self.warnings),
            images=list(dict.fromkeys(self.images)),
            links=list(dict.fromkeys(self.links)),
        )


_current: contextvars.ContextVar[_Context | None] = contextvars.ContextVar(
    "symposia_markup_context", default=None
)


# --------------------------------------------------------------------------------------------
# Maths
# --------------------------------------------------------------------------------------------

# Elements and attributes latex2mathml produces (MathML Core plus a few presentational ones).
# Deliberately absent: maction/actiontype, href, xlink:href, src, style, annotation-xml and
# semantics, which could carry links, scripts or HTML.
MATHML_TAGS = frozenset(
    {
        "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
        "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
        "mstyle", "merror", "mpadded", "mphantom", "menclose", "mfenced",
    }
)  # fmt: skip
MATHML_ATTRIBUTES = frozenset(
    {
        "display", "mathvariant", "mathcolor", "mathbackground", "mathsize", "stretchy",
        "fence", "separator", "lspace", "rspace", "accent", "accentunder", "columnalign",
        "columnlines", "columnspacing", "rowalign", "rowlines", "rowspacing", "frame",
        "linethickness", "displaystyle", "scriptlevel", "width", "height", "depth", "voffset",
        "minsize", "maxsize", "movablelimits", "notation", "open", "close", "separators",
        "symmetric", "largeop", "form", "linebreak",
    }
)  # fmt: skip

# How many children a well-formed element has; latex2mathml builds e.g. an <mfrac> with one
# child for `\frac{1}` instead of failing.
_MATHML_ARITY = {
    "mfrac": 2, "msup": 2, "msub": 2, "msubsup": 3, "mroot": 2, "mover": 2, "munder": 2,
    "munderover": 3,
}  # fmt: skip
_CHAR_REF = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
_MAX_FORMULA = 20_000  # characters; longer formulas are refused rather than converted


class _LatexError(ValueError):
    pass


def _check_and_fix(element: ET.Element) -> None:
    """Validate the tree latex2mathml built and decode its character references in place.

    latex2mathml stores symbols as '&#x...;' text and serialises without escaping, so text
    such as `\\text{a<b}` would come out as markup; decoding here and serialising with
    ElementTree escapes it properly.
    """
    for node in element.iter():
        expected = _MATHML_ARITY.get(node.tag)
        if expected is not None and len(node) != expected:
            raise _LatexError(f"\\{node.tag[1:]}: missing argument")
        if node.text:
            if node.tag in {"mi", "mo"} and _UNKNOWN_COMMAND.fullmatch(node.text):
                raise _LatexError(f"unknown command {node.text}")
            node.text = _CHAR_REF.sub(lambda m: chr(int(m[1], 16)), node.text)


@functools.lru_cache(maxsize=4096)
def _convert_latex(source: str, display: bool) -> tuple[str, str | None]:
    """(MathML string, None), or (error-marked source, error message)."""
    delimiter = "$$" if display else "$"
    try:
        if len(source) > _MAX_FORMULA:
            raise _LatexError(f"formula longer than {_MAX_FORMULA} characters")
        element = latex2mathml.converter.convert_to_element(
            source, display="block" if display else "inline"
        )
        _check_and_fix(element)
        return ET.tostring(element, encoding="unicode"), None
    except Exception as exc:  # latex2mathml raises many exception types (and RecursionError)
        reason = (
            str(exc).strip()
            or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type(exc).__name__.removesuffix("Error")).lower()
        )
        message = f"Invalid LaTeX: {reason}"
        marked = (
            f'<span class="math-error" title="{html.escape(message)}">'
            f"<code>{html.escape(delimiter + source + delimiter)}</code>"
            f' <strong class="math-error-mark">(invalid LaTeX)</strong></span>'
        )
        return marked, message


def latex_to_mathml(source: str, *, display: bool = False) -> str:
    """Convert one LaTeX formula (without its `$` delimiters) to a MathML `<math>` string.

    `display=True` gives `<math display="block">`. A formula latex2mathml cannot parse, one
    with a missing argument (`\\frac{1}`) or an unknown command (`\\foo`) comes back as its
    escaped source in `<span class="math-error">` with a visible "(invalid LaTeX)" mark and a
    title saying why; never raises. The result is not yet sanitised.
    """
    return _convert_latex(str(source), bool(display))[0]


def _math(env: dict, content: str, display: bool) -> str:
    rendered, error = _convert_latex(content.strip(), display)
    ctx = env.get("ctx")
    if error and ctx is not None:
        delimiter = "$$" if display else "$"
        ctx.warn(f"{error}: {delimiter}{content.strip()[:80]}{delimiter}")
    return rendered


def _render_math_inline(self, tokens, idx, options, env) -> str:
    return f'<span class="math inline">{_math(env, tokens[idx].content, False)}</span>'


def _render_math_display_inline(self, tokens, idx, options, env) -> str:
    # `$$...$$` inside a paragraph: display maths, but in a <span> so the <p> stays valid.
    return f'<span class="math display">{_math(env, tokens[idx].content, True)}</span>'


def _render_math_block(self, tokens, idx, options, env) -> str:
    return f'<div class="math display">\n{_math(env, tokens[idx].content, True)}\n</div>\n'


# --------------------------------------------------------------------------------------------
# Liquid (the few tags a Jekyll page may hold)
# --------------------------------------------------------------------------------------------

# Bounded repetitions: an unclosed `{%` must not make the scan quadratic.
_LIQUID = re.compile(
    r"\{%(-?)[ \t\r\n]{0,50}(\w{0,50})(.{0,200}?)(-?)%\}|\{\{(-?)(.{0,200}?)(-?)\}\}", re.DOTALL
)
_END_TAG = {
    "comment": re.compile(r"\{%-?\s*endcomment\s*(-?)%\}"),
    "raw": re.compile(r"\{%-?\s*endraw\s*(-?)%\}"),
}
_URL_FILTER = re.compile(
    r"""\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')\s*\|\s*(?:relative_url|absolute_url)\s*"""
)
# `{{ x }}` only counts as Liquid output when it looks like it ("{{ site.title }}",
# "{{page.url}}", "{{ x | f }}"), so TeX such as `\frac{{a}}{b}` raises no warning.
_LIQUID_LIKE = re.compile(r"\s.*|.*[.|].*", re.DOTALL)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _liquid(text: str, ctx: _Context) -> str:
    """Apply the supported Liquid and report the rest (which stays in the text)."""
    if ("{%" not in text or "%}" not in text) and ("{{" not in text or "}}" not in text):
        return text
    out: list[str] = []
    pos = 0
    strip_next = False
    unclosed: set[str] = set()  # block tags with no end tag after some point

    def emit(chunk: str, *, strip_left: bool) -> None:
        nonlocal strip_next
        if strip_next:
            chunk = chunk.lstrip()
            strip_next = False
        out.append(chunk)
        if strip_left:
            while out and not out[-1].strip():
                out.pop()
            if out:
                out[-1] = out[-1].rstrip()

    while True:
        match = _LIQUID.search(text, pos)
        if match is None:
            break
        line = _line_of(text, match.start())
        if match.group(2) is not None:  # a {% tag %}
            name = match.group(2)
            if name in _END_TAG:
                end = None if name in unclosed else _END_TAG[name].search(text, match.end())
                if end is None:
                    unclosed.add(name)
                    ctx.warn(
                        f"Line {line}: {{% {name} %}} is never closed "
                        f"(add {{% end{name} %}}); the text after it is shown as is."
                    )
                    emit(text[pos : match.end()], strip_left=False)
                    pos = match.end()
                    continue
                emit(text[pos : match.start()], strip_left=bool(match.group(1)))
                if name == "raw":
                    out.append(text[match.end() : end.start()])
                pos = end.end()
                strip_next = bool(end.group(1))
                continue
            ctx.warn(
                f"Line {line}: the Liquid tag {match.group(0)[:80]} is not supported; "
                "it is shown as text."
            )
            emit(text[pos : match.end()], strip_left=False)
            pos = match.end()
            continue
        expression = match.group(6)
        replacement = None
        if ctx.base_url:
            if expression.strip() == "site.baseurl":
                replacement = ctx.base_url.rstrip("/")
            elif filtered := _URL_FILTER.fullmatch(expression):
                target = filtered["dq"] if filtered["dq"] is not None else filtered["sq"]
                replacement = ctx.base_url.rstrip("/") + "/" + target.lstrip("/")
        if replacement is None:
            if _LIQUID_LIKE.fullmatch(expression):
                ctx.warn(
                    f"Line {line}: the Liquid output {match.group(0)[:80]} is not supported; "
                    "it is shown as text."
                )
            emit(text[pos : match.end()], strip_left=False)
        else:
            emit(text[pos : match.start()], strip_left=bool(match.group(5)))
            out.append(replacement)
            strip_next = bool(match.group(7))
        pos = match.end()
    emit(text[pos:], strip_left=False)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# kramdown attribute lists and heading ids
# --------------------------------------------------------------------------------------------

_IAL_ITEM = re.compile(
    r"""\s*(?:
        \#(?P<id>[A-Za-z][\w:.-]*)
      | \.(?P<cls>-?[A-Za-z_][\w-]*)
      | (?P<key>[A-Za-z_:][\w:.-]*)=(?:"(?P<dq>(?:\\.|[^"\\])*)"|'(?P<sq>(?:\\.|[^'\\])*)')
    )""",
    re.VERBOSE,
)
_IAL_ESCAPE = re.compile(r"\\(.)")
_IAL_SPAN = re.compile(r"\{:([^{}\n]*)\}")
_IAL_LINE = re.compile(r"[ \t]*\{:([^{}\n]*)\}[ \t]*")
_HEADING_ID = re.compile(r"[ \t]+\{#([A-Za-z][\w:.-]*)\}[ \t]*$")
_HEADING_IAL = re.compile(r"[ \t]*\{:([^{}\n]*)\}[ \t]*$")


def parse_ial(body: str) -> dict[str, str] | None:
    """Parse the inside of a kramdown IAL (`#id .class key="value" key='value'`).

    Returns the attributes (classes joined by spaces), or None when `body` is not a valid
    IAL; kramdown's attribute list definitions (`{:ref}` references) are not supported.
    Source: kramdown syntax, "Inline Attribute Lists" (kramdown.gettalong.org/syntax.html).
    """
    attrs: dict[str, str] = {}
    classes: list[str] = []
    pos = 0
    while pos < len(body):
        match = _IAL_ITEM.match(body, pos)
        if match is None:
            if body[pos:].strip():
                return None
            break
        if match["id"]:
            attrs["id"] = match["id"]
        elif match["cls"]:
            classes.append(match["cls"])
        else:
            raw = match["dq"] if match["dq"] is not None else match["sq"]
            value = _IAL_ESCAPE.sub(r"\1", raw)
            if match["key"] == "class":
                classes.extend(value.split())
            else:
                attrs[match["key"]] = value
        pos = match.end()
    if not attrs and not classes and body.strip():
        return None
    if classes:
        attrs["class"] = " ".join(dict.fromkeys(classes))
    return attrs


def _apply_attrs(token: Token, attrs: dict[str, str]) -> None:
    for key, value in attrs.items():
        if key == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(key, value)


def _opening(tokens: list[Token], index: int) -> int:
    """Index of the opening token of the block whose last token is at `index`."""
    if tokens[index].nesting != -1:
        return index
    level = 0
    while index >= 0:
        level += tokens[index].nesting
        if level == 0:
            return index
        index -= 1
    return 0


def _ial_inline_rule(state: StateInline, silent: bool) -> bool:
    """`![alt](src){:height="150px"}`: attributes for the element just before."""
    if not state.src.startswith("{:", state.pos) or state.pending or not state.tokens:
        return False
    last = state.tokens[-1]
    if last.type not in {"image", "link_close", "code_inline"}:
        return False
    match = _IAL_SPAN.match(state.src, state.pos)
    if match is None:
        return False
    attrs = parse_ial(match.group(1))
    if attrs is None:
        return False
    if not silent:
        _apply_attrs(state.tokens[_opening(state.tokens, len(state.tokens) - 1)], attrs)
    state.pos = match.end()
    return True


def _block_ials(state: StateCore) -> None:
    """Apply kramdown block IALs: a line `{: .x}` right after a block (no blank line between)
    applies to it; otherwise to the block that follows. A paragraph's last line may be an IAL."""
    tokens = state.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != "inline" or i == 0:
            i += 1
            continue
        parent = tokens[i - 1]
        if parent.type == "heading_open":
            _heading_ial(token, parent)
            i += 1
            continue
        if parent.type != "paragraph_open" or "{:" not in token.content:
            i += 1
            continue
        lines = token.content.split("\n")
        ial_lines = [_IAL_LINE.fullmatch(line) for line in lines]
        parsed = [parse_ial(m.group(1)) if m else None for m in ial_lines]
        if all(p is not None for p in parsed):
            attrs: dict[str, str] = {}
            for item in parsed:
                _merge(attrs, item)
            target = _standalone_target(tokens, i - 1)
            if target is not None:
                _apply_attrs(target, attrs)
            del tokens[i - 1 : i + 2]
            i -= 1
            continue
        children = token.children or []
        if (
            parsed[0] is not None
            and len(children) >= 2
            and _is_line(children[0], children[1], lines[0])
        ):
            del children[:2]
            lines = lines[1:]
            _apply_attrs(parent, parsed[0])
        if (
            parsed[-1] is not None
            and len(children) >= 2
            and _is_line(children[-1], children[-2], lines[-1])
        ):
            del children[-2:]
            lines = lines[:-1]
            # In a tight list the paragraph is not rendered: the IAL is the list's.
            _apply_attrs(_enclosing_list(tokens, i - 1) if parent.hidden else parent, parsed[-1])
        token.content = "\n".join(lines)
        i += 1


def _enclosing_list(tokens: list[Token], start: int) -> Token:
    level = tokens[start].level - 2
    for index in range(start - 1, -1, -1):
        if tokens[index].level == level and tokens[index].nesting == 1:
            return tokens[index]
    return tokens[start]


def _is_line(text: Token, newline: Token, line: str) -> bool:
    """Whether `text` is the whole of `line`, separated from the rest by `newline`."""
    return (
        text.type == "text"
        and text.content.strip() == line.strip()
        and newline.type in {"softbreak", "hardbreak"}
    )


def _merge(attrs: dict[str, str], more: dict[str, str]) -> None:
    for key, value in more.items():
        if key == "class" and "class" in attrs:
            attrs["class"] = f"{attrs['class']} {value}"
        else:
            attrs[key] = value


def _standalone_target(tokens: list[Token], start: int) -> Token | None:
    """The block a standalone IAL paragraph (opening token at `start`) applies to."""
    paragraph = tokens[start]
    if start > 0:
        opening = tokens[_opening(tokens, start - 1)]
        if (
            opening.level == paragraph.level
            and opening.map
            and paragraph.map
            and opening.map[1] == paragraph.map[0]
        ):
            return opening
    after = start + 3
    if (
        after < len(tokens)
        and tokens[after].nesting >= 0
        and tokens[after].level == paragraph.level
    ):
        return tokens[after]
    return None


def _heading_ial(inline: Token, heading: Token) -> None:
    """`# Title {#id}` and `# Title {: .x}` (kramdown header ids and IALs)."""
    content = inline.content
    match = _HEADING_ID.search(content)
    attrs: dict[str, str] | None
    if match:
        attrs = {"id": match.group(1)}
    else:
        match = _HEADING_IAL.search(content)
        attrs = parse_ial(match.group(1)) if match else None
    if match is None or attrs is None:
        return
    children = inline.children or []
    suffix = content[match.start() :]
    if children and children[-1].type == "text" and children[-1].content.endswith(suffix.strip()):
        last = children[-1]
        last.content = last.content[: len(last.content) - len(suffix.strip())].rstrip()
        if not last.content:
            children.pop()
        inline.content = content[: match.start()]
        _apply_attrs(heading, attrs)


_SLUG_DROP = re.compile(r"[^\w\- \t]")


def heading_slug(text: str) -> str:
    """The id kramdown's GFM parser (Jekyll's default) gives a heading with this text.

    Lower case, characters other than letters, digits, '_', '-', space and tab dropped,
    spaces to '-': "Invited Participants" -> "invited-participants". An empty result becomes
    "section" (kramdown's fallback). Source: kramdown-parser-gfm, `generate_gfm_header_id`.
    """
    slug = _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-").replace("\t", "-")
    return slug or "section"


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in {"text", "code_inline", "math_inline", "math_inline_double"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def _heading_ids(state: StateCore) -> None:
    ctx = state.env.get("ctx") if isinstance(state.env, dict) else None
    used: set[str] = ctx.used_ids if ctx is not None else set()
    tokens = state.tokens
    for token in tokens:
        if token.type == "heading_open" and token.attrGet("id"):
            used.add(str(token.attrGet("id")))
    counters: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        base = heading_slug(_plain_text(tokens[index + 1]))
        slug, counter = base, counters.get(base, 0)
        while slug in used:
            counter += 1
            slug = f"{base}-{counter}"
        counters[base] = counter
        used.add(slug)
        token.attrSet("id", slug)


def _table_alignment(state: StateCore) -> None:
    # markdown-it aligns cells with style="text-align:..."; the strict CSP blocks inline
    # styles, so use the (presentational, CSP-free) align attribute instead.
    for token in state.tokens:
        if token.type in {"th_open", "td_open"}:
            style = token.attrGet("style")
            if style and style.startswith("text-align:"):
                token.attrs.pop("style", None)
                token.attrSet("align", style.split(":", 1)[1].strip())


def _kramdown_core(state: StateCore) -> None:
    if state.inlineMode:
        return
    _block_ials(state)
    _heading_ids(state)
    _table_alignment(state)


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_display_inline)
    md.add_render_rule("math_block", _render_math_block)
    md.inline.ruler.push("kramdown_ial", _ial_inline_rule)
    md.core.ruler.push("kramdown", _kramdown_core)
    return md


_parser = _make_parser()
# For text written by one participant and read by another (abstracts, reviews, discussion):
# an image there is fetched by every reader's browser, telling its author who read it, when
# and from where, which would unmask a double-blind reader. `![alt](url)` stays a link.
_parser_without_images = _make_parser().disable("image")


# --------------------------------------------------------------------------------------------
# Sanitising and link resolution
# --------------------------------------------------------------------------------------------

_ALLOWED_TAGS = (
    set(nh3.ALLOWED_TAGS) | MATHML_TAGS | {"section", "dl", "dt", "dd", "abbr", "s", "del"}
)
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()
}
for _tag in MATHML_TAGS:
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).update(MATHML_ATTRIBUTES)
_ALLOWED_ATTRIBUTES.setdefault("*", set()).update({"id", "class", "title", "lang", "dir"})
_ALLOWED_ATTRIBUTES.setdefault("img", set()).update({"src", "alt", "width", "height", "title"})
_ALLOWED_ATTRIBUTES.setdefault("a", set()).update({"href", "title"})
_ALLOWED_ATTRIBUTES.setdefault("ol", set()).update({"start", "reversed"})
_ALLOWED_ATTRIBUTES.setdefault("th", set()).add("align")
_ALLOWED_ATTRIBUTES.setdefault("td", set()).add("align")
_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_EMAIL = re.compile(r"[^\s/@:?#<>\"'()\[\]\\]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _resolve(ctx: _Context, tag: str, attribute: str, value: str) -> str:
    """Rewrite one URL the sanitiser has already accepted (so the scheme is safe)."""
    if tag == "a" and attribute == "href" and _EMAIL.fullmatch(value):
        ctx.warn(
            f"The link target {value} is an email address; it links to mailto:{value} "
            f"(write [text](mailto:{value}) to silence this)."
        )
        return f"mailto:{value}"
    if not ctx.base_url or value.startswith(("#", "//", "?")) or _SCHEME.match(value):
        return value
    parts = urlsplit(value)
    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(ctx.base_url):
            return value
        site_path = path[len(ctx.base_url) :]
    else:
        site_path = posixpath.join(posixpath.dirname(ctx.page_path), path)
    trailing = site_path.endswith("/") or site_path == ""
    site_path = posixpath.normpath(site_path) if site_path else ""
    if site_path in {".", ""}:
        site_path = ""
    elif site_path == ".." or site_path.startswith("../"):
        ctx.warn(f"The target {value} points outside the site.")
        return value
    elif trailing:
        site_path += "/"
    if tag == "img":
        url = ctx.base_url + quote(site_path)
        if site_path:
            ctx.images.append(site_path)
    else:
        mapped = ctx.link_map.get(site_path) if ctx.link_map is not None else None
        if mapped is not None:
            url = mapped
        else:
            url = ctx.base_url + quote(site_path)
            if site_path:
                ctx.links.append(site_path)
    if parts.query:
        url += "?" + parts.query
    if parts.fragment:
        url += "#" + parts.fragment
    return url


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    ctx = _current.get()
    if ctx is None or attribute not in {"href", "src"}:
        return value
    return _resolve(ctx, tag, attribute, value)


_cleaner = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_attribute_filter,
)


_cleaner_without_images = nh3.Cleaner(
    tags=_ALLOWED_TAGS - {"img"},
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_attribute_filter,
)


def sanitize_html(raw: str) -> str:
    """Clean HTML with nh3: keeps text, structure and MathML; drops scripts, styles, event
    handlers, frames, forms, and URLs other than http(s), mailto and tel (so no javascript:
    and no data:). A link whose target is a bare email address becomes mailto:."""
    token = _current.set(_current.get() or _Context())
    try:
        return _cleaner.clean(raw)
    finally:
        _current.reset(token)


def _sanitize(raw: str, ctx: _Context, *, images: bool = True) -> str:
    token = _current.set(ctx)
    try:
        return (_cleaner if images else _cleaner_without_images).clean(raw)
    finally:
        _current.reset(token)


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def _failed(text: str, ctx: _Context) -> RenderResult:
    # A parser bug must not take a page down: show the text, escaped, and say so.
    logger.exception("Markdown rendering failed")
    ctx.warn("This text could not be rendered as Markdown; it is shown as plain text.")
    return ctx.result(f'<pre class="render-error">{html.escape(text)}</pre>')


def render_document(
    text: str,
    *,
    base_url: str = "",
    page_path: str = "",
    link_map: Mapping[str, str] | None = None,
    images: bool = True,
) -> RenderResult:
    """Render Markdown with maths (the dialect of docs/pages.md) to sanitised HTML.

    `base_url` is the URL of the site root the text belongs to (e.g. '/mathml2020/'); with
    it, relative image and link targets resolve against the site root plus the directory of
    `page_path` (the page's path in the site, e.g. 'docs/guide.md'), and links to a path in
    `link_map` (site-relative path -> URL, e.g. 'about.html' -> '/mathml2020/about/') go to
    that URL. Without it, relative targets are left alone. With `images=False` (text by one
    participant for others) no image is shown: `![alt](url)` becomes a link and `<img>` is
    removed, so no reader's browser fetches anything. Never raises.
    """
    ctx = _Context(base_url=base_url, page_path=page_path, link_map=link_map)
    text = str(text or "")
    try:
        source = _liquid(text, ctx)
        parser = _parser if images else _parser_without_images
        raw = parser.render(source, {"ctx": ctx})
        return ctx.result(_sanitize(raw, ctx, images=images))
    except Exception:
        return _failed(text, ctx)


def render_html(
    text: str,
    *,
    base_url: str = "",
    page_path: str = "",
    link_map: Mapping[str, str] | None = None,
) -> RenderResult:
    """Like render_document for a page written in HTML (a Jekyll `.html` page): Liquid
    pre-pass, link resolution and sanitising, but no Markdown and no maths, as in Jekyll."""
    ctx = _Context(base_url=base_url, page_path=page_path, link_map=link_map)
    text = str(text or "")
    try:
        return ctx.result(_sanitize(_liquid(text, ctx), ctx))
    except Exception:
        return _failed(text, ctx)


def render_markdown(
    text: str,
    *,
    base_url: str = "",
    page_path: str = "",
    link_map: Mapping[str, str] | None = None,
    images: bool = True,
) -> SafeString:
    """Render Markdown with `$...$`/`$$...$$` maths to sanitised HTML (a SafeString).

    See render_document for the arguments; never raises.
    """
    return render_document(
        text, base_url=base_url, page_path=page_path, link_map=link_map, images=images
    ).html


def render_markdown_with_warnings(text: str, **options) -> tuple[SafeString, list[str]]:
    """render_markdown plus the warnings for the organiser (unsupported Liquid, rewritten
    links, invalid LaTeX); `options` as for render_document."""
    result = render_document(text, **options)
    return result.html, result.warnings


def render_inline(text: str) -> SafeString:
    """Render one line (a title, a name) with maths but without block elements such as <p>."""
    ctx = _Context()
    text = str(text or "")
    try:
        return mark_safe(_sanitize(_parser.renderInline(text, {"ctx": ctx}), ctx))  # noqa: S308
    except Exception:
        return _failed(text, ctx).html


def first_heading(text: str) -> str:
    """The plain text of the first heading of a Markdown text ('' if none); maths kept as
    `$...$` source, kramdown `{#id}`/IAL suffixes removed."""
    ctx = _Context()
    try:
        tokens = _parser.parse(_liquid(str(text or ""), ctx), {"ctx": ctx})
    except Exception:
        logger.exception("Markdown parsing failed")
        return ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            parts = []
            for child in tokens[index + 1].children or []:
                if child.type == "math_inline":
                    parts.append(f"${child.content}$")
                elif child.type == "math_inline_double":
                    parts.append(f"$${child.content}$$")
                elif child.type in {"text", "code_inline"}:
                    parts.append(child.content)
                elif child.type in {"softbreak", "hardbreak"}:
                    parts.append(" ")
            return "".join(parts).strip()
    return ""
