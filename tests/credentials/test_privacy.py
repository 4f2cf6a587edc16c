"""Draft and archived entries appear nowhere public: pages, API, search, sitemap."""

import pytest

from .factories import make_credential

pytestmark = pytest.mark.django_db

HIDDEN = [("draft", "Zebra Draft Analytics"), ("archived", "Zebra Archived Analytics")]


@pytest.fixture
def entries(home_page):
    public = make_credential("Zebra Public Analytics", skills=["zebra skill"])
    hidden = [
        make_credential(title, status=status, skills=["zebra skill"])
        for status, title in HIDDEN
    ]
    # Published in status but not live (unpublished in the admin) is hidden too.
    unpublished = make_credential("Zebra Unpublished Analytics")
    unpublished.live = False
    unpublished.save()
    return public, [*hidden, unpublished]


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_hidden_entries_are_hidden_everywhere(client, entries, who, request):
    if who != "anonymous":
        client.force_login(
            request.getfixturevalue("user" if who == "member" else "staff_with_mfa")
        )
    public, hidden = entries
    catalogue = client.get("/catalogue/?q=zebra").content.decode()
    api_list = client.get("/api/v1/credentials?q=zebra").json()
    api_all = client.get("/api/v1/credentials?per_page=100").json()
    sitemap = client.get("/sitemap.xml").content.decode()
    export = b"".join(client.get("/catalogue/export.json").streaming_content).decode()
    suggest = client.get("/catalogue/suggest?q=zebra").json()["suggestions"]
    assert public.title in catalogue
    assert public.slug in sitemap
    assert [r["slug"] for r in api_list["results"]] == [public.slug]
    skill_counts = {
        v["value"]: v["count"]
        for f in api_all["facets"]
        if f["name"] == "skill"
        for v in f["values"]
    }
    assert skill_counts == {"zebra-skill": 1}
    for credential in hidden:
        assert credential.title not in catalogue
        assert credential.slug not in sitemap
        assert credential.title not in export
        assert credential.title not in suggest
        assert credential.slug not in str(api_all)
        assert client.get(credential.get_absolute_url()).status_code == 404
        assert client.get(credential.get_jsonld_url()).status_code == 404
        response = client.get(f"/api/v1/credentials/{credential.slug}")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_suggestions_name_no_skill_only_hidden_entries_have(
    client, home_page, who, request
):
    """Suggestions come from what the catalogue shows: a skill used only by a
    draft, an archived or an unpublished entry is never suggested."""
    if who != "anonymous":
        client.force_login(
            request.getfixturevalue("user" if who == "member" else "staff_with_mfa")
        )
    make_credential("Public Quokka Course", skills=["quokka public"])
    make_credential("Hidden one", status="draft", skills=["quokkadraftmarker"])
    make_credential("Hidden two", status="archived", skills=["quokkaarchivedmarker"])
    unpublished = make_credential("Hidden three", skills=["quokkaunpublishedmarker"])
    unpublished.live = False
    unpublished.save()

    suggestions = client.get("/catalogue/suggest?q=quokka").json()["suggestions"]
    catalogue = client.get("/catalogue/?q=quokka").content.decode()

    assert "quokka public" in suggestions
    for marker in ("quokkadraftmarker", "quokkaarchivedmarker", "quokkaunpublished"):
        assert not any(marker in suggestion for suggestion in suggestions)
        assert marker not in catalogue


def test_stacking_links_skip_hidden_entries(client):
    from credentials.models import MicroCredential

    public = make_credential("Public Base")
    draft = make_credential("Secret Advanced", status="draft")
    MicroCredential.stacks_into.through.objects.create(
        from_microcredential_id=public.pk, to_microcredential_id=draft.pk
    )
    assert (
        "Secret Advanced" not in client.get(public.get_absolute_url()).content.decode()
    )
    assert client.get(f"/api/v1/credentials/{public.slug}").json()["stacks_into"] == []
