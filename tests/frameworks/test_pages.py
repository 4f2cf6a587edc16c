import io
import re

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser

from frameworks.models import DocumentDownloadCount, FrameworkPage

from .conftest import make_document, make_framework

pytestmark = pytest.mark.django_db


def test_index_lists_published_documents_newest_first(client, seeded):
    html = client.get("/frameworks/").content.decode()
    framework = html.index("Micro-certification framework and principles")
    principles = html.index("Principles for micro-certification")
    # The framework was published after the principles in the seed.
    assert framework < principles
    assert "Version 1.0" in html
    assert '<span class="fw-badge fw-badge--principles">Principles</span>' in html
    assert 'href="/frameworks/?tag=labour-market"' in html


def test_index_is_in_the_main_navigation(client, seeded):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/frameworks/"' in nav


def test_filter_by_type_and_by_topic(client, seeded):
    html = client.get("/frameworks/?type=principles").content.decode()
    assert "Principles for micro-certification" in html
    assert "Micro-certification framework and principles</a>" not in html

    html = client.get("/frameworks/?tag=labour-market").content.decode()
    assert "Micro-certification framework and principles</a>" in html
    assert "Principles for micro-certification</a>" not in html

    html = client.get("/frameworks/?type=report").content.decode()
    assert "No published documents match these filters." in html


def test_unknown_filter_value_gets_a_clear_message(client, seeded):
    response = client.get("/frameworks/?type=secret-plans")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a valid choice" in html
    # The list is shown unfiltered.
    assert "Principles for micro-certification</a>" in html


def test_document_page_reads_online_with_contents_principles_and_downloads(
    client, seeded
):
    html = client.get("/frameworks/micro-certification-framework/").content.decode()
    toc = html.split('aria-labelledby="fw-toc-heading"', 1)[1].split("</nav>", 1)[0]
    for anchor in ["purpose", "scope", "principles", "roles", "review"]:
        assert f'href="#{anchor}"' in toc
        assert f'id="{anchor}"' in html
    assert '<h3 class="fw-principle__name">Partner endorsement</h3>' in html
    assert "Evidence that it is met" in html
    assert "<caption>Who does what</caption>" in html
    downloads = html.split('id="fw-downloads-heading"', 1)[1].split("</section>", 1)[0]
    assert "Version 1.0 as PDF" in downloads
    assert "(PDF, " in downloads and "KB)" in downloads
    # The live version is 1.0 even though 1.1 is in review.
    assert "every two years" in html
    assert "every year, with the annual forum" not in html


def test_published_download_is_a_real_pdf_and_is_counted(
    client, seeded, staff_with_mfa
):
    document = seeded.versions.get().pdf
    for _ in range(2):
        response = client.get(document.url)
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "Micro-certification framework" in reader.pages[0].extract_text()
    assert DocumentDownloadCount.objects.get(document=document).count == 2
    # Staff see the count in the admin; nothing identifies who downloaded.
    client.force_login(staff_with_mfa)
    html = client.get("/admin/frameworks/downloads/").content.decode()
    assert document.title in html
    assert re.search(r"<td[^>]*>\s*2\s*</td>", html), html[html.find("<table") :]
    field_names = {f.name for f in DocumentDownloadCount._meta.get_fields()}
    assert field_names == {"id", "document", "count", "last_downloaded_at"}


def test_download_counts_are_not_shown_to_members(client, seeded, member):
    client.force_login(member)
    response = client.get("/admin/frameworks/downloads/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "Micro-certification framework" not in response.content.decode()


def test_index_query_count_does_not_grow_with_documents(
    client, framework_index, django_assert_num_queries
):
    def add(count, start):
        for number in range(start, start + count):
            make_framework(
                framework_index,
                f"Guide {number}",
                tags=["Assessment", f"Topic {number}"],
                documents=[make_document(f"Guide {number} PDF")],
            )

    add(5, 0)
    client.get("/frameworks/")  # warm caches that every request would hit once
    from django.core.cache import cache

    cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        response = client.get("/frameworks/")
    assert response.content.decode().count('class="fw-item"') == 5
    add(45, 5)
    cache.clear()
    with django_assert_num_queries(len(five)):
        response = client.get("/frameworks/")
    assert response.content.decode().count('class="fw-item"') == 50


def test_drafts_are_in_no_listing_feed_or_sitemap(client, framework_index):
    make_framework(
        framework_index, "Draft report", publish=False, document_type="report"
    )
    make_framework(framework_index, "Published guide")
    assert "Draft report" not in client.get("/frameworks/").content.decode()
    assert "Draft report" not in client.get("/frameworks/feed/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "draft-report" not in sitemap
    assert "/frameworks/published-guide/v/1.0/" in sitemap
    anonymous = AnonymousUser()
    titles = set(
        FrameworkPage.objects.visible_to(anonymous).values_list("title", flat=True)
    )
    assert titles == {"Published guide"}


def test_seed_builds_the_demo_and_running_it_again_changes_nothing(seeded):
    from django.contrib.auth.models import Group
    from wagtail.documents import get_document_model
    from wagtail.models import Page, Revision, WorkflowState

    from frameworks import seed
    from frameworks.models import FrameworkVersion

    assert list(seeded.versions.values_list("number", flat=True)) == ["1.0"]
    draft = seeded.get_latest_revision_as_object()
    assert draft.version == "1.1"
    state = WorkflowState.objects.get(object_id=str(seeded.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Framework review"
    (download,) = draft.downloads.all()
    assert download.document.collection.name == "Framework drafts"
    assert FrameworkPage.objects.get(slug=seed.PRINCIPLES_SLUG).live
    assert (
        Group.objects.get(name="Micro-Certification Working Group")
        .user_set.filter(email=seed.WORKING_GROUP_EMAIL)
        .exists()
    )

    def counts():
        return [
            Page.objects.count(),
            Revision.objects.count(),
            get_document_model().objects.count(),
            FrameworkVersion.objects.count(),
            WorkflowState.objects.count(),
        ]

    before = counts()
    seed.seed(io.StringIO())
    assert counts() == before


def test_a_download_counts_once_whatever_the_viewer_asks_for(client, seeded):
    document = seeded.versions.get().pdf
    client.head(document.url)
    client.get(document.url, HTTP_RANGE="bytes=200-")
    assert not DocumentDownloadCount.objects.filter(document=document).exists()
    client.get(document.url, HTTP_RANGE="bytes=0-")
    client.get(document.url)
    assert DocumentDownloadCount.objects.get(document=document).count == 2
