"""LaTeX maths to Typst maths for the book, with a cheap check that the result is safe to evaluate.

Conversion is done by tex2typst. Its output is evaluated by Typst in math mode, so before use
each formula is scanned (`check_typst_math`): code (`#...`) is refused, and every multi-letter
name must be one Typst's math mode knows (from Typst itself: `dictionary(math)`), which catches
LaTeX macros tex2typst passes through unchanged (`\\foo` becomes the unknown name `foo`). What the
scan cannot see (an unknown symbol modifier, a wrong argument) is caught when the book is
compiled; `book.py` then finds the formula by bisection and prints its source instead.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import typst

from .tex2typst_worker import convert

logger = logging.getLogger(__name__)

# An unescaped percent sign would start a TeX comment; in an abstract it means "per cent".
_BARE_PERCENT = re.compile(r"(?<!\\)%")
# Common LaTeX that tex2typst does not know, rewritten first: (pattern, replacement).
_NORMALISE = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])", ""),  # size hints: Typst sizes itself
        (r"\\(?:label|tag)\*?\{[^{}]*\}|\\(?:nonumber|notag)(?![A-Za-z])", ""),
        (r"\\[lr]Vert(?![A-Za-z])", r"\\|"),
        (r"\\[lr]vert(?![A-Za-z])", "|"),
        (r"\\(?:textbf|textit|textrm|textsf|texttt|textup|emph|mbox)\s*\{", r"\\text{"),
        (r"\\mathbbm\s*\{", r"\\mathbb{"),
        (r"\\stackrel\s*\{", r"\\overset{"),
        (r"\\xrightarrow\s*\{([^{}]*)\}", r"\\overset{\1}{\\longrightarrow}"),
        (r"\\xleftarrow\s*\{([^{}]*)\}", r"\\overset{\1}{\\longleftarrow}"),
        (r"\\aleph(?![A-Za-z])", "\u2135"),
    )
)
# Code tex2typst itself writes, and nothing else: constants and horizontal spaces.
_ALLOWED_CODE = re.compile(
    r"#(?:true|false|none|auto|left|right|center|top|bottom|horizon)(?![\w-])"
    r"|#h\(\s*-?(?:\d+(?:\.\d+)?(?:em|pt|mm|cm|in)|math\.(?:thin|med|thick|quad|wide)\.amount)\s*\)"
)

# Fewer distinct formulas than this convert faster here than a new process starts.
PARALLEL_MIN = 400
MAX_WORKERS = 2
HELPER_TIMEOUT = 300  # seconds; a helper this slow is abandoned and its share done here


class MathsError(ValueError):
    """A formula that cannot be converted or would not be safe to evaluate."""


@functools.cache
def math_names() -> frozenset[str]:
    """Names Typst resolves in math mode (functions such as `frac`, symbols such as `alpha`).

    Asked from the installed Typst once per process, so it matches the compiler in use.
    """
    source = b"#metadata(dictionary(math).keys()) <names>"
    with tempfile.TemporaryDirectory() as root:
        path = f"{root}/names.typ"
        with open(path, "wb") as handle:
            handle.write(source)
        raw = typst.query(path, "<names>", field="value", one=True, ignore_system_fonts=True)
    return frozenset(json.loads(raw))


def to_typst(latex: str) -> str:
    """Convert one LaTeX formula (without dollars) to checked Typst math.

    Raises MathsError with a short reason when tex2typst cannot parse it or the result fails
    `check_typst_math`.
    """
    (result,) = convert_all([latex], workers=1)
    if isinstance(result, MathsError):
        raise result
    return result


def normalise(latex: str) -> str:
    """Rewrite LaTeX tex2typst does not know into equivalents it does (size hints such as
    `\\bigl` dropped, `\\label`/`\\tag` removed, `\\textbf{..}` as `\\text{..}`,
    `\\lVert` as `\\|`, a bare `%` as `\\%`)."""
    source = _BARE_PERCENT.sub(r"\\%", latex.strip())
    for pattern, replacement in _NORMALISE:
        source = pattern.sub(replacement, source)
    return source.strip()


def check_typst_math(code: str, names: frozenset[str] | None = None) -> None:
    """Scan Typst math for what must not or cannot be evaluated.

    Refuses `#` (code mode, the only way to reach functions such as `read`) except the
    constants and spacing tex2typst writes (`#none`, `#h(1em)`), unterminated strings, and
    multi-letter names missing from `names` (default: `math_names()`); a name followed by `:`
    is a named argument (`mat(delim: "[", ...)`) and is not looked up.
    Raises MathsError naming the problem.
    """
    known = math_names() if names is None else names
    position, length = 0, len(code)
    while position < length:
        char = code[position]
        if char == "\\":
            position += 2  # an escaped character is printed literally
        elif char == '"':
            end = position + 1
            while end < length and code[end] != '"':
                end += 2 if code[end] == "\\" else 1
            if end >= length:
                raise MathsError("unterminated text in formula")
            position = end + 1
        elif char == "#":
            allowed = _ALLOWED_CODE.match(code, position)
            if allowed is None:
                raise MathsError("code in formula")
            position = allowed.end()
        elif char.isdigit():
            position += 1
            while position < length and code[position].isdigit():
                position += 1
        elif char.isalpha():
            end = position + 1
            while end < length and (code[end].isalnum()) and code[end] != "_":
                end += 1
            name = code[position:end]
            is_argument_name = code[end:].lstrip(" ").startswith(":")
            if len(name) > 1 and name not in known and not is_argument_name:
                raise MathsError(f"unknown command {name!r}")
            position = end
            # Modifiers (`arrow.r.long`) are left to the compiler.
            while position + 1 < length and code[position] == "." and code[position + 1].isalpha():
                position += 1
                while position < length and code[position].isalnum():
                    position += 1
        else:
            position += 1


def convert_all(formulas: list[str], *, workers: int | None = None) -> list[str | MathsError]:
    """Convert many formulas: for each, its checked Typst maths or the MathsError saying why not.

    Identical formulas are converted once. tex2typst costs about half a millisecond per
    formula, so for `PARALLEL_MIN` distinct formulas or more the work is shared with
    `workers - 1` helper processes (`tex2typst_worker`; default: one per CPU, at most 2);
    should a helper fail, its share is done here.
    """
    sources = {latex: normalise(latex) for latex in formulas}
    distinct = list(dict.fromkeys(source for source in sources.values() if source))
    count = min(workers or os.cpu_count() or 1, MAX_WORKERS)
    converted = dict(zip(distinct, _convert_shared(distinct, count), strict=True))
    names = math_names()
    checked: dict[str, str | MathsError] = {}
    for latex, source in sources.items():
        if not source:
            checked[latex] = MathsError("empty formula")
            continue
        ok, value = converted[source]
        if not ok:
            checked[latex] = MathsError(value)
            continue
        try:
            check_typst_math(value, names)
        except MathsError as exc:
            checked[latex] = exc
        else:
            checked[latex] = value
    return [checked[latex] for latex in formulas]


def _convert_shared(sources: list[str], workers: int) -> list[tuple[bool, str]]:
    if workers < 2 or len(sources) < PARALLEL_MIN:
        return convert(sources)
    size = -(-len(sources) // workers)
    chunks = [sources[start : start + size] for start in range(0, len(sources), size)]
    helpers = []
    try:
        for chunk in chunks[1:]:
            helper = subprocess.Popen(  # noqa: S603 - our own module, run by this interpreter
                [sys.executable, "-m", "symposia.publishing.tex2typst_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": _package_path()},
            )
            helpers.append(helper)
            # The helper reads all input before writing, so this write cannot deadlock.
            helper.stdin.write(json.dumps(chunk).encode())  # type: ignore[union-attr]
            helper.stdin.close()  # type: ignore[union-attr]
        results = convert(chunks[0])
        for helper, chunk in zip(helpers, chunks[1:], strict=True):
            output = helper.stdout.read()  # type: ignore[union-attr]
            helper.wait(timeout=HELPER_TIMEOUT)
            answer = json.loads(output)
            if helper.returncode != 0 or len(answer) != len(chunk):
                raise ValueError("incomplete answer")
            results.extend((bool(ok), str(value)) for ok, value in answer)
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        logger.warning("Maths helper process failed (%s); converting in this process.", exc)
        for helper in helpers:
            helper.kill()
            helper.wait()
        return convert(sources)
    return results


def _package_path() -> str:
    """PYTHONPATH for the helper: where this `symposia` package lives, then the inherited one."""
    here = str(Path(__file__).resolve().parents[2])
    inherited = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join(part for part in (here, inherited) if part)
