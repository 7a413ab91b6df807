import datetime as dt

import time_machine
from django.contrib.auth import get_user
from django.core import mail

from symposia.accounts.models import User
from tests.conftest import PASSWORD

from .conftest import links, path_of, without_csrf

CHANGE = "/accounts/email/"


def _request_change(client, user, new_email):
    client.force_login(user)
    return client.post(CHANGE, {"new_email": new_email, "password": PASSWORD})


def test_change_is_mailed_to_the_new_address_and_nothing_changes_yet(client, adam):
    response = _request_change(client, adam, "Adam@Oxford.ac.uk")

    assert response["Location"] == "/accounts/check-mail/?reason=email_change"
    adam.refresh_from_db()
    assert adam.email == "adam@imperial.ac.uk"
    assert [m.to for m in mail.outbox] == [["adam@oxford.ac.uk"]]
    assert mail.outbox[0].subject == "[Symposia] Confirm your new email address"


def test_confirming_moves_the_account_and_tells_the_old_address(client, adam):
    _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])
    mail.outbox.clear()

    page = client.get(path)
    assert "adam@oxford.ac.uk" in page.content.decode()
    adam.refresh_from_db()
    assert adam.email == "adam@imperial.ac.uk"  # opening the link alone changes nothing

    response = client.post(path)

    assert response["Location"] == "/accounts/profile/"
    adam.refresh_from_db()
    assert (adam.email, adam.username, adam.email_verified) == (
        "adam@oxford.ac.uk",
        "adam@oxford.ac.uk",
        True,
    )
    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]
    assert "adam@oxford.ac.uk" in mail.outbox[0].body
    assert get_user(client) == adam
    client.logout()
    assert client.login(username="adam@oxford.ac.uk", password=PASSWORD)
    assert not client.login(username="adam@imperial.ac.uk", password=PASSWORD)


def test_link_works_once(client, adam):
    _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])
    client.post(path)

    response = client.post(path)

    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_link_expires_after_a_day(client, adam):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])

    with time_machine.travel(dt.datetime(2026, 3, 2, 12, 1, tzinfo=dt.UTC), tick=False):
        response = client.post(path)

    assert response.status_code == 400
    adam.refresh_from_db()
    assert adam.email == "adam@imperial.ac.uk"


def test_link_just_before_expiry_works(client, adam):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])

    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 59, tzinfo=dt.UTC), tick=False):
        client.post(path)

    adam.refresh_from_db()
    assert adam.email == "adam@oxford.ac.uk"


def test_someone_elses_link_is_refused(client, adam, oscar):
    _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])
    client.force_login(oscar)

    response = client.post(path)

    assert response.status_code == 400
    assert "another account" in response.content.decode()
    oscar.refresh_from_db()
    assert oscar.email == "oscar@example.org"


def test_forged_token_is_refused(client, adam):
    client.force_login(adam)

    response = client.post("/accounts/email/confirm/eyJ1IjoxfQ:forged:sig/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_confirmation_needs_login(client, adam):
    _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])
    client.logout()

    response = client.get(path)

    assert response["Location"].startswith("/accounts/login/?next=/accounts/email/confirm/")


def test_taken_address_gets_the_same_response_and_its_owner_is_told(client, adam, petra):
    free = _request_change(client, adam, "adam@oxford.ac.uk")
    free_page = client.get(free["Location"])
    mail.outbox.clear()

    taken = _request_change(client, adam, "Petra@KAIST.ac.kr")
    taken_page = client.get(taken["Location"])

    assert taken["Location"] == free["Location"]
    assert without_csrf(taken_page.content.decode()) == without_csrf(free_page.content.decode())
    assert [m.to for m in mail.outbox] == [["petra@kaist.ac.kr"]]
    assert links(mail.outbox[0]) == []
    adam.refresh_from_db()
    assert adam.email == "adam@imperial.ac.uk"


def test_address_taken_between_request_and_confirmation(client, adam):
    _request_change(client, adam, "adam@oxford.ac.uk")
    path = path_of(links(mail.outbox[0])[0])
    User.objects.create_user(email="adam@oxford.ac.uk", password=PASSWORD)

    response = client.post(path)

    assert response.status_code == 400
    adam.refresh_from_db()
    assert adam.email == "adam@imperial.ac.uk"


def test_wrong_password_and_same_address_are_refused(client, adam):
    client.force_login(adam)

    wrong = client.post(CHANGE, {"new_email": "adam@oxford.ac.uk", "password": "nope"})
    same = client.post(CHANGE, {"new_email": "ADAM@imperial.ac.uk", "password": PASSWORD})

    assert "The password is incorrect." in wrong.content.decode()
    assert 'value="adam@oxford.ac.uk"' in wrong.content.decode()
    assert "This is already your address." in same.content.decode()
    assert mail.outbox == []


def test_change_needs_login(client, db):
    assert client.get(CHANGE)["Location"] == "/accounts/login/?next=/accounts/email/"
