"""The sandbox of organiser-written mail templates: only the documented data, no escape hatch."""

import pytest
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from symposia.common import mail_templates as sandbox
from symposia.common.mail_templates import MailTemplateError, TemplateVariable, render

DATA = {
    "submission": {"title": "Gradient flows <b>in</b> $W_2$", "code": "K7QX2MPA"},
    "author": {"name": "Ada Lovelace", "email": "ada@example.org"},
    "event": {"title": "MathML 2020"},
    "reviews": ["Clear.", "Compare with [3]."],
    "confirm_url": "",
}


def test_documented_variables_render():
    source = "Dear {{ author.name }}, {{ submission.code }}: {{ submission.title }}."

    assert render(source, DATA) == ("Dear Ada Lovelace, K7QX2MPA: Gradient flows <b>in</b> $W_2$.")


@pytest.mark.parametrize(
    "source",
    [
        "{{ settings.SECRET_KEY }}",
        "{{ settings }}",
        "{{ request.user }}",
        "{{ csrf_token }}",
        "{{ perms }}",
        "{{ user.password }}",
        "{{ submission.owner.password }}",
        "{{ submission.owner }}",
        "{{ author.user.email }}",
        "{{ event.organisers }}",
        "{{ submission.items }}",
        "{{ submission.keys }}",
        "{{ submission.values }}",
        "{{ submission.get }}",
        "{{ reviews.count }}",
        "{{ reviews.index }}",
        "{{ submission }}",
    ],
)
def test_anything_undocumented_renders_nothing(source):
    assert render(f"[{source}]", DATA) == "[]"


def test_method_lookups_cannot_change_the_data():
    data = {"submission": {"title": "T"}, "reviews": ["a", "b"]}

    render("{{ submission.clear }}{{ submission.pop }}{{ reviews.pop }}{{ reviews.clear }}", data)

    assert render("{{ submission.title }} {{ reviews|length }}", data) == "T 2"


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("{% load static %}", "“{% load %}” is not available"),
        ('{% include "x" %}', "“{% include %}” is not available"),
        ('{% include "/etc/passwd" %}', "“{% include %}” is not available"),
        ('{% extends "base.html" %}', "“{% extends %}” is not available"),
        ("{% block a %}{% endblock %}", "“{% block %}” is not available"),
        ("{% debug %}", "“{% debug %}” is not available"),
        ('{% ssi "/etc/passwd" %}', "“{% ssi %}” is not available"),
        ('{% url "admin:index" %}', "“{% url %}” is not available"),
        ("{% csrf_token %}", "“{% csrf_token %}” is not available"),
        ("{% autoescape off %}x{% endautoescape %}", "“{% autoescape %}” is not available"),
        ("{% widthratio 1 1 100000000 %}", "“{% widthratio %}” is not available"),
        ("{% regroup reviews by x as y %}", "“{% regroup %}” is not available"),
        ("{% lorem 100000 w %}", "“{% lorem %}” is not available"),
        ("{{ ''.__class__ }}", "Could not parse"),
        ("{{ submission.__class__.__mro__ }}", "may not begin with underscores"),
        ("{{ submission._data }}", "may not begin with underscores"),
        ("{{ author.name|center:'999999999' }}", "filter “center” is not available"),
        ("{{ author.name|ljust:'999999999' }}", "filter “ljust” is not available"),
        ("{{ author.name|stringformat:'0999999999d' }}", "filter “stringformat” is not available"),
        ("{{ author.name|add:author.name }}", "filter “add” is not available"),
        ("{{ author.name|safe }}", "filter “safe” is not available"),
        ("{{ reviews|safeseq }}", "filter “safeseq” is not available"),
        ("{{ submission|pprint }}", "filter “pprint” is not available"),
        ("{{ 1|floatformat:'99999' }}", "filter “floatformat” is not available"),
        ("{{ reviews|dictsort:'x' }}", "filter “dictsort” is not available"),
    ],
)
def test_forbidden_tags_filters_and_names_are_syntax_errors(source, fragment):
    with pytest.raises(MailTemplateError) as caught:
        render(source, DATA)

    assert fragment in str(caught.value)


def test_syntax_errors_name_their_line():
    with pytest.raises(MailTemplateError) as caught:
        render(
            "Dear {{ author.name }},\n\n{% if confirm_url %}\nConfirm: {{ confirm_url }}\n", DATA
        )

    assert caught.value.line == 3
    assert str(caught.value).startswith("Line 3: ")
    assert "if" in str(caught.value)


def test_stray_end_tag_is_explained():
    with pytest.raises(MailTemplateError) as caught:
        render("text\n{% endfor %}", DATA)

    assert (
        str(caught.value) == "Line 2: “{% endfor %}” does not close or continue an open tag here."
    )


def test_loops_only_over_provided_lists():
    assert render("{% for r in reviews %}{{ forloop.counter }}. {{ r }}\n{% endfor %}", DATA) == (
        "1. Clear.\n2. Compare with [3].\n"
    )
    assert render("{% for r in missing %}x{% endfor %}", DATA) == ""
    with pytest.raises(MailTemplateError, match="loops only over lists"):
        render("{% for c in submission.title %}{{ c }}{% endfor %}", DATA)
    with pytest.raises(MailTemplateError, match="loops only over lists"):
        render("{% for k in submission %}{{ k }}{% endfor %}", DATA)


def test_nested_loops_are_bounded():
    nested = "{% for a in reviews %}" * 12 + "x" + "{% endfor %}" * 12  # 2**12 iterations

    with pytest.raises(MailTemplateError, match="more than 1000 times"):
        render(nested, DATA)


def test_output_is_bounded():
    data = {"reviews": ["y" * 300] * 400}

    with pytest.raises(MailTemplateError, match="too long"):
        render("{% for r in reviews %}{{ r }}{% endfor %}", data)


def test_source_is_bounded():
    with pytest.raises(MailTemplateError, match="too long"):
        render("x" * (sandbox.MAX_SOURCE + 1), DATA)


def test_plain_text_is_not_escaped_and_html_is():
    data = {"author": {"name": mark_safe("<script>alert(1)</script> & Co")}}

    assert render("{{ author.name }}", data) == "<script>alert(1)</script> & Co"
    assert render("{{ author.name }}", data, autoescape=True) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
    )


def test_only_plain_data_enters_the_context(django_user_model, db):
    user = django_user_model(email="x@example.org")

    with pytest.raises(TypeError):
        render("{{ user.password }}", {"user": user})
    with pytest.raises(TypeError):
        render("{{ f }}", {"f": render})
    with pytest.raises(TypeError):
        render("{{ x }}", {"x": {"_private": 1}})


def test_lists_render_as_comma_separated_text():
    assert render("{{ names }}", {"names": ["Ada", "Alan"]}) == "Ada, Alan"


def test_render_mail_makes_the_subject_one_line():
    mail = sandbox.render_mail("Re: {{ t }}\nBcc: x@evil.example", "Body  \n", {"t": "a\r\nb"})

    assert mail.subject == "Re: a b Bcc: x@evil.example"
    assert mail.body == "Body\n"


def test_render_mail_says_which_part_is_wrong():
    with pytest.raises(MailTemplateError, match=r"^Subject: Line 1: "):
        sandbox.render_mail("{% if %}", "fine", {})
    with pytest.raises(MailTemplateError, match=r"^Body: Line 2: "):
        sandbox.render_mail("fine", "a\n{{ x|nope }}", {})


def test_sample_data_nests_dotted_names():
    variables = [
        TemplateVariable("a.b", "", "1"),
        TemplateVariable("a.c", "", "2"),
        TemplateVariable("d", "", ["x"]),
    ]

    assert render("{{ a.b }}{{ a.c }}{{ d }}", sandbox.sample_data(variables)) == "12x"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("{}%# |:.'\"abforinendx_0123456789\n")), max_size=80))
def test_any_text_renders_or_fails_cleanly(source):
    try:
        result = render(source, DATA)
    except MailTemplateError:
        return
    assert isinstance(result, str)
