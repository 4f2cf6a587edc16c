"""Sign-up asks for the name members see, so nobody appears as an email's local part."""

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _post(client, **extra):
    data = {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **extra})


def test_the_display_name_is_what_members_see(client, home_page):
    response = _post(client, display_name="  Ada   Lovelace ")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ada@example.org")
    assert user.community_profile.display_name == "Ada Lovelace"
    assert user.community_profile.name == "Ada Lovelace"


def test_without_a_display_name_nothing_is_created(client, home_page):
    response = _post(client, display_name="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert not get_user_model().objects.filter(email="ada@example.org").exists()


def test_account_forms_read_in_sentence_case_without_colons(client, home_page):
    html = client.get("/accounts/login/").content.decode()
    assert "<h1>Sign in</h1>" in html
    assert "Remember me" in html and "Remember Me" not in html
    assert ":</label>" not in html
    html = client.get("/accounts/signup/").content.decode()
    assert "<h1>Sign up</h1>" in html
    assert 'for="id_display_name">Display name' in html
    assert "<title>Sign up ·" in html
