"""Numbers in the API and the pages are bounded: a clear 4xx or a page, never 500.

Before, `offset=99999999999999999999` overflowed PostgreSQL's bigint (500) and
`limit=9223372036854775807` returned every row at once.
"""

import pytest

from community import services

from .input_support import make_member, make_public_space

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
BIGINT_MAX = "9223372036854775807"


@pytest.fixture
def thread(db):
    member = make_member()
    make_public_space()
    from community.models import Space

    thread = services.create_thread(
        author=member,
        space=Space.objects.get(slug="open"),
        title="Pathways",
        body="First",
    )
    for number in range(3):
        services.reply(author=member, thread=thread, body=f"Reply {number}")
    return thread


def _detail_locations(response):
    return [tuple(issue["loc"]) for issue in response.json()["detail"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (f"offset={HUGE}", "offset"),
        (f"limit={HUGE}", "limit"),
        (f"limit={BIGINT_MAX}", "limit"),
        ("limit=101", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("offset=1000001", "offset"),
    ],
)
def test_limit_and_offset_out_of_bounds_get_422(client, thread, query, field):
    for url in (
        f"/api/v1/community/spaces/open/threads?{query}",
        f"/api/v1/community/threads/{thread.pk}/posts?{query}",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response["Content-Type"].startswith("application/json")
        assert ("query", field) in _detail_locations(response)


def test_limit_and_offset_within_bounds_page_through(client, thread):
    url = f"/api/v1/community/threads/{thread.pk}/posts"
    data = client.get(url + "?limit=2&offset=1").json()
    assert data["count"] == 4
    assert [post["body_html"] for post in data["items"]] == [
        "<p>Reply 0</p>",
        "<p>Reply 1</p>",
    ]
    assert client.get(url + "?limit=100&offset=1000000").json()["items"] == []


@pytest.mark.parametrize(
    "query",
    [f"page={HUGE}", "page=100000", f"per_page={HUGE}", "per_page=101", "page=0"],
)
def test_catalogue_page_numbers_out_of_bounds_get_422(client, query):
    response = client.get(f"/api/v1/credentials?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/events/{HUGE}",
        f"/api/v1/community/threads/{HUGE}/posts",
        "/api/v1/events/0",
        "/api/v1/community/threads/-1/posts",
    ],
)
def test_ids_out_of_bounds_get_422(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "path"


@pytest.mark.parametrize(
    "url", ["/api/v1/nothing-here", "/api/v1/credentials/a/b", "/api/v2/"]
)
def test_unknown_api_urls_get_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_the_openapi_document_states_the_bounds_and_the_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    def parameter(path, name):
        for item in paths[path]["get"]["parameters"]:
            if item["name"] == name:
                return item["schema"]
        raise AssertionError(f"{path} has no parameter {name}")

    threads = "/api/v1/community/spaces/{slug}/threads"
    assert parameter(threads, "limit")["maximum"] == 100
    assert parameter(threads, "offset")["maximum"] == 1_000_000
    assert parameter("/api/v1/credentials", "page")["maximum"] == 99_999
    assert parameter("/api/v1/credentials", "per_page")["maximum"] == 100
    assert "pattern" in parameter(threads, "slug")
    for path, operations in paths.items():
        statuses = set(operations["get"]["responses"])
        assert {"200", "400"} <= statuses, path
        if operations["get"].get("parameters"):
            assert "422" in statuses, path
        if "{" in path:
            assert "404" in statuses, path


@pytest.mark.parametrize("page", [HUGE, BIGINT_MAX, "-1", "0", "x", "1e9", "9" * 5000])
def test_html_page_numbers_give_a_page(client, thread, page):
    for url in (
        "/community/members/",
        "/community/spaces/open/",
        thread.get_absolute_url(),
        "/catalogue/",
        "/search/?q=pathways&",
    ):
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}page={page}")
        assert response.status_code in (200, 302), url
