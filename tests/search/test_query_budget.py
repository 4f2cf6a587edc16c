"""Query budget of the site search page (see tests/budget.py)."""

import pytest

from community.models import Space
from tests.budget import assert_within

from .test_site import add_document, add_entry, add_page, add_thread

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# (anonymous, signed in as a member); the page cache is off, as in the benchmark.
# A repeated search comes from the result cache: the query log's UPDATE (counted
# at once in tests), plus for a member the user; what they may see is kept under
# versions (search.site.member_audience).
SEARCH = (1, 2)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.mark.parametrize("signed_in", [False, True])
def test_search_with_5_and_50_results_of_each_kind(
    client, home_page, member, django_capture_on_commit_callbacks, signed_in
):
    space = Space.objects.create(name="Open", slug="open", visibility="public")

    def grow(start, stop):
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(start, stop):
                add_thread(space, f"Badge thread {number}", "badge talk")
                add_document(f"Badge document {number}", ["badge"])
                add_entry(f"Badge course {number}", description="badge")
                add_page(home_page, f"Badge page {number}", summary="badge")

    def check(html, rows):
        assert "Badge thread" in html and "Badge document" in html
        assert "Badge course" in html and "Badge page" in html

    if signed_in:
        client.force_login(member)
    assert_within(client, "/search/?q=badge", SEARCH[signed_in], grow=grow, check=check)
