from symposia.accounts.models import User

PROFILE = "/accounts/profile/"


def test_profile_needs_login(client, db):
    response = client.get(PROFILE)

    assert response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_profile_shows_own_details(client, adam):
    client.force_login(adam)

    html = client.get(PROFILE).content.decode()

    assert "adam@imperial.ac.uk" in html
    assert 'value="Imperial College London"' in html
    assert "confirmed" in html


def test_profile_edit_saves_and_normalises_orcid(client, adam):
    client.force_login(adam)

    response = client.post(
        PROFILE,
        {
            "name": "Adam Ångström-Author",
            "affiliation": "ETH Zürich",
            "country": "Switzerland",
            "orcid": "https://orcid.org/0000-0002-1694-233x",
        },
    )

    assert response["Location"] == PROFILE
    adam.refresh_from_db()
    assert (adam.name, adam.affiliation, adam.country, adam.orcid) == (
        "Adam Ångström-Author",
        "ETH Zürich",
        "Switzerland",
        "0000-0002-1694-233X",
    )


def test_bad_orcid_checksum_is_shown_next_to_the_field_and_input_is_kept(client, adam):
    client.force_login(adam)

    response = client.post(
        PROFILE,
        {"name": "Adam A.", "affiliation": "KCL", "country": "UK", "orcid": "0000-0002-1825-0098"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_orcid_error"><li>This ORCID iD has a typing error' in html
    assert 'aria-describedby="id_orcid_helptext id_orcid_error"' in html
    assert 'value="0000-0002-1825-0098"' in html
    assert 'value="KCL"' in html
    adam.refresh_from_db()
    assert (adam.name, adam.orcid) == ("Adam Author", "")


def test_orcid_in_wrong_format(client, adam):
    client.force_login(adam)

    response = client.post(PROFILE, {"name": "Adam", "orcid": "1234"})

    assert "Enter an ORCID iD in the form 0000-0002-1825-0097." in response.content.decode()


def test_name_is_required_and_long_input_does_not_fail(client, adam):
    client.force_login(adam)

    response = client.post(PROFILE, {"name": "", "affiliation": "x" * 5000, "orcid": "9" * 5000})

    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert 'id="id_orcid_error"' in response.content.decode()


def test_profile_edits_only_the_signed_in_person(client, adam, oscar):
    client.force_login(oscar)

    client.post(PROFILE, {"name": "Oscar O.", "affiliation": "", "country": "", "orcid": ""})

    assert User.objects.get(pk=adam.pk).name == "Adam Author"
    assert User.objects.get(pk=oscar.pk).name == "Oscar O."


def test_email_cannot_be_changed_through_the_profile_form(client, adam):
    client.force_login(adam)

    client.post(PROFILE, {"name": "Adam", "email": "mallory@example.org", "email_verified": ""})

    adam.refresh_from_db()
    assert (adam.email, adam.email_verified) == ("adam@imperial.ac.uk", True)
