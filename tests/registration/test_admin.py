"""The admin shows registrations read-only (changes go through the organisers' pages)."""

from symposia.registration import domain

from .conftest import details


def test_admin_lists_and_shows_registrations_read_only(client, open_event, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    registration = domain.register(open_event, details=details("Zoë Ångström"))
    client.force_login(admin)

    listing = client.get("/admin/registration/registration/")
    page = client.get(f"/admin/registration/registration/{registration.pk}/change/")
    adding = client.get("/admin/registration/registration/add/")

    assert "Zoë Ångström" in listing.content.decode()
    assert registration.code in page.content.decode()
    assert adding.status_code == 403
