"""LaTeX to Typst maths, and the scan that keeps evaluated maths free of code."""

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symposia.publishing.maths import (
    MathsError,
    check_typst_math,
    convert_all,
    math_names,
    normalise,
    to_typst,
)

ALLOWED_CODE = re.compile(r"#(none|true|false|auto|left|right|center|top|bottom|horizon|h\()")


@pytest.mark.parametrize(
    ("latex", "typst"),
    [
        ("\\int_0^1 f(x)\\,dx", "integral_0^1 f(x) thin d x"),
        ("\\alpha + \\beta", "alpha + beta"),
        ("\\mathbb{R}^n", "RR^n"),
        ("\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}", "mat(a, b; c, d)"),
        ("\\bigl( x \\bigr)", "(x)"),
        ("\\lVert x \\rVert", "bar.v.double x bar.v.double"),
        ("\\text{if } x > 0", '"if " x > 0'),
    ],
)
def test_conversions(latex, typst):
    assert to_typst(latex) == typst


@pytest.mark.parametrize(
    ("latex", "reason"),
    [
        ("\\frac{", "Unmatched"),
        ("\\foo{x}", "unknown command 'foo'"),
        ("", "empty formula"),
        ("   ", "empty formula"),
    ],
)
def test_failures_say_why(latex, reason):
    with pytest.raises(MathsError, match=reason):
        to_typst(latex)


@pytest.mark.parametrize(
    "latex",
    ['\\text{#read("/etc/passwd")}', '\\text{a" #read("x") "b}', '\\text{a" sym.arrow "b}'],
)
def test_quotes_cannot_smuggle_code_out_of_text(latex):
    """tex2typst leaves quotes in `\\text{}` unescaped: the scan then sees what is outside."""
    with pytest.raises(MathsError):
        to_typst(latex)


def test_normalise_rewrites_what_tex2typst_does_not_know():
    assert normalise("\\Bigl[ x \\Bigr] \\label{eq:1}") == "[ x ]"
    assert normalise("50% \\textbf{bold}") == "50\\% \\text{bold}"
    assert normalise("\\stackrel{d}{=}") == "\\overset{d}{=}"


@pytest.mark.parametrize(
    "code",
    [
        '#read("/etc/passwd")',
        "#set page(width: 1pt)",
        'x #import "a.typ"',
        '#h(1em) #eval("1")',
        "#nonesuch",
    ],
)
def test_code_is_refused(code):
    with pytest.raises(MathsError, match="code in formula"):
        check_typst_math(code)


@pytest.mark.parametrize(
    "code",
    [
        'mat(delim: "[", 1, 0; 0, 1)',
        'op("argmin", limits: #true)_x f',
        "a #h(-math.thin.amount) b",
        "a #h(1em) b",
        '"#read(\\"x\\")"',
        "x \\# y",
        "x2 + 3y",
    ],
)
def test_tex2typst_output_is_accepted(code):
    check_typst_math(code, names=math_names() | {"x2"})


def test_unknown_names_and_broken_strings_are_refused():
    with pytest.raises(MathsError, match="unknown command 'foo'"):
        check_typst_math("foo(x)")
    with pytest.raises(MathsError, match="unterminated"):
        check_typst_math('"abc')


def test_math_names_come_from_typst():
    names = math_names()
    assert {"frac", "alpha", "integral", "mat", "RR"} <= names
    assert "read" not in names


def test_convert_all_keeps_order_and_errors():
    results = convert_all(["\\alpha", "\\frac{", "\\alpha"])

    assert results[0] == results[2] == "alpha"
    assert isinstance(results[1], MathsError)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\{}^_#$%&()[]\"'ab1 frac text read")), max_size=40))
def test_any_input_converts_or_fails_cleanly_and_never_carries_code(latex):
    try:
        converted = to_typst(latex)
    except MathsError:
        return
    # Outside strings and escapes, a "#" may only start the constants and spaces allowed.
    outside = re.sub(r'"(?:\\.|[^"\\])*"|\\.', " ", converted)
    for match in re.finditer("#", outside):
        assert ALLOWED_CODE.match(outside, match.start()), converted


def test_shared_conversion_matches_serial(caplog):
    formulas = [f"\\frac{{a_{{{n}}}}}{{b}} + \\alpha^{{{n}}}" for n in range(450)] + ["\\frac{"]

    def comparable(results):
        return [str(result) if isinstance(result, MathsError) else result for result in results]

    before = os.times()
    shared = convert_all(formulas, workers=2)
    after = os.times()

    helper_cpu = (after.children_user + after.children_system) - (
        before.children_user + before.children_system
    )
    assert helper_cpu > 0  # a helper process did part of the work...
    assert caplog.records == []  # ...and its answer was used

    assert comparable(shared) == comparable(convert_all(formulas, workers=1))
    assert isinstance(shared[-1], MathsError)
