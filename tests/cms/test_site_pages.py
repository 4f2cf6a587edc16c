"""The footer's pages: a readable site map, the accessibility and privacy notices."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def test_the_footer_links_the_site_map_accessibility_and_privacy(client, home_page):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for href in ("/site-map/", "/accessibility/", "/privacy/"):
        assert f'href="{href}"' in footer
        assert client.get(href).status_code == 200
    assert 'href="/sitemap.xml"' not in footer


def test_the_site_map_lists_public_pages_and_never_private_ones(client, home_page):
    secret = StandardPage(title="Board minutes", slug="board-minutes")
    home_page.add_child(instance=secret)
    secret.save_revision().publish()
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.LOGIN
    )
    html = client.get("/site-map/").content.decode()
    assert "<h1>Site map</h1>" in html
    for title in ("Contact", "Accessibility statement", "Privacy notice"):
        assert title in html
    assert "Board minutes" not in html
    assert 'href="/sitemap.xml"' in html  # the XML one stays for search engines
    assert client.get("/sitemap.xml").status_code == 200


def test_the_privacy_notice_names_what_the_site_collects(client, home_page):
    html = client.get("/privacy/").content.decode()
    for heading in ("Event registrations", "Member profiles", "Contact messages"):
        assert heading in html
    assert 'href="/contact/"' in html
    html = client.get("/accessibility/").content.decode()
    assert "Accessibility for Ontarians with Disabilities Act" in html
    assert "WCAG" in html
