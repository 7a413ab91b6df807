from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from symposia.accounts.models import User
from symposia.accounts.rules import is_verified
from symposia.common.models import OutboxMessage
from tests.conftest import PASSWORD

from .conftest import links, path_of, without_csrf

SIGNUP = "/accounts/signup/"


def form_data(email="nora@uni-bonn.de", **extra):
    return {
        "email": email,
        "name": "Nora Neumann",
        "affiliation": "Universität Bonn",
        "country": "Germany",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_sign_up_page_has_labelled_fields(client, db):
    response = client.get(SIGNUP)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email">Email address</label>' in html
    assert (
        '<label for="id_affiliation">Affiliation <span class="optional">(optional)</span>' in html
    )
    assert 'aria-describedby="id_email_helptext"' in html
    assert 'autocomplete="new-password"' in html


def test_sign_up_creates_unverified_account_and_mails_a_link(client, db, settings):
    settings.SITE_URL = "https://symposia.example.org"

    response = client.post(SIGNUP, form_data(email="Nora@Uni-Bonn.DE"))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/check-mail/?reason=signup"
    user = User.objects.get()
    assert (user.email, user.username, user.name, user.affiliation, user.country) == (
        "nora@uni-bonn.de",
        "nora@uni-bonn.de",
        "Nora Neumann",
        "Universität Bonn",
        "Germany",
    )
    assert user.email_verified is False
    assert user.check_password(PASSWORD)
    assert [m.to for m in mail.outbox] == [["nora@uni-bonn.de"]]
    assert mail.outbox[0].subject == "[Symposia] Confirm your email address"
    [link] = links(mail.outbox[0])
    assert link.startswith("https://symposia.example.org/accounts/verify/")
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_passwords_are_hashed_with_argon2_in_production_settings(db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]

    user = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)

    assert identify_hasher(user.password).algorithm == "argon2"


def test_verification_link_asks_for_a_click_then_verifies(client, db):
    client.post(SIGNUP, form_data())
    path = path_of(links(mail.outbox[0])[0])

    page = client.get(path)
    user = User.objects.get()
    assert user.email_verified is False  # a mail scanner opening the link changes nothing
    assert "Confirm my address" in page.content.decode()

    response = client.post(path)

    user.refresh_from_db()
    assert user.email_verified is True
    assert response["Location"] == "/accounts/login/?email=nora%40uni-bonn.de"
    assert client.post(path).status_code == 400  # used once


def test_confirmation_leads_back_to_where_the_sign_up_began(client, db):
    # Signing up from the call once ended, after confirming and logging in, on the list of events.
    client.post(f"{SIGNUP}?next=/mathml2020/cfp/submit/", form_data())
    path = path_of(links(mail.outbox[0])[0])

    page = client.get(path).content.decode()
    confirmed = client.post(path, {"next": "/mathml2020/cfp/submit/"})
    logged_in = client.post(
        confirmed["Location"], {"username": "nora@uni-bonn.de", "password": PASSWORD}
    )

    assert path.endswith("/?next=%2Fmathml2020%2Fcfp%2Fsubmit%2F")
    assert '<input type="hidden" name="next" value="/mathml2020/cfp/submit/">' in page
    assert confirmed["Location"] == (
        "/accounts/login/?email=nora%40uni-bonn.de&next=%2Fmathml2020%2Fcfp%2Fsubmit%2F"
    )
    assert logged_in["Location"] == "/mathml2020/cfp/submit/"


def test_confirmation_link_drops_a_next_to_another_site(client, db):
    client.post(f"{SIGNUP}?next=https://evil.example/", form_data())
    [link] = links(mail.outbox[0])

    response = client.post(path_of(link) + "?next=https://evil.example/")

    assert "evil" not in link
    assert response["Location"] == "/accounts/login/?email=nora%40uni-bonn.de"


def test_tampered_verification_link_is_refused(client, db):
    client.post(SIGNUP, form_data())
    path = path_of(links(mail.outbox[0])[0])

    response = client.post(path[:-3] + "xx/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert User.objects.get().email_verified is False


def test_garbage_verification_uid_is_a_clean_400(client, db):
    response = client.get("/accounts/verify/%F0%9F%98%80/abc-def/")

    assert response.status_code == 400


def test_existing_address_gets_the_same_response_and_a_mail_to_its_owner(client, adam):
    new = client.post(SIGNUP, form_data(email="nora@uni-bonn.de"), follow=True)
    mail.outbox.clear()
    existing = client.post(SIGNUP, form_data(email="ADAM@imperial.ac.uk"), follow=True)

    assert existing.status_code == new.status_code == 200
    assert existing.redirect_chain == new.redirect_chain
    assert without_csrf(existing.content.decode()) == without_csrf(new.content.decode())
    assert User.objects.filter(email__iexact="adam@imperial.ac.uk").count() == 1
    assert [m.to for m in mail.outbox] == [["adam@imperial.ac.uk"]]
    assert mail.outbox[0].subject == "[Symposia] Someone tried to sign up with your address"
    [reset_link] = links(mail.outbox[0])
    assert "/accounts/password/reset/" in reset_link
    adam.refresh_from_db()
    assert adam.check_password(PASSWORD)


def test_reset_link_in_the_existing_address_mail_works(client, adam):
    client.post(SIGNUP, form_data(email=adam.email))
    path = path_of(links(mail.outbox[0])[0])

    response = client.get(path, follow=True)

    assert "Save the new password" in response.content.decode()


def test_attacker_supplied_name_is_not_mailed_to_the_address(client, db):
    client.post(SIGNUP, form_data(name="Win a prize at http://phish.example"))

    assert "phish.example" not in mail.outbox[0].body


def test_password_errors_are_shown_next_to_the_field_and_input_is_kept(client, db):
    response = client.post(SIGNUP, form_data(password1="password", password2="password"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_password1_error">' in html
    assert "This password is too common." in html
    assert 'aria-invalid="true"' in html
    assert 'value="nora@uni-bonn.de"' in html
    assert 'value="Universität Bonn"' in html
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_different_passwords_are_refused(client, db):
    response = client.post(SIGNUP, form_data(password2=PASSWORD + "!"))

    assert "The two passwords differ." in response.content.decode()
    assert User.objects.count() == 0


def test_signed_in_person_is_sent_to_their_profile(client, adam):
    client.force_login(adam)

    response = client.get(SIGNUP)

    assert response["Location"] == reverse("accounts:profile")


def test_check_mail_keeps_a_safe_next_and_drops_another_site(client, db):
    safe = client.get("/accounts/check-mail/?reason=signup&next=/mathml2020/cfp/")
    unsafe = client.get("/accounts/check-mail/?reason=signup&next=https://evil.example/")

    assert "/accounts/login/?next=/mathml2020/cfp/" in safe.content.decode()
    assert "evil.example" not in unsafe.content.decode()


def test_unverified_person_sees_a_banner_verified_does_not(client, db, adam):
    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    client.force_login(nora)
    banner = "Please confirm your email address"

    assert banner in client.get("/accounts/profile/").content.decode()
    client.force_login(adam)
    assert banner not in client.get("/accounts/profile/").content.decode()


def test_is_verified(db, adam):
    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    from django.contrib.auth.models import AnonymousUser

    assert (is_verified(adam), is_verified(nora), is_verified(AnonymousUser())) == (
        True,
        False,
        False,
    )
    adam.is_active = False
    assert is_verified(adam) is False


def test_resend_for_anonymous_answers_the_same_for_any_address(client, adam):
    User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    url = "/accounts/verify/resend/"

    responses = [
        client.post(url, {"email": email}, follow=True)
        for email in ("nora@uni-bonn.de", "adam@imperial.ac.uk", "nobody@example.org")
    ]

    pages = {without_csrf(r.content.decode()) for r in responses}
    assert len(pages) == 1
    assert [m.to for m in mail.outbox] == [["nora@uni-bonn.de"]]


def test_resend_button_for_signed_in_unverified_person(client, db):
    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    client.force_login(nora)

    response = client.post("/accounts/verify/resend/", {"next": "/mathml2020/"})

    assert response["Location"] == "/mathml2020/"
    assert [m.to for m in mail.outbox] == [["nora@uni-bonn.de"]]
    client.post(path_of(links(mail.outbox[0])[0]))
    nora.refresh_from_db()
    assert nora.email_verified is True


def test_resend_ignores_a_next_to_another_site(client, db):
    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    client.force_login(nora)

    response = client.post("/accounts/verify/resend/", {"next": "//evil.example/"})

    assert response["Location"] == "/accounts/profile/"
