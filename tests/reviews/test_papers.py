"""Reading reviewers' papers from BibTeX, CSV and pasted text; the profile page."""

import contextlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from symposia.reviews.models import ReviewerPaper
from symposia.reviews.papers import (
    PaperFormatError,
    clean_tex,
    parse_bibtex,
    parse_csv,
    parse_pasted,
    parse_upload,
)

BIB = r"""
% my papers
@string{jmlr = "J. Mach. Learn. Res."}
@article{a2019,
  author = {Rita Reviewer and Others},
  title = {{B}ayesian inference for $\ell_1$ {penalties}},
  abstract = "We study priors with \'{e}l\'{e}gance {and} sparsity.",
  journal = jmlr,
  year = 2019,
}
@inproceedings{b2020, title = "Optimal " # "transport", year = {2020}}
@comment{ignored @article{x, title={no}} }
@misc{c, note = {no title}}
"""


def test_parse_bibtex():
    assert parse_bibtex(BIB) == [
        (
            "Bayesian inference for $\\ell_1$ penalties",
            "We study priors with élégance and sparsity.",
        ),
        ("Optimal transport", ""),
    ]


@pytest.mark.parametrize(
    "bad, message",
    [
        ("@article{a, title = {open", "Line 1: a “{” in this BibTeX field is never closed."),
        ("@article{a, title {x}}", "expected '='"),
        ('@article{a, title = "x', "Line 1: a quoted BibTeX value is not closed."),
        # The line of the broken entry, not of the end of the file it runs to.
        ("@misc{ok, title={Fine}}\n\n@misc{b,\n  title = {Unclosed\n\n", "Line 4: "),
    ],
)
def test_bad_bibtex_says_why(bad, message):
    with pytest.raises(PaperFormatError, match=message):
        parse_bibtex(bad)


@given(st.text(max_size=300))
def test_bibtex_parser_never_crashes(text):
    with contextlib.suppress(PaperFormatError):
        parse_bibtex(text)


@given(
    st.text(
        alphabet=st.characters(blacklist_characters='{}\\$"@%#', blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=60,
    ).filter(lambda t: t.strip())
)
def test_title_round_trip(title):
    assert parse_bibtex("@article{k, title = {" + title + "}}") == [(" ".join(title.split()), "")]


def test_clean_tex():
    assert clean_tex(r"\emph{Sch\"{o}n} {NN}s $\{x\}$") == "Schön NNs $\\{x\\}$"


def test_parse_csv():
    data = '\ufeffTitle,Abstract\nFirst paper,About $x$\n,skipped\n"Second, with comma",\n'.encode()
    assert parse_csv(data) == [("First paper", "About $x$"), ("Second, with comma", "")]
    with pytest.raises(PaperFormatError, match="title"):
        parse_csv(b"name,abstract\nx,y\n")
    with pytest.raises(PaperFormatError, match="UTF-8"):
        parse_csv(b"title\n\xff\xfe")


def test_parse_pasted():
    assert parse_pasted("Title one\nabstract line\nmore\n\n\nTitle two\n") == [
        ("Title one", "abstract line more"),
        ("Title two", ""),
    ]


def test_parse_upload_by_name_or_content():
    assert parse_upload("x.csv", b"title\nA\n") == [("A", "")]
    assert parse_upload("papers.txt", b"@article{k, title={B}}") == [("B", "")]


def test_profile_page_upload(client, subs, rita, committee):
    client.force_login(rita)
    link = reverse("reviews:profile", kwargs={"event": "mathml2020"})
    upload = SimpleUploadedFile("mine.bib", BIB.encode(), content_type="text/x-bibtex")
    response = client.post(
        link,
        {
            "keywords": "optimal transport, sparsity",
            "pasted": "Pasted paper\nIts abstract",
            "upload": upload,
        },
    )
    assert response.status_code == 302
    assert sorted(ReviewerPaper.objects.values_list("title", flat=True)) == [
        "Bayesian inference for $\\ell_1$ penalties",
        "Optimal transport",
        "Pasted paper",
    ]
    committee["rita"].refresh_from_db()
    assert committee["rita"].keywords == "optimal transport, sparsity"


def test_profile_bad_upload_keeps_typed_text(client, subs, rita, committee):
    client.force_login(rita)
    link = reverse("reviews:profile", kwargs={"event": "mathml2020"})
    upload = SimpleUploadedFile("mine.bib", b"@article{a, title = {open", content_type="text/plain")
    response = client.post(link, {"keywords": "kept keywords", "upload": upload})
    page = response.content.decode()
    assert "Line 1: a “{” in this BibTeX field is never closed." in page
    assert "kept keywords" in page
    assert ReviewerPaper.objects.count() == 0
