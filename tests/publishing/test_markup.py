"""Abstracts' Markdown + maths parsed into the tree the writers print."""

from symposia.publishing.markup import (
    inline_text,
    iter_maths,
    parse_blocks,
    parse_inline,
    plain_text,
)

ABSTRACT = """We show $x^2$ and $$y$$ *inline*.

$$
\\sum_n a_n
$$

- one [link](https://example.org)
- two `code`
  1. nested **bold**

> quoted

    code block

<b>raw html</b> #set page(width: 1pt)"""


def test_blocks():
    assert parse_blocks(ABSTRACT) == [
        [
            "para",
            [
                ["text", "We show "],
                ["math", "x^2"],
                ["text", " and "],
                ["dmath", "y"],
                ["text", " "],
                ["emph", [["text", "inline"]]],
                ["text", "."],
            ],
        ],
        ["math", "\\sum_n a_n"],
        [
            "list",
            False,
            1,
            [
                [["para", [["text", "one "], ["link", "https://example.org", [["text", "link"]]]]]],
                [
                    ["para", [["text", "two "], ["code", "code"]]],
                    [
                        "list",
                        True,
                        1,
                        [[["para", [["text", "nested "], ["strong", [["text", "bold"]]]]]]],
                    ],
                ],
            ],
        ],
        ["quote", [["para", [["text", "quoted"]]]]],
        ["code", "code block"],
        ["para", [["text", "<b>raw html</b> #set page(width: 1pt)"]]],
    ]


def test_inline_title_keeps_block_syntax_as_text():
    assert parse_inline("# Not a heading with $\\alpha$") == [
        ["text", "# Not a heading with "],
        ["math", "\\alpha"],
    ]
    assert parse_inline("- not a list") == [["text", "- not a list"]]


def test_plain_text_for_calendars():
    assert plain_text(parse_blocks(ABSTRACT)) == (
        "We show $x^2$ and $$y$$ inline.\n\n"
        "$$\\sum_n a_n$$\n\n"
        "- one link <https://example.org>\n"
        "- two code\n"
        "  1. nested bold\n\n"
        "> quoted\n\n"
        "code block\n\n"
        "<b>raw html</b> #set page(width: 1pt)"
    )


def test_inline_text_of_a_link_equal_to_its_address():
    assert inline_text(parse_inline("<https://example.org>")) == "https://example.org"


def test_iter_maths_in_document_order():
    assert [node[1] for node in iter_maths(parse_blocks(ABSTRACT))] == ["x^2", "y", "\\sum_n a_n"]


def test_empty_and_none():
    assert parse_blocks("") == []
    assert parse_inline("") == []
