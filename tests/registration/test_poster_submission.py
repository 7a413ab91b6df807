"""'I will present a poster' names a contribution submitted to the event: a mistyped code is
an error on the form, and organisers see which contribution it is."""

import pytest

from symposia.cfp.enums import SubmissionState
from symposia.cfp.models import Submission
from symposia.events.models import Event
from symposia.registration.models import Registration

from .test_views import URL, form_data


@pytest.fixture
def accepted(open_event, adam):
    return Submission.objects.create(
        event=open_event,
        owner=adam,
        title="Rates for $\\int_0^1 f$",
        state=SubmissionState.ACCEPTED_POSTER,
    )


def poster(code: str, **extra) -> dict:
    return form_data(presents_poster="on", submission_code=code, **extra)


def test_the_code_of_a_submitted_contribution_is_stored_in_capitals(client, open_event, accepted):
    client.post(URL, poster(f" {accepted.code.lower()} "))

    assert Registration.objects.get().submission_code == accepted.code


@pytest.mark.parametrize("state", [SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
def test_a_mistyped_draft_or_withdrawn_code_is_an_error_and_input_is_kept(
    client, open_event, adam, state
):
    draft = Submission.objects.create(event=open_event, owner=adam, title="Draft", state=state)

    for code in ("NOSUCH22", draft.code):
        response = client.post(URL, poster(code))

        html = response.content.decode()
        assert "No contribution submitted to this event has this code." in html
        assert f'value="{code}"' in html
        assert 'value="Université de Lyon"' in html
    assert Registration.objects.count() == 0


def test_a_code_of_another_event_is_an_error(client, open_event, adam):
    other = Event.objects.create(slug="other", title="Other")
    elsewhere = Submission.objects.create(
        event=other, owner=adam, title="Elsewhere", state=SubmissionState.ACCEPTED_TALK
    )

    response = client.post(URL, poster(elsewhere.code))

    assert "No contribution submitted to this event has this code." in response.content.decode()
    assert Registration.objects.count() == 0


def test_no_poster_no_code(client, open_event):
    client.post(URL, form_data(submission_code="NOSUCH22"))

    registration = Registration.objects.get()
    assert (registration.presents_poster, registration.submission_code) == (False, "")


def test_organisers_see_which_contribution(client, alice, open_event, accepted):
    client.post(URL, poster(accepted.code))
    registration = Registration.objects.get()
    client.force_login(alice)

    html = client.get(f"{URL}manage/{registration.code}/").content.decode()

    link = f'<a href="/mathml2020/cfp/manage/submissions/{accepted.code}/">{accepted.code}: Rates'
    assert link in html
    assert "(accepted as poster)" in html
    assert "<math" in html
