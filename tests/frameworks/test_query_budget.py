"""Query budget of a framework document page (see tests/budget.py)."""

import datetime

import pytest
from django.utils import timezone

from frameworks.models import FrameworkDownload, FrameworkVersion
from tests.budget import assert_within

from .conftest import make_document, make_framework

pytestmark = pytest.mark.django_db

# (anonymous, signed in as a member); the page cache is off, as in the benchmark.
FRAMEWORK_PAGE = (1, 2)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


@pytest.mark.parametrize("signed_in", [False, True])
def test_framework_page_with_5_and_50_versions_and_downloads(
    client, framework_index, member, signed_in
):
    page = make_framework(framework_index, "Assessment guide")
    version = page.versions.get()

    def grow(start, stop):
        for number in range(start, stop):
            FrameworkVersion.objects.create(
                page=page,
                number=f"0.{number + 1}",
                title=page.title,
                published_at=version.published_at - datetime.timedelta(days=number + 1),
                updated_at=timezone.now(),
                content=version.content,
            )
            FrameworkDownload.objects.create(
                page=page,
                document=make_document(f"Annex {number}"),
                sort_order=number,
            )

    def check(html, rows):
        assert html.count("Annex ") >= rows
        assert f"0.{rows}" in html

    if signed_in:
        client.force_login(member)
    assert_within(client, page.url, FRAMEWORK_PAGE[signed_in], grow=grow, check=check)
