"""The signed link from the mails: view, edit, cancel and confirm without an account;
tampered links and links moved to another event are refused with a clear page."""

import pytest
from django.core import signing

from symposia.events.models import Event
from symposia.registration import domain
from symposia.registration.enums import Diet, Status
from symposia.registration.links import SALT, make_token, registration_path
from symposia.registration.models import Registration

from .conftest import details


@pytest.fixture
def petras(open_event):
    return domain.register(
        open_event,
        details=details(
            "Petra Participant",
            "petra@example.org",
            needs_visa_letter=True,
            passport_name="PETRA PARTICIPANT",
            nationality="Korean",
        ),
    )


def test_link_shows_the_registration(client, petras):
    html = client.get(registration_path(petras)).content.decode()

    assert "Your place at Mathematics of Machine Learning 2020 is confirmed." in html
    assert petras.code in html
    assert "PETRA PARTICIPANT" in html
    assert '<meta name="robots" content="noindex">' in html


def tampered(token: str) -> list[str]:
    """Variants of `token` with one character changed in the payload, the stamp, the signature."""
    variants = []
    for index in (1, len(token) // 2, len(token) - 2):
        replacement = "A" if token[index] != "A" else "B"
        variants.append(token[:index] + replacement + token[index + 1 :])
    return variants


def test_tampered_links_are_refused_with_a_clear_page(client, petras):
    token = make_token(petras)

    for bad in tampered(token) + ["nonsense", token + "x", token[:-4]]:
        for view in ("link", "edit", "cancel"):
            response = client.get(
                f"/mathml2020/registration/r/{bad}/" + ("" if view == "link" else f"{view}/")
            )
            html = response.content.decode()
            assert response.status_code == 400, bad
            assert "This link does not work" in html
            assert "Petra" not in html

    petras.refresh_from_db()
    assert petras.status == Status.CONFIRMED


def test_tampered_link_cannot_cancel(client, petras):
    bad = tampered(make_token(petras))[1]

    response = client.post(f"/mathml2020/registration/r/{bad}/cancel/")

    petras.refresh_from_db()
    assert response.status_code == 400
    assert petras.status == Status.CONFIRMED


def test_a_valid_signature_for_another_id_is_refused(client, petras, open_event):
    other = domain.register(open_event, details=details("Other Person"))
    # Signed with the right key and salt, but the code does not belong to that id.
    forged = signing.dumps([other.pk, petras.code], salt=f"{SALT}:{open_event.pk}")

    response = client.get(f"/mathml2020/registration/r/{forged}/")

    assert response.status_code == 400
    assert "does not match any registration" in response.content.decode()


def test_link_moved_to_another_event_is_refused(client, petras):
    Event.objects.create(slug="other", title="Other event")

    response = client.get(f"/other/registration/r/{make_token(petras)}/")

    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_link_of_an_unknown_event_is_a_404(client, petras):
    response = client.get(f"/nothing/registration/r/{make_token(petras)}/")

    assert response.status_code == 404


def test_edit_through_the_link(client, petras):
    url = registration_path(petras, "edit")

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Petra P. Participant",
            "affiliation": "KAIST",
            "country": "Korea",
            "diet": Diet.VEGAN,
            "dietary_notes": "No nuts",
            "accessibility": "Step-free access",
            "email": "attacker@example.org",
        },
        follow=True,
    )

    petras.refresh_from_db()
    assert 'value="Petra Participant"' in page
    assert "Your changes are saved." in response.content.decode()
    assert (petras.name, petras.diet, petras.email, petras.needs_visa_letter) == (
        "Petra P. Participant",
        Diet.VEGAN,
        "petra@example.org",
        False,
    )


def test_edit_errors_are_shown_next_to_the_field(client, petras):
    response = client.post(
        registration_path(petras, "edit"),
        {"name": "Petra", "diet": Diet.NONE, "needs_visa_letter": "on", "passport_name": ""},
    )

    html = response.content.decode()
    assert html.count("Needed for the invitation letter.") == 2
    petras.refresh_from_db()
    assert petras.nationality == "Korean"


def test_cancel_through_the_link_asks_first_then_cancels(client, open_event, petras):
    domain.set_capacity(open_event, capacity=1)
    waiting = domain.register(open_event, details=details("Wanda Waiting"))
    url = registration_path(petras, "cancel")

    question = client.get(url)
    petras.refresh_from_db()
    assert petras.status == Status.CONFIRMED
    assert "Cancel your registration?" in question.content.decode()

    response = client.post(url, follow=True)

    petras.refresh_from_db()
    waiting.refresh_from_db()
    assert "Your registration is cancelled." in response.content.decode()
    assert (petras.status, waiting.status) == (Status.CANCELLED, Status.OFFERED)


def test_cancelled_registration_cannot_be_edited(client, petras):
    domain.cancel(petras)

    response = client.get(registration_path(petras, "edit"), follow=True)

    assert "A cancelled registration cannot be changed." in response.content.decode()


@pytest.fixture
def offer(open_event):
    domain.set_capacity(open_event, capacity=1)
    holder = domain.register(open_event, details=details("Holder"))
    waiting = domain.register(open_event, details=details("Wanda Waiting"))
    domain.cancel(holder)
    waiting.refresh_from_db()
    return waiting


def test_confirm_offer_through_the_link(client, offer):
    page = client.get(registration_path(offer)).content.decode()
    response = client.post(registration_path(offer, "confirm"), follow=True)

    offer.refresh_from_db()
    assert "Confirm my place" in page
    assert "Your place is confirmed. See you there!" in response.content.decode()
    assert offer.status == Status.CONFIRMED


def test_confirm_needs_a_post(client, offer):
    response = client.get(registration_path(offer, "confirm"))

    offer.refresh_from_db()
    assert response.status_code == 405
    assert offer.status == Status.OFFERED


def test_decline_offer_through_the_link(client, offer):
    page = client.get(registration_path(offer, "cancel")).content.decode()
    client.post(registration_path(offer, "cancel"))

    offer.refresh_from_db()
    assert "Decline the place offered to you?" in page
    assert offer.status == Status.CANCELLED


def test_confirm_without_an_offer_explains(client, petras, open_event):
    domain.set_capacity(open_event, capacity=0)
    waiting = domain.register(open_event, details=details("Wanda Waiting"))

    response = client.post(registration_path(waiting, "confirm"), follow=True)

    assert "There is no open offer of a place to confirm." in response.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == Status.WAITLISTED


def test_the_link_needs_no_account_and_ignores_who_is_signed_in(client, petras, oscar):
    client.force_login(oscar)

    html = client.get(registration_path(petras)).content.decode()

    assert "Petra Participant" in html
