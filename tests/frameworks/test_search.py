"""Site search finds published framework text and never a draft's."""

import os

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(home_page, django_capture_on_commit_callbacks):
    """The demo content, with the search index updated as it is after each commit."""
    from frameworks import seed

    with django_capture_on_commit_callbacks(execute=True):
        seed.seed(open(os.devnull, "w"))  # noqa: SIM115


def test_search_finds_the_published_framework(client, indexed):
    html = client.get("/search/?q=publicly+assisted+colleges").content.decode()
    assert "Micro-certification framework and principles" in html


def test_search_never_shows_draft_text_or_draft_documents(client, indexed, member):
    # "jointly" is only in the 1.1 draft (its text and its PDF), which is in review.
    for user in (None, member):
        if user:
            client.force_login(user)
        html = client.get("/search/?q=jointly").content.decode()
        assert "Micro-certification framework and principles" not in html
        assert "1.1 draft" not in html
        html = client.get("/search/?q=framework+1.1+draft").content.decode()
        assert "micro-certification-framework-1.1.pdf" not in html
        assert "1.1 draft (PDF)" not in html


def test_working_group_finds_its_draft_document(client, indexed, wg_member):
    # The same search that hides the draft from others finds it for the group.
    client.force_login(wg_member)
    html = client.get("/search/?q=framework+1.1+draft").content.decode()
    assert "1.1 draft (PDF)" in html
