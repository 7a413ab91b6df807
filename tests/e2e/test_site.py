from symposia.events.models import Page

from .conftest import screenshot


def test_home_page_in_browser(page, live_server, event):
    Page.objects.create(event=event, slug="index", title="Home", body="# Scope\n\nHello $x^2$.")

    page.goto(f"{live_server.url}/mathml2020/")

    assert page.locator("h1").first.inner_text() == "Scope"
    assert page.locator("math").count() == 1
    screenshot(page, "site-home")
