from django.contrib.auth import get_user

from tests.conftest import PASSWORD

from .conftest import without_csrf

LOGIN = "/accounts/login/"


def test_login_page_has_email_and_password_fields(client, db):
    html = client.get(LOGIN).content.decode()

    assert '<label for="id_username">Email address</label>' in html
    assert 'type="email" name="username"' in html
    assert 'autocomplete="current-password"' in html


def test_log_in_with_email_in_any_case(client, adam):
    response = client.post(LOGIN, {"username": "Adam@Imperial.AC.UK", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert get_user(client) == adam


def test_log_in_follows_a_local_next(client, adam):
    response = client.post(
        LOGIN, {"username": adam.email, "password": PASSWORD, "next": "/mathml2020/cfp/"}
    )

    assert response["Location"] == "/mathml2020/cfp/"


def test_log_in_ignores_a_next_to_another_site(client, adam):
    for next_url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        client.logout()
        response = client.post(
            LOGIN, {"username": adam.email, "password": PASSWORD, "next": next_url}
        )

        assert response["Location"] == "/"


def _failed_login_page(client, email):
    response = client.post(LOGIN, {"username": email, "password": "wrong password"})
    return response.status_code, without_csrf(response.content.decode()).replace(email, "EMAIL")


def test_wrong_password_and_unknown_email_get_identical_responses(client, adam):
    wrong_password = _failed_login_page(client, adam.email)
    unknown = _failed_login_page(client, "nobody@imperial.ac.uk")

    assert wrong_password == unknown
    assert wrong_password[0] == 200
    assert "The email address or password is incorrect." in wrong_password[1]
    assert get_user(client).is_authenticated is False


def test_deactivated_account_gets_the_same_generic_error(client, adam):
    adam.is_active = False
    adam.save()

    response = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})

    assert "The email address or password is incorrect." in response.content.decode()
    assert get_user(client).is_authenticated is False


def test_unverified_person_can_log_in(client, db):
    from symposia.accounts.models import User

    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)

    client.post(LOGIN, {"username": nora.email, "password": PASSWORD})

    assert get_user(client) == nora


def test_log_out_needs_post(client, adam):
    client.force_login(adam)

    assert client.get("/accounts/logout/").status_code == 405
    assert get_user(client) == adam
    response = client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert get_user(client).is_authenticated is False


def test_log_out_button_in_the_menu(client, adam):
    client.force_login(adam)

    html = client.get("/accounts/profile/").content.decode()

    assert '<form method="post" action="/accounts/logout/"' in html
    assert "Adam Author" in html
