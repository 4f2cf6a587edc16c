"""The API's human-readable errors in the language asked for (issue 21)."""

import pytest

pytestmark = pytest.mark.django_db


def test_validation_errors_follow_accept_language(client):
    response = client.get(
        "/api/v1/credentials?page=0", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5"
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == "page"
    assert error["type"] == "greater_than_equal"
    assert error["msg"] == "Saisissez un nombre supérieur ou égal à 1."
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_lang_parameter_wins_and_english_is_the_default(client):
    response = client.get("/api/v1/credentials?page=x&lang=fr")
    assert response.json()["detail"][0]["msg"] == "Saisissez un nombre entier."
    response = client.get("/api/v1/credentials?page=x", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["detail"][0]["msg"] == "Saisissez un nombre entier."
    response = client.get("/api/v1/credentials?page=x&lang=en")
    assert response.json()["detail"][0]["msg"] == "Enter a whole number."
    # No preference, or only languages the site does not speak: English.
    for header in ["", "de-DE,de;q=0.9"]:
        response = client.get("/api/v1/credentials?page=0", HTTP_ACCEPT_LANGUAGE=header)
        assert response.json()["detail"][0]["msg"] == (
            "Enter a number greater than or equal to 1."
        )
        assert response["Content-Language"] == "en"


def test_not_found_follows_the_language_too(client):
    response = client.get(
        "/api/v1/credentials/no-such-thing", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable"}
    response = client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json() == {"detail": "Introuvable"}
    assert client.get("/api/v1/nothing-here").json() == {"detail": "Not Found"}


def test_choices_name_what_is_allowed_in_french(client):
    response = client.get("/api/v1/credentials?sort=sideways&lang=fr")
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert message.startswith("Choisissez parmi\u00a0: 'relevance', 'newest'")
    assert " or " not in message


def test_a_cookie_from_the_pages_does_not_change_the_api(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/api/v1/credentials?page=0")
    assert response.json()["detail"][0]["msg"].startswith("Enter a number")
