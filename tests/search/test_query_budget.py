"""Query budget of the site search page (see tests/budget.py)."""

import pytest

from community.models import Space
from tests.budget import assert_within

from .test_site import add_document, add_entry, add_page, add_thread

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# (warm, cold) for an anonymous visitor and for a signed-in member.
# Warm, an anonymous search comes from the result cache: the page around it. A
# member's search asks the rules of the kinds that depend on the member every
# time; pages, the same for everyone, come from the cache. The query log is
# written off the request, by a task (search.popular).
# Each kind an app adds (consultations: clauses and comments) is one query.
SEARCH = {False: (0, 16), True: (9, 20)}


@pytest.fixture(autouse=True)
def _hits_handed_over_later(settings):
    settings.SEARCH_HITS_FLUSH_SECONDS = 3600  # as live


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
    warm, cold = SEARCH[signed_in]
    assert_within(client, "/search/?q=badge", warm, cold=cold, grow=grow, check=check)
