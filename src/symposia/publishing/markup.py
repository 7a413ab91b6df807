"""Abstracts' Markdown + LaTeX maths as a small tree of data, for the PDF, LaTeX and plain text.

Parsing follows the site's renderer (`common/markup.py`): CommonMark by markdown-it-py with
mdit-py-plugins' dollarmath for `$...$` (inline) and `$$...$$` (display). Instead of HTML the
result is a JSON-ready tree, so each writer decides how to print it and user text is never
interpreted as markup of the target language.

Inline nodes (lists):
    ["text", str]             literal text (also raw HTML, printed as typed)
    ["emph", [inline]]        ["strong", [inline]]
    ["code", str]             inline code
    ["link", href, [inline]]
    ["math", latex]           inline maths;   ["dmath", latex]: display maths inside a paragraph
    ["break"]                 hard line break
Block nodes (lists):
    ["para", [inline]]        ["heading", [inline]]
    ["list", ordered, start, [[block], ...]]
    ["code", str]             ["quote", [block]]
    ["math", latex]           display maths
    ["rule"]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

Node = list[Any]


def _make_parser() -> MarkdownIt:
    # Deeper nesting than the preset's 20 levels is kept (and flattened later), not dropped.
    options = {"html": True, "linkify": False, "typographer": False, "maxNesting": 100}
    md = MarkdownIt("commonmark", options)
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=True,
        allow_digits=False,
        double_inline=True,
    )
    return md


_parser = _make_parser()

_INLINE_CONTAINERS = {"em_open": "emph", "strong_open": "strong"}


def _inline(children: list) -> list[Node]:
    """Turn markdown-it inline tokens into inline nodes (adjacent text merged)."""
    root: list[Node] = []
    stack: list[list[Node]] = [root]

    def emit(node: Node) -> None:
        target = stack[-1]
        if node[0] == "text" and target and target[-1][0] == "text":
            target[-1] = ["text", target[-1][1] + node[1]]
        elif node[0] != "text" or node[1]:
            target.append(node)

    for token in children:
        kind = token.type
        if kind in ("text", "html_inline"):
            emit(["text", token.content])
        elif kind == "softbreak":
            emit(["text", " "])
        elif kind == "hardbreak":
            emit(["break"])
        elif kind == "code_inline":
            emit(["code", token.content])
        elif kind == "math_inline":
            emit(["math", token.content.strip()])
        elif kind == "math_inline_double":
            emit(["dmath", token.content.strip()])
        elif kind in _INLINE_CONTAINERS:
            node: Node = [_INLINE_CONTAINERS[kind], []]
            emit(node)
            stack.append(node[1])
        elif kind == "link_open":
            node = ["link", str(token.attrs.get("href", "")), []]
            emit(node)
            stack.append(node[2])
        elif kind in ("em_close", "strong_close", "link_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            # An image cannot be printed from an abstract; its alternative text stands in.
            alt = "".join(child.content for child in token.children or [])
            emit(["text", alt])
        else:
            emit(["text", token.content])
    return root


def parse_inline(text: str) -> list[Node]:
    """Parse one line (a title) into inline nodes; block syntax is kept as literal text."""
    tokens = _parser.parseInline(text or "")
    children: list = []
    for token in tokens:
        children.extend(token.children or [])
    return _inline(children)


def parse_blocks(text: str) -> list[Node]:
    """Parse Markdown with maths into block nodes (see the module docstring for their shape)."""
    result: list[Node] = []
    stack: list[list] = [result]
    pending = "para"
    for token in _parser.parse(text or ""):
        kind = token.type
        if kind == "paragraph_open":
            pending = "para"
        elif kind == "heading_open":
            pending = "heading"
        elif kind == "inline":
            stack[-1].append([pending, _inline(token.children or [])])
            pending = "para"
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1) or 1) if ordered else 1
            node: Node = ["list", ordered, start, []]
            stack[-1].append(node)
            stack.append(node[3])
        elif kind == "list_item_open":
            entry: list[Node] = []
            stack[-1].append(entry)
            stack.append(entry)
        elif kind == "blockquote_open":
            node = ["quote", []]
            stack[-1].append(node)
            stack.append(node[1])
        elif kind in _CLOSERS:
            stack.pop()
        elif kind in ("code_block", "fence"):
            stack[-1].append(["code", token.content.rstrip("\n")])
        elif kind == "math_block":
            stack[-1].append(["math", token.content.strip()])
        elif kind == "hr":
            stack[-1].append(["rule"])
        elif kind == "html_block":
            stack[-1].append(["para", [["text", token.content.rstrip("\n")]]])
    return result


_CLOSERS = {"bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"}


def inline_text(nodes: list[Node]) -> str:
    """Plain text of inline nodes; maths kept as its LaTeX source between dollars."""
    parts: list[str] = []
    for node in nodes:
        kind = node[0]
        if kind in ("text", "code"):
            parts.append(node[1])
        elif kind in ("emph", "strong"):
            parts.append(inline_text(node[1]))
        elif kind == "link":
            label = inline_text(node[2])
            parts.append(label if label == node[1] or not node[1] else f"{label} <{node[1]}>")
        elif kind == "math":
            parts.append(f"${node[1]}$")
        elif kind == "dmath":
            parts.append(f"$${node[1]}$$")
        elif kind == "break":
            parts.append("\n")
    return "".join(parts)


def plain_text(blocks: list[Node], *, indent: str = "") -> str:
    """Plain text of block nodes (for iCal descriptions): paragraphs separated by a blank line,
    list items with "- " or "1. ", maths as LaTeX source between dollars."""
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind in ("para", "heading"):
            out.append(indent + inline_text(block[1]))
        elif kind == "list":
            _, ordered, start, entries = block
            lines = []
            for number, entry in enumerate(entries, start=start):
                marker = f"{number}. " if ordered else "- "
                body = plain_text(entry, indent=indent + " " * len(marker)).lstrip()
                lines.append(indent + marker + body.replace("\n\n", "\n"))
            out.append("\n".join(lines))
        elif kind == "code":
            out.append("\n".join(indent + line for line in block[1].splitlines()))
        elif kind == "quote":
            out.append(plain_text(block[1], indent=indent + "> "))
        elif kind == "math":
            out.append(f"{indent}$${block[1]}$$")
        elif kind == "rule":
            out.append(indent + "---")
    return "\n\n".join(out)


def iter_maths(blocks: list[Node]) -> Iterator[Node]:
    """Yield every maths node (inline, display-in-paragraph and display) in document order."""
    for block in blocks:
        yield from _iter_maths_node(block)


def _iter_maths_node(node: Any) -> Iterator[Node]:
    if isinstance(node, list) and node and isinstance(node[0], str):
        if node[0] in ("math", "dmath"):
            yield node
            return
        for part in node[1:]:
            if isinstance(part, list):
                yield from _iter_maths_node(part)
    elif isinstance(node, list):
        for part in node:
            yield from _iter_maths_node(part)


def limit_depth(blocks: list[Node], max_depth: int, *, _depth: int = 0) -> list[Node]:
    """The same blocks with lists and quotes nested deeper than `max_depth` flattened into
    their content (typesetters limit nesting: LaTeX allows four list levels, Typst a few
    dozen show rules); inline emphasis and links are limited the same way."""
    result: list[Node] = []
    for block in blocks:
        kind = block[0]
        if kind in ("para", "heading"):
            result.append([kind, limit_inline_depth(block[1], max_depth)])
        elif kind == "list":
            _, ordered, start, entries = block
            if _depth >= max_depth:
                for entry in entries:
                    result.extend(limit_depth(entry, max_depth, _depth=_depth))
            else:
                limited = [limit_depth(entry, max_depth, _depth=_depth + 1) for entry in entries]
                result.append(["list", ordered, start, limited])
        elif kind == "quote":
            if _depth >= max_depth:
                result.extend(limit_depth(block[1], max_depth, _depth=_depth))
            else:
                result.append(["quote", limit_depth(block[1], max_depth, _depth=_depth + 1)])
        else:
            result.append(block)
    return result


def limit_inline_depth(nodes: list[Node], max_depth: int, *, _depth: int = 0) -> list[Node]:
    """Inline nodes with emphasis and links nested deeper than `max_depth` flattened."""
    result: list[Node] = []
    for node in nodes:
        kind = node[0]
        if kind in ("emph", "strong", "link"):
            children = node[-1]
            inner = limit_inline_depth(children, max_depth, _depth=_depth + 1)
            if _depth >= max_depth:
                result.extend(inner)
            else:
                result.append([*node[:-1], inner])
        else:
            result.append(node)
    return result
