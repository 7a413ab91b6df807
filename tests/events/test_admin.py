"""The admin pages for events, pages and files open and search."""

import pytest

from symposia.accounts.models import User
from symposia.events.models import Asset, Page


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(user)
    return client


def test_event_admin_lists_searches_and_edits(admin_client, event, alice):
    Page.objects.create(event=event, slug="index", title="Home")

    listing = admin_client.get("/admin/events/event/?q=machine")
    change = admin_client.get(f"/admin/events/event/{event.pk}/change/")

    assert "Mathematics of Machine Learning 2020" in listing.content.decode()
    html = change.content.decode()
    assert 'name="organisers"' in html
    assert "selectfilter" in html  # filter_horizontal widget
    assert 'name="pages-0-slug"' in html


def test_page_and_asset_admin_list_by_event(admin_client, event):
    Page.objects.create(event=event, slug="venue", title="Venue")
    Asset.objects.create(event=event, path="logo_imi.png", file="assets/logo_imi.png")

    pages = admin_client.get("/admin/events/page/?q=venue").content.decode()
    assets = admin_client.get("/admin/events/asset/?q=logo").content.decode()

    assert "Venue" in pages
    assert "logo_imi.png" in assets


def test_outsider_cannot_open_the_admin(client, oscar):
    client.force_login(oscar)

    response = client.get("/admin/events/event/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
