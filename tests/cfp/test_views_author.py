"""The author's pages: call page, writing, saving, submitting, editing, withdrawing, files."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from symposia.cfp import domain
from symposia.cfp.enums import PdfRequirement, QuestionKind
from symposia.cfp.models import Question, Submission, SubmissionFile, SubmissionVersion

from .conftest import form_data, pdf_bytes, submit_url


def url(name, submission, **kwargs):
    return reverse(name, kwargs={"event": submission.event.slug, "code": submission.code, **kwargs})


def pdf_upload(name="poster.pdf", data=None):
    return SimpleUploadedFile(name, data if data is not None else pdf_bytes(), "application/pdf")


@pytest.fixture
def submitted(client, adam, call):
    client.force_login(adam)
    client.post(submit_url(call.event), {**form_data(call.event), "pdf": pdf_upload()})
    return Submission.objects.get()


# --- call page -------------------------------------------------------------------------------


def test_call_page_is_public_and_invites_to_sign_in(client, call):
    html = client.get(reverse("cfp:call", kwargs={"event": call.event.slug})).content.decode()

    assert "<strong>posters</strong>" in html
    assert "Sign in to submit" in html
    assert "/accounts/login/?next=/mathml2020/cfp/submit/" in html
    assert "Optimal transport" in html


def test_call_page_without_call_is_404(client, event):
    response = client.get(reverse("cfp:call", kwargs={"event": event.slug}))

    assert response.status_code == 404


def test_call_page_lists_the_visitors_submissions(client, submitted):
    html = client.get(reverse("cfp:call", kwargs={"event": "mathml2020"})).content.decode()

    assert submitted.get_absolute_url() in html
    assert "Start a submission" in html


def test_anonymous_visitor_is_sent_to_log_in(client, call):
    response = client.get(submit_url(call.event))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mathml2020/cfp/submit/"


# --- writing and submitting ------------------------------------------------------------------


def test_new_form_has_the_author_as_presenting_first_author(client, adam, call):
    client.force_login(adam)

    response = client.get(submit_url(call.event))

    authors = response.context["authors"]
    assert authors.initial[0]["email"] == "adam@imperial.ac.uk"
    assert authors.initial[0]["is_presenting"] is True
    assert 'name="idempotency_key"' in response.content.decode()


def test_save_draft_without_javascript(client, adam, call):
    client.force_login(adam)

    response = client.post(
        submit_url(call.event), form_data(call.event, action="save", title="Half done", abstract="")
    )

    draft = Submission.objects.get()
    assert draft.state == "draft"
    assert draft.title == "Half done"
    assert response["Location"] == url("cfp:edit", draft)
    assert SubmissionVersion.objects.count() == 0


def test_submit_redirects_to_the_receipt(client, adam, call, django_capture_on_commit_callbacks):
    client.force_login(adam)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            submit_url(call.event), {**form_data(call.event), "pdf": pdf_upload()}
        )

    submission = Submission.objects.get()
    version = submission.versions.get()
    assert response["Location"] == url("cfp:receipt", submission, number=1)
    receipt = client.get(response["Location"]).content.decode()
    assert submission.code in receipt
    assert version.abstract_sha256 in receipt
    assert submission.pdf.sha256 in receipt
    assert version.pdf_sha256 == submission.pdf.sha256


def test_double_click_or_replay_makes_one_submission(
    client, adam, call, django_capture_on_commit_callbacks
):
    client.force_login(adam)
    data = form_data(call.event)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(submit_url(call.event), data)
        second = client.post(submit_url(call.event), data)

    assert Submission.objects.count() == 1
    assert SubmissionVersion.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_replayed_edit_makes_one_new_version(client, submitted, call):
    data = form_data(call.event, title="Second title")

    client.post(url("cfp:edit", submitted), data)
    client.post(url("cfp:edit", submitted), data)

    assert [v.number for v in submitted.versions.all()] == [1, 2]


def test_edit_keeps_the_history_with_what_changed(client, submitted, call):
    client.post(
        url("cfp:edit", submitted),
        form_data(call.event, title="A sharper title", abstract="New abstract."),
    )

    html = client.get(url("cfp:detail", submitted)).content.decode()

    assert "Version 2" in html and "Version 1" in html
    assert "Title changed" in html
    assert "Abstract changed" in html
    assert "+New abstract." in html
    assert url("cfp:receipt", submitted, number=2) in html


def test_keeps_the_file_when_editing_without_new_upload(client, submitted, call):
    client.post(url("cfp:edit", submitted), form_data(call.event, title="Other"))

    submitted.refresh_from_db()
    assert submitted.pdf is not None
    assert submitted.versions.get(number=2).pdf_sha256 == submitted.pdf.sha256


def test_withdraw(client, submitted):
    page = client.get(url("cfp:withdraw", submitted)).content.decode()

    client.post(url("cfp:withdraw", submitted))

    submitted.refresh_from_db()
    assert "Withdraw submission" in page
    assert submitted.state == "withdrawn"
    assert client.get(url("cfp:edit", submitted))["Location"] == submitted.get_absolute_url()


def test_conflicts_link_only_where_the_conflicts_page_opens(client, submitted, alice):
    # The link once showed on withdrawn submissions and to organisers, and led to a 404.
    conflicts = url("reviews:author_conflicts", submitted)
    detail = submitted.get_absolute_url()

    assert conflicts in client.get(detail).content.decode()
    assert client.get(conflicts).status_code == 200
    client.force_login(alice)
    assert conflicts not in client.get(detail).content.decode()
    client.force_login(submitted.owner)
    client.post(url("cfp:withdraw", submitted))
    assert conflicts not in client.get(detail).content.decode()
    assert client.get(conflicts).status_code == 404


def test_my_submissions_lists_own_and_coauthored(client, submitted, rita):
    client.force_login(rita)  # listed as co-author? no: chen is the co-author in form_data
    assert (
        client.get(reverse("cfp:mine", kwargs={"event": "mathml2020"})).context["submissions"] == []
    )


@pytest.mark.parametrize("count", [1, 3])
def test_my_submissions_query_count(client, adam, call, count, django_assert_num_queries):
    client.force_login(adam)
    for _ in range(count):
        client.post(submit_url(call.event), form_data(call.event))
    mine = reverse("cfp:mine", kwargs={"event": "mathml2020"})

    with django_assert_num_queries(8):
        response = client.get(mine)

    assert len(response.context["submissions"]) == count


# --- bad input keeps everything --------------------------------------------------------------


def test_missing_fields_are_reported_next_to_them_and_input_is_kept(client, adam, call):
    client.force_login(adam)
    data = form_data(call.event, title="", abstract="My $x^2$ abstract text")

    response = client.post(submit_url(call.event), data)

    html = response.content.decode()
    form = response.context["form"]
    assert form.errors["title"] == ["This field is required."]
    assert 'id="id_title_error"' in html
    assert "My $x^2$ abstract text" in html
    assert "Chen Wei 陈伟" in html
    assert Submission.objects.filter(state="submitted").count() == 0


def test_valid_pdf_is_kept_when_the_form_has_errors(client, adam, call):
    client.force_login(adam)
    key = uuid.uuid4()
    data = {**form_data(call.event, title="", key=key), "pdf": pdf_upload("my poster.pdf")}

    html = client.post(submit_url(call.event), data).content.decode()
    retry = client.post(submit_url(call.event), form_data(call.event, key=key))

    submission = Submission.objects.get()
    assert "Current file:" in html and "my poster.pdf" in html
    assert retry.status_code == 302
    assert submission.state == "submitted"
    assert submission.pdf.original_name == "my poster.pdf"


def test_new_pdf_for_submitted_waits_until_the_change_is_submitted(client, submitted, call):
    old = submitted.pdf
    data = {**form_data(call.event, title=""), "pdf": pdf_upload("v2.pdf", pdf_bytes(pages=2))}

    response = client.post(url("cfp:edit", submitted), data)
    pending = SubmissionFile.objects.get(original_name="v2.pdf")
    submitted.refresh_from_db()

    assert "New file waiting to be submitted" in response.content.decode()
    assert submitted.pdf == old
    client.post(url("cfp:edit", submitted), form_data(call.event, pending_file=str(pending.pk)))
    submitted.refresh_from_db()
    assert submitted.pdf == pending


def test_required_pdf(client, adam, call):
    call.pdf_requirement = PdfRequirement.REQUIRED
    call.save()
    client.force_login(adam)

    response = client.post(submit_url(call.event), form_data(call.event))

    assert response.context["form"].errors["pdf"] == ["A PDF is required."]


def test_no_pdf_field_when_the_call_wants_none(client, adam, call):
    call.pdf_requirement = PdfRequirement.NONE
    call.save()
    client.force_login(adam)

    response = client.get(submit_url(call.event))

    assert "pdf" not in response.context["form"].fields


def test_abstract_over_the_word_limit_may_be_saved_but_not_submitted(client, adam, call):
    call.abstract_limit = 5
    call.save()
    client.force_login(adam)
    long = "one two three four five six"

    response = client.post(submit_url(call.event), form_data(call.event, abstract=long))
    client.post(submit_url(call.event), form_data(call.event, abstract=long, action="save"))

    assert response.context["form"].errors["abstract"] == [
        "The abstract has 6 words; the limit is 5 words. "
        "Shorten it to submit (a draft may be longer)."
    ]
    assert Submission.objects.get().state == "draft"


def test_character_limit(client, adam, call):
    call.abstract_limit = 10
    call.abstract_unit = "characters"
    call.save()
    client.force_login(adam)

    response = client.post(submit_url(call.event), form_data(call.event, abstract="12345678901"))

    assert (
        "has 11 characters; the limit is 10 characters"
        in response.context["form"].errors["abstract"][0]
    )


def test_exactly_one_presenting_author(client, adam, call):
    client.force_login(adam)
    authors = [
        {"name": "A", "email": "a@example.org"},
        {"name": "B", "email": "b@example.org"},
    ]

    response = client.post(submit_url(call.event), form_data(call.event, authors=authors))

    assert response.context["authors"].non_form_errors() == [
        "Mark exactly one author as presenting."
    ]


def test_authors_are_stored_in_the_chosen_order(client, adam, call):
    client.force_login(adam)
    authors = [
        {"name": "Second", "email": "b@example.org", "ORDER": "2"},
        {"name": "First", "email": "a@example.org", "ORDER": "1", "is_presenting": "on"},
        {"name": "Removed", "email": "c@example.org", "ORDER": "3", "DELETE": "on"},
    ]

    client.post(submit_url(call.event), form_data(call.event, authors=authors))

    assert [a.name for a in Submission.objects.get().authors.all()] == ["First", "Second"]


def test_custom_questions_of_every_kind(client, adam, call):
    event = call.event
    short = Question.objects.create(
        event=event, label="Short", kind=QuestionKind.SHORT, required=True
    )
    long = Question.objects.create(event=event, label="Long", kind=QuestionKind.LONG)
    choice = Question.objects.create(
        event=event, label="Choice", kind=QuestionKind.CHOICE, options=["A", "B"]
    )
    multiple = Question.objects.create(
        event=event, label="Multiple", kind=QuestionKind.MULTIPLE, options=["X", "Y", "Z"]
    )
    box = Question.objects.create(
        event=event, label="Student?", kind=QuestionKind.CHECKBOX, required=True
    )
    client.force_login(adam)

    missing = client.post(submit_url(call.event), form_data(call.event))
    client.post(
        submit_url(call.event),
        {
            **form_data(call.event),
            f"q_{short.pk}": "yes",
            f"q_{long.pk}": "line 1\r\nline 2",
            f"q_{choice.pk}": "B",
            f"q_{multiple.pk}": ["X", "Z"],
            f"q_{box.pk}": "on",
        },
    )

    errors = missing.context["form"].errors
    assert errors[f"q_{short.pk}"] == ["This field is required."]
    assert errors[f"q_{box.pk}"] == ["This field is required."]
    answers = {a.question.label: a.value for a in Submission.objects.get().answers.all()}
    assert answers == {
        "Short": "yes",
        "Long": "line 1\nline 2",
        "Choice": "B",
        "Multiple": ["X", "Z"],
        "Student?": True,
    }


def test_choice_outside_the_options_is_refused(client, adam, call):
    choice = Question.objects.create(
        event=call.event, label="Choice", kind=QuestionKind.CHOICE, options=["A", "B"]
    )
    client.force_login(adam)

    response = client.post(submit_url(call.event), {**form_data(call.event), f"q_{choice.pk}": "C"})

    assert "Select a valid choice" in response.context["form"].errors[f"q_{choice.pk}"][0]


# --- files -----------------------------------------------------------------------------------


def test_pdf_is_served_only_as_attachment_with_nosniff(client, submitted):
    response = client.get(url("cfp:file", submitted, file_id=submitted.pdf.pk))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{submitted.code}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_pdf_is_stored_under_a_generated_name(submitted):
    name = submitted.pdf.file.name

    assert name.startswith("cfp/mathml2020/") and name.endswith(".pdf")
    assert "poster" not in name


# --- autosave and preview --------------------------------------------------------------------


def test_autosave_creates_one_draft_and_updates_it(client, adam, call):
    client.force_login(adam)
    key = uuid.uuid4()
    endpoint = reverse("cfp:autosave", kwargs={"event": "mathml2020"})

    first = client.post(endpoint, form_data(call.event, key=key, title="Typing…")).json()
    second = client.post(endpoint, form_data(call.event, key=key, title="Typing more")).json()

    draft = Submission.objects.get()
    assert first["saved"] and second["saved"]
    assert first["code"] == second["code"] == draft.code
    assert first["edit_url"] == url("cfp:edit", draft)
    assert draft.title == "Typing more"
    assert draft.state == "draft"


def test_autosave_after_the_session_expired_says_so(client, call):
    response = client.post(
        reverse("cfp:autosave", kwargs={"event": "mathml2020"}), form_data(call.event)
    )

    assert response.status_code == 403
    assert "kept in this browser" in response.json()["error"]


def test_autosave_does_not_touch_a_submitted_contribution(client, submitted, call):
    response = client.post(
        url("cfp:autosave_draft", submitted), form_data(call.event, title="Sneaky")
    )

    submitted.refresh_from_db()
    assert response.json()["saved"] is False
    assert submitted.title != "Sneaky"


def test_preview_renders_maths_and_drops_scripts(client, adam, call):
    client.force_login(adam)

    html = client.post(
        reverse("cfp:preview", kwargs={"event": "mathml2020"}),
        {"text": "$\\int_0^1 f(x)\\,dx$ <script>alert(1)</script>"},
    ).json()["html"]

    assert "<math" in html and "∫" in html
    assert "<script" not in html


def test_form_page_loads_the_script_without_inline_code(client, adam, call):
    client.force_login(adam)

    html = client.get(submit_url(call.event)).content.decode()

    assert '<script src="/static/symposia/cfp.js" defer></script>' in html
    assert "<script>" not in html and " onclick=" not in html


# --- who may see what ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cfp:detail", "cfp:edit", "cfp:withdraw", "cfp:autosave_draft"])
def test_outsider_is_refused(client, submitted, oscar, name):
    client.force_login(oscar)

    get = client.get(url(name, submitted))
    post = client.post(url(name, submitted), {"title": "hijack"})

    submitted.refresh_from_db()
    assert (get.status_code, post.status_code) == (404, 404) or name == "cfp:autosave_draft"
    assert post.status_code == 404
    assert submitted.title != "hijack"
    assert submitted.state == "submitted"


def test_outsider_gets_no_receipt_or_file(client, submitted, oscar):
    client.force_login(oscar)

    assert client.get(url("cfp:receipt", submitted, number=1)).status_code == 404
    assert client.get(url("cfp:file", submitted, file_id=submitted.pdf.pk)).status_code == 404


def test_submission_of_another_event_is_404(client, submitted):
    from symposia.events.models import Event

    Event.objects.create(slug="other", title="Other")

    response = client.get(reverse("cfp:detail", kwargs={"event": "other", "code": submitted.code}))

    assert response.status_code == 404


def test_coauthor_with_verified_address_reads_but_cannot_edit(client, adam, rita, call):
    client.force_login(adam)
    authors = [
        {"name": "Adam", "email": "adam@imperial.ac.uk", "is_presenting": "on"},
        {"name": "Rita", "email": "RITA@ox.ac.uk"},
    ]
    client.post(submit_url(call.event), form_data(call.event, authors=authors))
    submission = Submission.objects.get()
    client.force_login(rita)

    detail = client.get(url("cfp:detail", submission))

    assert detail.status_code == 200
    assert "Edit" not in detail.content.decode().split("<h2>Authors")[0].split("</h1>")[1]
    assert client.get(url("cfp:edit", submission)).status_code == 404


def test_extension_link_view(client, adam, alice, submitted):
    extension = domain.grant_extension(
        submitted.event, email=adam.email, until=submitted.event.call.closes_at, by=alice
    )
    token = domain.extension_token(extension)

    response = client.get(reverse("cfp:extension", kwargs={"event": "mathml2020", "token": token}))
    forged = client.get(reverse("cfp:extension", kwargs={"event": "mathml2020", "token": "nope"}))

    extension.refresh_from_db()
    assert extension.user == adam
    assert response["Location"] == reverse("cfp:submit", kwargs={"event": "mathml2020"})
    assert forged["Location"] == reverse("cfp:call", kwargs={"event": "mathml2020"})


def test_closed_call_refuses_new_submissions(client, adam, call):
    call.closes_at = call.opens_at + dt.timedelta(hours=1)
    call.save()
    client.force_login(adam)

    page = client.get(reverse("cfp:call", kwargs={"event": "mathml2020"})).content.decode()
    form = client.get(submit_url(call.event)).content.decode()
    client.post(submit_url(call.event), form_data(call.event))

    assert "The call is closed." in page
    assert "has passed" in form and 'name="title"' not in form
    assert not Submission.objects.exists()


def test_call_not_open_yet(client, call):
    call.opens_at = call.closes_at - dt.timedelta(days=1)
    call.save()

    page = client.get(reverse("cfp:call", kwargs={"event": "mathml2020"})).content.decode()

    assert "The call is not open yet." in page


def test_remove_the_file_of_a_draft(client, adam, call):
    client.force_login(adam)
    client.post(
        submit_url(call.event), {**form_data(call.event, action="save"), "pdf": pdf_upload()}
    )
    draft = Submission.objects.get()
    assert draft.pdf is not None

    client.post(url("cfp:edit", draft), form_data(call.event, action="save", remove_pdf="on"))

    draft.refresh_from_db()
    assert draft.pdf is None
    assert SubmissionFile.objects.count() == 1  # kept on storage for earlier versions


def test_organiser_downloads_the_pdf(client, submitted, alice):
    client.force_login(alice)

    response = client.get(url("cfp:file", submitted, file_id=submitted.pdf.pk))

    assert response["Content-Disposition"].startswith("attachment;")
