import re

import pytest

from frameworks.models import FrameworkPage, FrameworkVersion

from .conftest import body, edit_form_data, make_document, make_framework

pytestmark = pytest.mark.django_db

SECTIONS_1_0 = [("Review", "The working group reviews this framework every two years.")]
SECTIONS_1_1 = [("Review", "The working group reviews this framework every year.")]


def publish_new_version(page, version, sections, documents=None, summary=""):
    """Publish the page with new content, as the coordinator would."""
    from frameworks.models import FrameworkDownload

    page = FrameworkPage.objects.get(pk=page.pk)
    page.version = version
    page.change_summary = summary
    page.body = body(*sections)
    if documents is not None:
        page.downloads = [FrameworkDownload(document=d) for d in documents]
    page.save_revision().publish()
    return FrameworkPage.objects.get(pk=page.pk)


@pytest.fixture
def two_versions(framework_index):
    pdf_1_0 = make_document("Framework 1.0 PDF")
    page = make_framework(
        framework_index,
        "Framework",
        document_type="framework",
        sections=SECTIONS_1_0,
        documents=[pdf_1_0],
    )
    pdf_1_1 = make_document("Framework 1.1 PDF", draft=True)
    page = publish_new_version(
        page, "1.1", SECTIONS_1_1, [pdf_1_1], summary="Reviewed every year."
    )
    return page, pdf_1_0, pdf_1_1


def test_old_version_keeps_its_url_and_content(client, two_versions):
    page, pdf_1_0, pdf_1_1 = two_versions
    old = client.get("/frameworks/framework/v/1.0/")
    assert old.status_code == 200
    html = old.content.decode()
    assert "reviews this framework every two years." in html
    assert "reviews this framework every year." not in html
    assert "You are reading version 1.0, an earlier version" in html
    assert 'href="/frameworks/framework/">Read the current version (1.1)' in html
    # The old version still offers its own PDF, which still downloads.
    assert pdf_1_0.url in html and pdf_1_1.url not in html
    assert client.get(pdf_1_0.url).status_code == 200

    current = client.get("/frameworks/framework/").content.decode()
    assert "reviews this framework every year." in current
    assert "every two years" not in current
    assert pdf_1_1.url in current
    # Publishing released the 1.1 PDF from the drafts collection.
    assert client.get(pdf_1_1.url).status_code == 200
    assert client.get("/frameworks/framework/v/1.1/").status_code == 200
    assert client.get("/frameworks/framework/v/2.0/").status_code == 404


def test_page_lists_its_versions_with_dates_and_change_summaries(client, two_versions):
    html = client.get("/frameworks/framework/").content.decode()
    versions = html.split('id="fw-versions-heading"', 1)[1].split("</table>", 1)[0]
    assert versions.index(">1.1<") < versions.index(">1.0<")
    assert "Reviewed every year." in versions
    assert 'href="/frameworks/framework/v/1.0/"' in versions
    assert "<time datetime=" in versions
    assert 'name="from"' in html and 'name="to"' in html


def test_comparison_shows_the_changed_text(client, two_versions):
    response = client.get("/frameworks/framework/compare/?from=1.0&to=1.1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Changes from version 1.0 to version 1.1." in html
    assert "<del>two years.</del>" in html
    assert "<ins>year.</ins>" in html
    # The default comparison is the previous version against the current one.
    assert (
        "<del>two years.</del>"
        in client.get("/frameworks/framework/compare/").content.decode()
    )


def test_comparison_of_unknown_versions_says_what_is_wrong(client, two_versions):
    response = client.get("/frameworks/framework/compare/?from=0.9&to=1.1")
    assert response.status_code == 400
    assert "Choose two versions of this document to compare." in (
        response.content.decode()
    )
    response = client.get("/frameworks/framework/compare/?from=1.1&to=1.1")
    assert response.status_code == 400
    assert "Choose two different versions" in response.content.decode()


def test_feed_lists_every_published_version_and_no_draft(client, two_versions):
    page = two_versions[0]
    # A later draft, and a document never published.
    draft = FrameworkPage.objects.get(pk=page.pk)
    draft.version = "1.2"
    draft.body = body(("Secret", "Unpublished draft wording."))
    draft.save_revision()
    make_framework(page.get_parent(), "Draft only report", publish=False)

    response = client.get("/frameworks/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Framework, version 1.1</title>" in feed
    assert "<title>Framework, version 1.0</title>" in feed
    assert "http://testserver/frameworks/framework/v/1.0/" in feed
    assert "Reviewed every year." in feed
    # Not a bare "1.2": a timestamp in the feed may hold those characters.
    assert "version 1.2" not in feed and "/v/1.2/" not in feed
    assert "Unpublished draft wording" not in feed
    assert "Draft only report" not in feed


def test_unpublished_document_disappears_with_its_versions(client, two_versions):
    page = two_versions[0]
    page.unpublish()
    assert client.get("/frameworks/framework/v/1.0/").status_code == 404
    assert "Framework, version" not in client.get("/frameworks/feed/").content.decode()
    assert "/frameworks/framework/" not in client.get("/sitemap.xml").content.decode()


def test_republishing_the_same_number_corrects_that_version(client, two_versions):
    page = two_versions[0]
    publish_new_version(
        page, "1.1", [("Review", "The working group reviews it every year.")]
    )
    assert list(page.versions.values_list("number", flat=True)) == ["1.1", "1.0"]
    html = client.get("/frameworks/framework/v/1.1/").content.decode()
    assert "reviews it every year." in html
    assert FrameworkVersion.objects.filter(page=page).count() == 2


def test_a_bad_version_number_is_refused_with_a_message(
    client, two_versions, staff_with_mfa
):
    page = two_versions[0]
    client.force_login(staff_with_mfa)
    revisions = page.revisions.count()
    data = edit_form_data(
        page, sections=SECTIONS_1_1, version="one point two", action="action-publish"
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200
    assert "Enter a version number such as 1.0 or 2.1.3." in response.content.decode()
    assert page.revisions.count() == revisions
    assert FrameworkPage.objects.get(pk=page.pk).version == "1.1"
    assert page.versions.count() == 2


def test_version_links_survive_a_renamed_document(
    client, two_versions, staff_with_mfa, django_capture_on_commit_callbacks
):
    page = two_versions[0]
    client.force_login(staff_with_mfa)
    data = edit_form_data(
        page,
        sections=SECTIONS_1_1,
        version="1.1",
        action="action-publish",
        slug="framework-for-micro-certification",
    )
    # Wagtail records the redirect from the old address once the edit commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    client.logout()
    response = client.get("/frameworks/framework/v/1.0/")
    assert response.status_code == 301
    assert (
        response["Location"] == "/frameworks/framework-for-micro-certification/v/1.0/"
    )
    assert "every two years" in client.get(response["Location"]).content.decode()
    assert client.get("/frameworks/framework/").status_code == 301
    assert client.get("/frameworks/no-such-document/v/1.0/").status_code == 404


def test_each_version_page_names_itself_as_canonical(client, two_versions, settings):
    settings.SITE_URL = "https://micro.example.org"
    html = client.get("/frameworks/framework/v/1.0/").content.decode()
    assert (
        '<link rel="canonical" '
        'href="https://micro.example.org/frameworks/framework/v/1.0/">' in html
    )
    assert (
        'Cite this version: <a href="/frameworks/framework/v/1.0/">'
        + ("https://micro.example.org/frameworks/framework/v/1.0/</a>")
        in html
    )
    html = client.get("/frameworks/framework/").content.decode()
    (canonical,) = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert canonical == "https://micro.example.org/frameworks/framework/"
    assert '<meta property="og:url" content="https://micro.example.org/' in html
    assert "localhost" not in html


def test_versions_and_downloads_follow_a_publish_and_a_renamed_document(
    client, two_versions, member
):
    page, _pdf_1_0, _pdf_1_1 = two_versions
    client.force_login(member)
    html = client.get("/frameworks/framework/").text  # kept for every visitor
    assert "Framework 1.1 PDF" in html and ">1.2<" not in html

    pdf_1_2 = make_document("Framework 1.2 PDF", draft=True)
    publish_new_version(page, "1.2", SECTIONS_1_0, [pdf_1_2], summary="Back to two.")
    for visitor in (client, type(client)()):
        html = visitor.get("/frameworks/framework/").text
        versions = html.split('id="fw-versions-heading"', 1)[1]
        assert ">1.2<" in versions and "Back to two." in versions
        assert "Framework 1.2 PDF" in html and "Framework 1.1 PDF" not in html

    pdf_1_2.title = "Framework 1.2 (final) PDF"
    pdf_1_2.save()
    assert "Framework 1.2 (final) PDF" in client.get("/frameworks/framework/").text
