from django.core.management import call_command

from symposia.accounts.models import User
from symposia.common.mail import queue_mail
from tests.conftest import PASSWORD


def _superuser():
    return User.objects.create_superuser(email="root@example.org", password=PASSWORD)


def test_admin_adds_a_person_by_email(client, db):
    client.force_login(_superuser())

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Nora@Uni-Bonn.de",
            "name": "Nora Neumann",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    nora = User.objects.get(email="nora@uni-bonn.de")
    assert (nora.username, nora.name) == ("nora@uni-bonn.de", "Nora Neumann")
    assert nora.check_password(PASSWORD)


def test_admin_refuses_an_address_in_use_in_another_case(client, adam):
    client.force_login(_superuser())

    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ADAM@imperial.ac.uk",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert "An account with this email address already exists." in response.content.decode()
    assert User.objects.filter(email__iexact="adam@imperial.ac.uk").count() == 1


def test_admin_change_form_and_outbox_list_render(client, adam):
    client.force_login(_superuser())
    queue_mail(to=adam.email, subject="Hello", body_text="Hi.")

    assert client.get(f"/admin/accounts/user/{adam.pk}/change/").status_code == 200
    html = client.get("/admin/common/outboxmessage/").content.decode()
    assert "[Symposia] Hello" in html


def test_superuser_from_the_command_line_needs_no_confirmation(db):
    call_command("createsuperuser", email="Root@Example.org", interactive=False, verbosity=0)

    root = User.objects.get()
    assert (root.email, root.is_superuser, root.email_verified) == ("root@example.org", True, True)
    assert User.objects.create_user(email="nora@uni-bonn.de").email_verified is False
