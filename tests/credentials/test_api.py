"""The JSON API at /api/v1/credentials and its OpenAPI document."""

import pytest
from jsonschema import Draft201909Validator

from credentials.models import MicroCredential
from credentials.serializers import achievement

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    college = make_provider("Lakeshore College")
    industry = make_provider("Data Society", provider_type="industry")
    for number in range(7):
        make_credential(
            f"Data Analytics {number}",
            provider=college if number % 2 else industry,
            delivery_mode="online" if number < 4 else "hybrid",
            cost_cad=0 if number < 3 else 800,
            skills=["SQL"] if number % 3 == 0 else ["Python"],
        )


def facet(data, name):
    return {
        v["value"]: v["count"]
        for f in data["facets"]
        if f["name"] == name
        for v in f["values"]
    }


def test_list_filters_facets_and_pagination(client, catalogue):
    data = client.get("/api/v1/credentials?q=data&mode=online&per_page=3").json()
    assert data["total"] == 4 and data["num_pages"] == 2 and len(data["results"]) == 3
    assert facet(data, "mode") == {"online": 4, "hybrid": 3, "in_person": 0}
    assert facet(data, "cost") == {
        "free": 3,
        "under-500": 0,
        "500-1000": 1,
        "over-1000": 0,
    }
    page_two = client.get(
        "/api/v1/credentials?q=data&mode=online&per_page=3&page=2"
    ).json()
    assert len(page_two["results"]) == 1
    slugs = {r["slug"] for r in data["results"]} | {
        r["slug"] for r in page_two["results"]
    }
    assert len(slugs) == 4
    data = client.get(
        "/api/v1/credentials?provider_type=industry&skill=sql&skill=python&cost=free"
    ).json()
    assert data["total"] == 2
    assert facet(data, "provider_type") == {
        "college": 1,
        "university": 0,
        "industry": 2,
        "other": 0,
    }
    result = data["results"][0]
    assert result["provider"]["provider_type"] == "industry"
    assert result["url"].startswith("http://testserver/catalogue/")


def test_detail(client, catalogue):
    credential = MicroCredential.objects.get(title="Data Analytics 3")
    data = client.get(f"/api/v1/credentials/{credential.slug}").json()
    assert data["title"] == "Data Analytics 3"
    assert data["skills"] == ["SQL"]
    assert data["cost_cad"] == "800.00" or float(data["cost_cad"]) == 800


@pytest.mark.parametrize(
    "query, status",
    [("sort=sideways", 422), ("per_page=1000", 422), ("page=0", 422), ("page=x", 422)],
)
def test_errors_are_json_with_a_status(client, catalogue, query, status):
    response = client.get("/api/v1/credentials?" + query)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_unknown_entry_is_a_json_404(client):
    response = client.get("/api/v1/credentials/no-such-thing")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_long_or_odd_queries_still_answer(client, catalogue):
    # Punctuation alone is no query (everything); unknown words find nothing.
    for text, total in [("x" * 5000, 0), ("':*&|!()", 7), ("ünïcödé 😀", 0)]:
        response = client.get("/api/v1/credentials", {"q": text})
        assert response.status_code == 200
        assert response.json()["total"] == total


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/v1/credentials" in document["paths"]
    assert "/api/v1/credentials/{slug}" in document["paths"]


def test_jsonld_endpoint_serves_an_open_badges_achievement(
    client, catalogue, achievement_schema
):
    credential = MicroCredential.objects.first()
    response = client.get(credential.get_jsonld_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    data = response.json()
    assert data["achievementType"] == "MicroCredential"
    assert data["type"] == ["Achievement"]
    Draft201909Validator(achievement_schema).validate(data)


def test_every_demo_entry_is_a_valid_achievement(demo_catalogue, achievement_schema):
    validator = Draft201909Validator(achievement_schema)
    entries = MicroCredential.objects.select_related("provider").prefetch_related(
        "skills"
    )
    assert entries.count() == 200
    for credential in entries:
        errors = sorted(validator.iter_errors(achievement(credential)), key=str)
        assert not errors, f"{credential.slug}: {errors[0].message}"
    # The check is not vacuous: a document without a name is rejected.
    broken = achievement(entries[0])
    del broken["name"]
    assert list(validator.iter_errors(broken))
