from django.contrib.auth import get_user
from django.core import mail

from symposia.accounts.models import User
from symposia.common.models import OutboxMessage
from tests.conftest import PASSWORD

from .conftest import links, path_of, without_csrf

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a quite different passphrase 42"


def test_reset_mail_goes_through_the_outbox_with_a_site_url_link(client, adam, settings):
    settings.SITE_URL = "https://symposia.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]

    response = client.post(RESET, {"email": "ADAM@imperial.ac.uk"}, HTTP_HOST="evil.example")

    assert response["Location"] == "/accounts/password/reset/sent/"
    message = OutboxMessage.objects.get()
    assert (message.kind, message.to, message.status) == (
        "accounts.password_reset",
        ["adam@imperial.ac.uk"],
        OutboxMessage.Status.SENT,
    )
    assert mail.outbox[0].subject == "[Symposia] Reset your password"
    [link] = links(mail.outbox[0])
    assert link.startswith("https://symposia.example.org/accounts/password/reset/")
    assert "evil.example" not in mail.outbox[0].body


def test_known_and_unknown_addresses_get_identical_responses(client, adam):
    known = client.post(RESET, {"email": adam.email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@imperial.ac.uk"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content.decode()) == without_csrf(unknown.content.decode())
    assert [m.to for m in mail.outbox] == [[adam.email]]


def test_reset_link_sets_a_new_password_once_and_confirms_the_address(client, db):
    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    client.post(RESET, {"email": nora.email})
    path = path_of(links(mail.outbox[0])[0])

    form_page = client.get(path, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == "/accounts/password/reset/complete/"
    nora.refresh_from_db()
    assert nora.check_password(NEW_PASSWORD)
    assert nora.email_verified is True
    again = client.get(path, follow=True)
    assert "This password reset link is not valid" in again.content.decode()


def test_new_password_is_checked(client, adam):
    client.post(RESET, {"email": adam.email})
    form_page = client.get(path_of(links(mail.outbox[0])[0]), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert "This password is entirely numeric." in response.content.decode()
    adam.refresh_from_db()
    assert adam.check_password(PASSWORD)


def test_password_change_needs_the_old_password_and_notifies(client, adam):
    client.force_login(adam)
    url = "/accounts/password/change/"

    wrong = client.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly." in wrong.content.decode()
    assert mail.outbox == []

    response = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == "/accounts/profile/"
    adam.refresh_from_db()
    assert adam.check_password(NEW_PASSWORD)
    assert get_user(client) == adam  # still logged in
    assert [m.subject for m in mail.outbox] == ["[Symposia] Your password has changed"]


def test_password_change_needs_login(client, db):
    response = client.get("/accounts/password/change/")

    assert response["Location"] == "/accounts/login/?next=/accounts/password/change/"
