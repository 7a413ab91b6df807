"""Error pages (404, 403, CSRF failure, 500) are the site's own, not Django's bare defaults."""

from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults


def test_unknown_address_shows_the_sites_not_found_page(client, db):
    response = client.get("/no-such-event/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert "symposia/site" in html  # the site's stylesheet: the page looks like the others
    assert 'href="/accounts/login/?next=/no-such-event/"' in html


def test_outsider_gets_the_not_found_page_for_an_organisers_page(client, event, oscar):
    client.force_login(oscar)

    response = client.get("/mathml2020/manage/")

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "log in</a>" not in response.content.decode()


def test_permission_denied_page(db):
    request = RequestFactory().get("/x/")
    request.user = None

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.content.decode()


def test_expired_form_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "a@b.org", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>This form has expired</h1>" in html
    assert "reload the page" in html


def test_server_error_page_needs_no_context(db):
    response = defaults.server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert "symposia/site" in html


def test_not_found_page_is_the_same_for_every_address(client, event, oscar):
    # Nothing random (such as the log-out form's token) may tell one 404 from another.
    client.force_login(oscar)

    first = client.get("/mathml2020/manage/")
    second = client.get("/mathml2020/cfp/manage/")

    assert first.content == second.content


def test_oversized_form_gets_the_sites_bad_request_page(client, event, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(alice)

    response = client.post("/mathml2020/manage/pages/new/", {"body": "x" * 2000, "slug": "big"})

    assert response.status_code == 400
    assert "<h1>Request not understood</h1>" in response.content.decode()
