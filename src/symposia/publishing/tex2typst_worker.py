"""A helper process converting LaTeX formulas with tex2typst, so a large book uses two cores.

Reads a JSON array of LaTeX strings on stdin and writes a JSON array of `[true, typst]` or
`[false, reason]` on stdout. Started by `maths.convert_all` as
`python -m symposia.publishing.tex2typst_worker`; a separate program rather than
multiprocessing, which would import the caller's main module again in the child.
"""

from __future__ import annotations

import json
import sys

import tex2typst


def convert(sources: list[str]) -> list[tuple[bool, str]]:
    """(True, Typst maths) or (False, reason) for each LaTeX formula."""
    results = []
    for source in sources:
        try:
            results.append((True, tex2typst.tex2typst(source)))
        except (ValueError, RuntimeError) as exc:
            lines = str(exc).strip().splitlines()
            reason = lines[0].removeprefix("Conversion failed: ").strip() if lines else ""
            results.append((False, reason or "cannot be parsed"))
    return results


def main() -> None:
    sources = json.load(sys.stdin)
    json.dump(convert([str(source) for source in sources]), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
