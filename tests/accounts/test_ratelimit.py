import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user
from django.core import mail
from django.test import RequestFactory

from symposia.accounts import ratelimit
from tests.conftest import PASSWORD

from .conftest import without_csrf

LOGIN = "/accounts/login/"
START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
TOO_MANY = "Too many attempts."


def request_from(remote_addr="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_address_ignores_x_forwarded_for_by_default(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    address = ratelimit.client_address(request_from("203.0.113.7", forwarded="198.51.100.1"))

    assert address == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is ignored
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.1"),  # shorter than the proxy chain: connection address
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert ratelimit.client_address(request_from("10.0.0.1", forwarded=forwarded)) == expected


def test_ipv6_clients_are_counted_per_64_network():
    first = ratelimit.client_address(request_from("2001:db8:1:2::17"))
    second = ratelimit.client_address(request_from("2001:db8:1:2:ffff::1"))
    mapped = ratelimit.client_address(request_from("::ffff:203.0.113.7"))

    assert first == second == "2001:db8:1:2::/64"
    assert mapped == "203.0.113.7"


def _fail_login(client, email, **extra):
    return client.post(LOGIN, {"username": email, "password": "wrong"}, **extra)


def test_login_is_refused_after_ten_failures_for_the_account_even_with_the_right_password(
    client, adam
):
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            assert _fail_login(client, adam.email).status_code == 200

        response = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert "wait 15 minutes" in response.content.decode()
    assert get_user(client).is_authenticated is False


def test_login_limit_ends_after_the_window(client, adam):
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            _fail_login(client, adam.email)
    with time_machine.travel(START + dt.timedelta(minutes=14, seconds=59), tick=False):
        assert client.post(LOGIN, {"username": adam.email, "password": PASSWORD}).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})
        user = get_user(client)

    assert response.status_code == 302
    assert user == adam


def test_limited_login_looks_the_same_for_known_and_unknown_accounts(client, adam):
    def limited_page(email):
        for _ in range(10):
            _fail_login(client, email)
        response = _fail_login(client, email)
        return response.status_code, without_csrf(response.content.decode()).replace(email, "E")

    with time_machine.travel(START, tick=False):
        assert limited_page(adam.email) == limited_page("nobody@imperial.ac.uk")


def test_successful_logins_do_not_count(client, adam):
    for _ in range(12):
        client.post(LOGIN, {"username": adam.email, "password": PASSWORD})
        client.logout()

    response = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})

    assert response.status_code == 302


def test_success_clears_the_account_count(client, adam):
    with time_machine.travel(START, tick=False):
        for _ in range(9):
            _fail_login(client, adam.email)
        client.post(LOGIN, {"username": adam.email, "password": PASSWORD})
        client.logout()
        for _ in range(9):
            _fail_login(client, adam.email)
        response = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})

    assert response.status_code == 302


def test_one_address_trying_many_accounts_is_limited(client, adam):
    with time_machine.travel(START, tick=False):
        for number in range(50):
            _fail_login(client, f"guess{number}@imperial.ac.uk")
        blocked = client.post(LOGIN, {"username": adam.email, "password": PASSWORD})
        other_client = client.post(
            LOGIN, {"username": adam.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9"
        )

    assert blocked.status_code == 429
    assert other_client.status_code == 302


def test_a_forged_x_forwarded_for_does_not_escape_the_address_limit(client, adam, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    with time_machine.travel(START, tick=False):
        for number in range(50):
            _fail_login(
                client, f"guess{number}@imperial.ac.uk", HTTP_X_FORWARDED_FOR=f"10.1.0.{number}"
            )
        response = _fail_login(client, "guess99@imperial.ac.uk", HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def _signup(client, email):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "name": "N",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_sign_up_is_limited_per_address_the_same_for_known_and_unknown(client, adam):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            assert _signup(client, adam.email).status_code == 302
            assert _signup(client, "nora@uni-bonn.de").status_code == 302
        mail.outbox.clear()
        known = _signup(client, adam.email)
        unknown = _signup(client, "nora@uni-bonn.de")

    assert known.status_code == unknown.status_code == 429
    assert without_csrf(known.content.decode()).replace(adam.email, "E") == without_csrf(
        unknown.content.decode()
    ).replace("nora@uni-bonn.de", "E")
    assert TOO_MANY in known.content.decode()
    assert mail.outbox == []


def test_sign_up_limit_per_client_address(client, db):
    with time_machine.travel(START, tick=False):
        for number in range(20):
            assert _signup(client, f"person{number}@uni-bonn.de").status_code == 302
        response = _signup(client, "late@uni-bonn.de")

    assert response.status_code == 429


def test_password_reset_is_limited(client, adam):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            client.post("/accounts/password/reset/", {"email": adam.email})
        response = client.post("/accounts/password/reset/", {"email": adam.email})

    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert len(mail.outbox) == 3


def test_resend_button_over_the_limit_gives_a_429_page(client, db):
    from symposia.accounts.models import User

    nora = User.objects.create_user(email="nora@uni-bonn.de", password=PASSWORD)
    client.force_login(nora)
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            client.post("/accounts/verify/resend/")
        response = client.post("/accounts/verify/resend/")

    assert response.status_code == 429
    assert '<h1 id="page-title">Too many attempts</h1>' in response.content.decode()
    assert len(mail.outbox) == 3


def test_resend_form_is_limited(client, db):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            client.post("/accounts/verify/resend/", {"email": "nora@uni-bonn.de"})
        response = client.post("/accounts/verify/resend/", {"email": "nora@uni-bonn.de"})

    assert response.status_code == 429


def test_email_change_is_limited(client, adam):
    client.force_login(adam)
    with time_machine.travel(START, tick=False):
        for number in range(5):
            client.post("/accounts/email/", {"new_email": f"a{number}@ox.ac.uk", "password": "x"})
        response = client.post(
            "/accounts/email/", {"new_email": "adam@ox.ac.uk", "password": PASSWORD}
        )

    assert response.status_code == 429
    assert mail.outbox == []


def test_cache_keys_hold_no_email_address(adam):
    request = request_from()

    ratelimit.record("login", request=request, account=adam.email)

    from django.core.cache import cache

    keys = list(cache._cache.keys())  # local-memory cache in tests
    assert keys and all("imperial" not in key and "203.0.113" not in key for key in keys)
