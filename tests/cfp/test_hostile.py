"""Hostile input of every class: refused with a clear message or rendered inert everywhere."""

import csv
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from symposia.cfp.enums import QuestionKind
from symposia.cfp.models import Question, Submission, SubmissionFile

from .conftest import form_data, pdf_bytes, submit_url

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","click")'
LIVE_MARKUP = re.compile(
    r"<script(?! src=\"/static/symposia/cfp.js\" defer></script>)"
    r"|<img[^>]*onerror|href=\"javascript:",
    re.IGNORECASE,
)


@pytest.fixture
def hostile(client, adam, call, django_capture_on_commit_callbacks):
    """A submission with markup, formulas and scripts in every text field."""
    short = Question.objects.create(event=call.event, label="Short", kind=QuestionKind.SHORT)
    long = Question.objects.create(event=call.event, label="Long", kind=QuestionKind.LONG)
    authors = [
        {
            "name": f"{SCRIPT} Adam",
            "email": "adam@imperial.ac.uk",
            "affiliation": FORMULA,
            "country": "@SUM(1+1)",
            "is_presenting": "on",
        },
        {"name": "+cmd|' /C calc'!A0", "email": "co@example.org", "affiliation": "-2+3"},
    ]
    data = form_data(
        call.event,
        authors=authors,
        title=f"{SCRIPT} title",
        abstract=f"{SCRIPT}\n\n[link](javascript:alert(1)) $\\int_0^1 f(x)\\,dx$",
        keywords=f"{FORMULA}, <b>bold</b>",
    )
    data[f"q_{short.pk}"] = SCRIPT
    data[f"q_{long.pk}"] = FORMULA
    data["pdf"] = SimpleUploadedFile('"><svg onload=alert(1)>.pdf', pdf_bytes(), "application/pdf")
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(call.event), data)
    return Submission.objects.get()


def pages(client, submission):
    kwargs = {"event": "mathml2020", "code": submission.code}
    return {
        "detail": client.get(reverse("cfp:detail", kwargs=kwargs)),
        "receipt": client.get(reverse("cfp:receipt", kwargs={**kwargs, "number": 1})),
        "edit": client.get(reverse("cfp:edit", kwargs=kwargs)),
        "mine": client.get(reverse("cfp:mine", kwargs={"event": "mathml2020"})),
        "call": client.get(reverse("cfp:call", kwargs={"event": "mathml2020"})),
    }


def test_author_pages_render_markup_inert(client, hostile):
    for name, response in pages(client, hostile).items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert not LIVE_MARKUP.search(html), name


def test_organiser_pages_render_markup_inert(client, hostile, alice):
    client.force_login(alice)
    for name in ("cfp:manage_submissions", "cfp:manage"):
        html = client.get(reverse(name, kwargs={"event": "mathml2020"})).content.decode()
        assert not LIVE_MARKUP.search(html), name
    html = client.get(
        reverse("cfp:manage_submission", kwargs={"event": "mathml2020", "code": hostile.code})
    ).content.decode()
    assert not LIVE_MARKUP.search(html)
    assert "&lt;script&gt;" in html  # author names are shown, escaped
    assert "<svg onload" not in html


def test_exports_neutralise_formulas(client, hostile, alice):
    client.force_login(alice)

    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("cfp:manage_csv", kwargs={"event": "mathml2020"})
                ).content.decode("utf-8-sig")
            )
        )
    )
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("cfp:manage_xlsx", kwargs={"event": "mathml2020"})).content)
    ).active

    for row in [*csv_rows[1:], *[list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]]:
        for cell in row:
            assert not str(cell).startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert any(cell == "'" + FORMULA for cell in csv_rows[1])
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_mails_are_plain_text_only(hostile):
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.alternatives == []
        assert "\n" not in message.subject


def test_null_bytes_are_refused_next_to_the_field(client, adam, call):
    client.force_login(adam)
    data = form_data(call.event, title="Bad\x00title", abstract="Abs\x00tract", keywords="k\x00")

    response = client.post(submit_url(call.event), data)

    errors = response.context["form"].errors
    assert errors["title"] == ["Null characters are not allowed."]
    assert errors["abstract"] == ["Null characters are not allowed."]
    assert errors["keywords"] == ["Null characters are not allowed."]
    assert not Submission.objects.exists()


def test_null_byte_in_author_name_is_refused(client, adam, call):
    client.force_login(adam)
    authors = [{"name": "A\x00", "email": "a@example.org", "is_presenting": "on"}]

    response = client.post(submit_url(call.event), form_data(call.event, authors=authors))

    assert response.context["authors"].forms[0].errors["name"] == [
        "Null characters are not allowed."
    ]


def test_control_and_bidi_characters_are_removed(client, adam, call):
    client.force_login(adam)
    data = form_data(
        call.event,
        title="Safe\u202e\u2066 title\x07\x1b",
        abstract="Line\u202e one\r\nLine two\x0c",
        keywords="a\u2067b, c",
    )

    client.post(submit_url(call.event), data)

    submission = Submission.objects.get()
    assert submission.title == "Safe title"
    assert submission.abstract == "Line one\nLine two"
    assert submission.keywords == "ab, c"


@pytest.mark.parametrize(
    ("field", "size", "message"),
    [
        ("title", 301, "Ensure this value has at most 300 characters (it has 301)."),
        ("abstract", 20_001, "Ensure this value has at most 20000 characters (it has 20001)."),
        ("keywords", 501, "Ensure this value has at most 500 characters (it has 501)."),
    ],
)
def test_oversized_text_is_refused_and_kept(client, adam, call, field, size, message):
    client.force_login(adam)

    response = client.post(submit_url(call.event), form_data(call.event, **{field: "x" * size}))

    assert response.context["form"].errors[field] == [message]
    assert response.context["form"][field].value() == "x" * size


def test_too_many_keywords(client, adam, call):
    client.force_login(adam)

    response = client.post(
        submit_url(call.event), form_data(call.event, keywords=",".join("k" * 13))
    )

    assert response.context["form"].errors["keywords"] == ["At most 12 keywords."]


def test_html_file_named_pdf_is_refused_and_the_text_kept(client, adam, call):
    client.force_login(adam)
    fake = SimpleUploadedFile(
        "poster.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
    )

    response = client.post(
        submit_url(call.event), {**form_data(call.event, title="Keep me"), "pdf": fake}
    )

    html = response.content.decode()
    assert response.context["form"].errors["pdf"] == [
        "This file is not a PDF (its content does not start with %PDF-)."
    ]
    assert 'value="Keep me"' in html
    assert not SubmissionFile.objects.exists()
    assert not Submission.objects.filter(state="submitted").exists()


def test_oversized_file_is_refused(client, adam, call):
    client.force_login(adam)
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024)
    upload = SimpleUploadedFile("big.pdf", big, "application/pdf")

    response = client.post(submit_url(call.event), {**form_data(call.event), "pdf": upload})

    assert response.context["form"].errors["pdf"] == [
        "The file is larger than the limit of 1.0 MB."
    ]


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd.pdf",
        "CON.pdf",
        "a" * 300 + ".pdf",
        "名前 файл.pdf",
        "x\x00y.pdf",
        ".pdf",
    ],
)
def test_odd_file_names_are_stored_under_a_generated_name(client, adam, call, name):
    client.force_login(adam)
    upload = SimpleUploadedFile(name, pdf_bytes(), "application/pdf")

    client.post(submit_url(call.event), {**form_data(call.event), "pdf": upload})

    stored = SubmissionFile.objects.get()
    assert re.fullmatch(r"cfp/mathml2020/[0-9a-f]{32}\.pdf", stored.file.name)
    assert "/" not in stored.original_name and "\x00" not in stored.original_name
    assert len(stored.original_name) <= 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"contribution_type": "abc"},
        {"contribution_type": "999999"},
        {"track": "-1"},
        {"idempotency_key": "not-a-uuid"},
        {"authors-TOTAL_FORMS": "abc"},
        {"authors-TOTAL_FORMS": "100000"},
        {"pending_file": "abc"},
        {"action": "delete-everything"},
        {"q_99999": "x"},
    ],
)
def test_tampered_forms_never_give_500(client, adam, call, overrides):
    client.force_login(adam)

    response = client.post(submit_url(call.event), form_data(call.event, **overrides))

    assert response.status_code in (200, 302)


def test_track_of_another_event_is_refused(client, adam, call):
    from symposia.cfp.models import Track
    from symposia.events.models import Event

    other = Track.objects.create(event=Event.objects.create(slug="other", title="Other"), name="X")
    client.force_login(adam)

    response = client.post(submit_url(call.event), form_data(call.event, track=str(other.pk)))

    assert "Select a valid choice" in response.context["form"].errors["track"][0]


def test_pending_file_of_another_submission_is_ignored(client, adam, petra, call, hostile):
    foreign = SubmissionFile.objects.get()
    client.force_login(petra)

    client.post(submit_url(call.event), form_data(call.event, pending_file=str(foreign.pk)))

    mine = Submission.objects.get(owner=petra)
    assert mine.pdf is None


def test_preview_of_huge_or_null_text_is_harmless(client, adam, call):
    client.force_login(adam)
    url = reverse("cfp:preview", kwargs={"event": "mathml2020"})

    response = client.post(url, {"text": "a\x00b " + "$x$ " * 50_000})

    assert response.status_code == 200
    assert "\x00" not in response.json()["html"]


def test_autosave_with_garbage_is_harmless(client, adam, call):
    client.force_login(adam)
    url = reverse("cfp:autosave", kwargs={"event": "mathml2020"})

    response = client.post(url, {"idempotency_key": "zzz", "title": "\x00"})

    assert response.status_code == 200
    assert response.json()["saved"] is False
    assert not Submission.objects.exists()
