import pytest

from .conftest import make_document, make_framework

pytestmark = pytest.mark.django_db


def test_api_lists_published_documents_and_never_drafts(client, seeded):
    response = client.get("/api/v1/frameworks")
    assert response.status_code == 200
    by_slug = {item["slug"]: item for item in response.json()}
    assert set(by_slug) == {
        "micro-certification-framework",
        "principles-for-micro-certification",
    }
    # The live version, not the 1.1 draft in review.
    assert by_slug["micro-certification-framework"]["version"] == "1.0"
    assert "Labour market" in by_slug["micro-certification-framework"]["tags"]


def test_api_detail_has_versions_and_public_downloads_only(client, seeded):
    data = client.get("/api/v1/frameworks/micro-certification-framework").json()
    assert [v["number"] for v in data["versions"]] == ["1.0"]
    assert data["versions"][0]["url"].endswith(
        "/frameworks/micro-certification-framework/v/1.0/"
    )
    (download,) = data["downloads"]
    assert download["file_type"] == "pdf"
    assert download["file_size"] > 0
    assert "1.1" not in download["url"]
    assert client.get(download["url"]).status_code == 200


def test_api_hides_unpublished_documents(client, framework_index):
    make_framework(
        framework_index,
        "Draft report",
        publish=False,
        documents=[make_document("Draft report PDF", draft=True)],
    )
    assert client.get("/api/v1/frameworks").json() == []
    response = client.get("/api/v1/frameworks/draft-report")
    assert response.status_code == 404
    assert "Draft report" not in response.content.decode()
