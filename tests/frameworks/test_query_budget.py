"""Query budget of a framework document page (see tests/budget.py)."""

import datetime

import pytest
from django.utils import timezone

from frameworks.models import FrameworkDownload, FrameworkVersion
from tests.budget import assert_within

from .conftest import make_document, make_framework

pytestmark = pytest.mark.django_db

# (warm, cold) for an anonymous visitor and for a signed-in member.
FRAMEWORK_PAGE = {False: (4, 13), True: (6, 16)}


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
    warm, cold = FRAMEWORK_PAGE[signed_in]
    assert_within(client, page.url, warm, cold=cold, grow=grow, check=check)
