import pytest
from wagtail.models import Page

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_seed_text_and_the_rmit_quote(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Micro-certification in Ontario</h1>" in html
    assert "<blockquote" in html
    assert "A digital credential is the official certification" in html
    assert "<cite>RMIT University</cite>" in html
    assert "The annual Micro-Certification Forum brings employers" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/what-is-a-micro-certification/", "which fall under the category of"),
        ("/why-micro-certification-now/", "both vertical and transversal skills"),
        ("/harmonized-ecosystem/", "The Micro-Certification Working Group brings"),
        ("/annual-forum/", "contact the Program Coordinator"),
        ("/contact/", "<h1>Contact the Program Coordinator</h1>"),
    ],
)
def test_every_seeded_page_renders_its_content(client, home_page, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_navigation_and_home_page_reach_each_page(client, home_page):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    for url in ["/what-is-a-micro-certification/", "/contact/"]:
        assert f'href="{url}"' in nav
    explore = html.split('id="explore-heading"', 1)[1]
    for url in [
        "/what-is-a-micro-certification/",
        "/why-micro-certification-now/",
        "/harmonized-ecosystem/",
        "/annual-forum/",
        "/contact/",
    ]:
        assert f'href="{url}"' in explore


def test_home_page_covers_why_now_and_the_ecosystem(client, home_page):
    html = client.get("/").content.decode()
    assert "Why micro-certification now?" in html
    assert "a nimble recognition system is essential" in html
    assert "Building a harmonized micro-certification ecosystem" in html
    assert "The Micro-Certification Working Group brings together" in html


def test_current_section_is_marked_in_navigation_and_breadcrumbs(client, home_page):
    html = client.get("/what-is-a-micro-certification/").content.decode()
    assert 'href="/what-is-a-micro-certification/" aria-current="page"' in html
    crumbs = html.split('aria-label="Breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/"' in crumbs


def test_headings_get_anchors_for_linking(client, home_page):
    html = client.get("/harmonized-ecosystem/").content.decode()
    assert '<h2 id="a-common-framework">A common framework</h2>' in html
    assert 'id="working-group"' in html


def test_pages_have_title_description_and_open_graph(client, home_page):
    html = client.get("/why-micro-certification-now/").content.decode()
    assert "<title>Why micro-certification now? ·" in html
    assert '<meta name="description" content="Recognizing vertical' in html
    assert '<meta property="og:title" content="Why micro-certification now?">' in html
    assert 'property="og:url"' in html


def test_skip_link_and_landmarks(client, home_page):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'lang="en"' in html


def test_seed_demo_is_idempotent(home_page):
    from io import StringIO

    from django.core.management import call_command
    from wagtail.models import Revision

    pages, revisions = Page.objects.count(), Revision.objects.count()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    pages_after = Page.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Page.objects.count() == pages_after
    assert pages_after >= pages
    assert Revision.objects.count() >= revisions


def test_unknown_url_gets_a_helpful_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unpublished_page_is_not_public_nor_in_sitemap(client, home_page):
    page = Page.objects.get(slug="annual-forum")
    page.unpublish()
    assert client.get("/annual-forum/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/annual-forum/" not in sitemap
    assert "/why-micro-certification-now/" in sitemap
    assert 'href="/annual-forum/"' not in client.get("/").content.decode()


def test_private_page_stays_out_of_sitemap(client, home_page):
    from wagtail.models import PageViewRestriction

    page = Page.objects.get(slug="harmonized-ecosystem")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/harmonized-ecosystem/" not in sitemap
    assert client.get("/harmonized-ecosystem/").status_code == 302


def test_robots_txt_points_at_the_sitemap(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_document_files_are_never_served_from_media(client, home_page, settings):
    folder = settings.MEDIA_ROOT / "documents"
    folder.mkdir(parents=True)
    (folder / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    assert client.get("/media/documents/secret.pdf").status_code == 404
    (settings.MEDIA_ROOT / "images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "images" / "a.txt").write_bytes(b"public")
    assert client.get("/media/images/a.txt").status_code == 200


def test_pages_are_routed_by_their_path_in_one_lookup(
    client, home_page, django_assert_max_num_queries
):
    from cms.models import StandardPage

    section = home_page.add_child(instance=StandardPage(title="Guides"))
    topic = section.add_child(instance=StandardPage(title="Assessment"))
    leaf = topic.add_child(instance=StandardPage(title="Rubrics"))
    draft = topic.add_child(instance=StandardPage(title="Draft notes", live=False))

    assert client.get(leaf.url).status_code == 200
    assert "Rubrics" in client.get("/guides/assessment/rubrics/").text
    # A missing page below an existing one, and a draft, are not found.
    assert client.get("/guides/assessment/nothing-here/").status_code == 404
    assert client.get("/guides/missing/rubrics/").status_code == 404
    assert client.get(f"/guides/assessment/{draft.slug}/").status_code == 404
    # Three levels deep costs no more to find than one.
    client.get("/guides/")
    with django_assert_max_num_queries(20) as shallow:
        client.get("/guides/")
    with django_assert_max_num_queries(20) as deep:
        client.get("/guides/assessment/rubrics/")
    assert len(deep.captured_queries) <= len(shallow.captured_queries) + 1


def test_a_renamed_page_is_found_at_its_new_address_and_no_longer_at_the_old(
    client, home_page, settings
):
    # HomePage.route finds the page by its url_path in one query.
    old = "/why-micro-certification-now/"
    assert client.get(old).status_code == 200

    page = StandardPage.objects.get(url_path__endswith="/why-micro-certification-now/")
    page.slug = "the-case-for-micro-certification"
    page.save_revision().publish()

    assert client.get(old).status_code == 404
    response = client.get("/the-case-for-micro-certification/")
    assert response.status_code == 200
    assert page.title in response.content.decode()
