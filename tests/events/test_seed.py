"""The real MathML 2020 workshop page, imported and served at /mathml2020/."""

import lxml.html
import pytest
from django.core.files.base import ContentFile

from symposia.events.importing import import_site
from symposia.events.models import Asset

from .conftest import PNG, SEED

INVITED = [
    "Martin Benning, Queen Mary University of London, UK",
    "Elena Calledoni, NTNU, Norway",
    "Coralia Cartis, University of Oxford, UK",
    "Yujie Chi, Carnegie Mellon, USA",
    "Stephane Chretien, University of Lyon, France",
    "Weinan E, Princeton University, USA",
    "Alhussein Fawzi, Google Deepmind, UK",
    "Andrew Fitzgibbon, Microsoft Research, UK",
    "Kerstin Hammernik, Imperial College London, UK",
    "Anders Hansen, University of Cambridge, UK",
    "Ben Leimkuhler, University of Edinburgh, UK",
    "Brynjulf Owren, NTNU, Norway",
    "Marcelo Pereyra, Heriot-Watt University, UK",
    "Spencer Thomas, National Physical Laboratory, UK",
    "Matt Thorpe, University of Manchester, UK",
    "Jong Chul Ye, KAIST, Korea",
]
ORGANISERS = [
    "Philip Aston, University of Surrey, UK",
    "Matthias J. Ehrhardt, University of Bath, UK",
    "Catherine Higham, University of Glasgow, UK",
    "Clarice Poon, University of Bath, UK",
]


@pytest.fixture
def home(db, client):
    """The served home page: (response, the page's <article> as an lxml element)."""
    import_site(SEED)
    response = client.get("/mathml2020/")
    document = lxml.html.fromstring(response.content)
    article = document.xpath("//main//*[@id='scope']/..")[0]
    return response, article


def section_items(article, heading_id):
    """The texts of the list that follows the heading `heading_id`."""
    heading = article.xpath(f"./*[@id='{heading_id}']")[0]
    return [li.text_content() for li in heading.getnext().iter("li")]


def test_every_section_has_a_heading_with_its_id(home):
    _, article = home

    assert [(h.get("id"), h.text_content()) for h in article.iter("h1")] == [
        ("scope", "Scope"),
        ("invited-participants", "Invited Participants"),
        ("organisers", "Organisers"),
        ("call-for-contributions", "Call for contributions"),
        ("contact", "Contact"),
        ("sponsors", "Sponsors"),
    ]


def test_all_invited_participants_and_organisers_with_affiliations(home):
    _, article = home

    assert section_items(article, "invited-participants") == INVITED
    assert section_items(article, "organisers") == ORGANISERS


def test_scope_text_and_call_for_contributions(home):
    _, article = home

    paragraphs = [p.text_content() for p in article.iter("p")]
    assert paragraphs[0].startswith("Machine Learning (ML) can described as statistical")
    assert "We will have an open call for poster contributions in spring 2020." in paragraphs


def test_contact_is_a_mailto_link(home):
    response, article = home

    assert 'href="mailto:MathML2020@bath.ac.uk"' in response.content.decode()
    contact = article.xpath("./*[@id='contact']")[0].getnext()
    assert [(a.get("href"), a.text) for a in contact.iter("a")] == [
        ("mailto:MathML2020@bath.ac.uk", "MathML2020@bath.ac.uk")
    ]


def test_both_sponsor_links(home):
    _, article = home

    sponsors = article.xpath("./*[@id='sponsors']")[0].getnext()
    assert [(a.get("href"), a.text) for a in sponsors.iter("a")] == [
        (
            "https://www.bath.ac.uk/research-institutes/institute-for-mathematical-innovation/",
            "Institute for Mathematical Innovation (IMI)",
        ),
        ("https://www.lms.ac.uk/", "London Mathematical Society (LMS)"),
    ]


def test_logo_keeps_its_height_and_alt(home):
    _, article = home

    images = [(i.get("src"), i.get("alt"), i.get("height")) for i in article.iter("img")]
    assert images == [("/mathml2020/logo_imi.png", "IMI", "150px")]


def test_commented_out_sponsor_and_liquid_do_not_appear(home):
    response, _ = home

    html = response.content.decode()
    for hidden in ("SAMBa", "Statistical Applied Mathematics", "{%", "endcomment", "{:height"):
        assert hidden not in html


def test_page_uses_its_layout(home):
    response, _ = home

    assert "events/layouts/default.html" in [t.name for t in response.templates]


def test_uploading_the_missing_logo_completes_the_page(home, client):
    response, _ = home
    event = response.context["event"]
    assert client.get("/mathml2020/logo_imi.png").status_code == 404

    asset = Asset(event=event, path="logo_imi.png")
    asset.file.save("mathml2020/logo_imi.png", ContentFile(PNG))

    logo = client.get("/mathml2020/logo_imi.png")
    assert b"".join(logo.streaming_content) == PNG
