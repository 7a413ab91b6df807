"""The public forms cannot be used to flood someone's mailbox."""

from symposia.common.models import OutboxMessage
from symposia.registration import domain
from symposia.registration.models import Registration

from .conftest import details
from .test_views import URL, form_data


def test_registering_an_existing_address_again_mails_its_link_once(client, open_event):
    existing = domain.register(open_event, details=details("Zoë", "zoe@example.org"))

    for _ in range(5):
        response = client.post(URL, form_data(name="Someone else"), follow=True)

    assert "we have sent the link to that registration" in response.content.decode()
    assert Registration.objects.count() == 1
    links = OutboxMessage.objects.filter(kind="registration.link")
    assert [message.to for message in links] == [[existing.email]]


def test_form_and_mine_share_one_limit_per_address(client, open_event):
    domain.register(open_event, details=details("Zoë", "zoe@example.org"), notify=False)

    client.post(URL, form_data(email="ZOE@example.org"))
    client.post(f"{URL}mine/", {"email": "zoe@example.org"})

    assert OutboxMessage.objects.filter(kind="registration.link").count() == 1
