from symposia.events.models import Page


def test_home_page_renders_markdown_with_maths(client, event):
    Page.objects.create(event=event, slug="index", title="Home", body="# Scope\n\n$x^2$")

    response = client.get("/mathml2020/")

    html = response.content.decode()
    assert '<h1' in html and "Scope" in html
    assert "<math" in html


def test_hidden_event_is_a_404_for_outsider(client, event, oscar):
    event.is_public = False
    event.save()
    Page.objects.create(event=event, slug="index", title="Home", body="Secret")
    client.force_login(oscar)

    response = client.get("/mathml2020/")

    assert response.status_code == 404
    assert b"Secret" not in response.content
