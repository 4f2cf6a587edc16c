"""Both languages at their addresses, the page's language in <html lang>, the
switcher and hreflang alternates (issue 21)."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from cms.models import StandardPage

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


def switcher(response):
    """The switcher's links: {language: (href, attributes…)}."""
    html = response.content.decode()
    nav = re.search(r'<nav class="language-nav".*?</nav>', html, re.S).group(0)
    return {
        match["lang"]: {
            **match.groupdict(),
            # What is read out: the language's name and any note (the short
            # code shown on phones is aria-hidden).
            "text": re.sub(
                r"<[^>]+>",
                "",
                re.sub(
                    r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", match["text"]
                ),
            ),
        }
        for match in re.finditer(
            r'<a href="(?P<href>[^"]*)" lang="(?P<lang>[^"]*)" '
            r'hreflang="(?P<hreflang>[^"]*)"(?P<current> aria-current="true")?>'
            r"(?P<text>.*?)</a>",
            nav,
            re.S,
        )
    }


def alternates(response):
    return dict(
        re.findall(
            r'<link rel="alternate" hreflang="([^"]*)" href="([^"]*)">',
            response.content.decode(),
        )
    )


def test_french_home_page_at_fr(client, french_site):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    html = response.content.decode()
    assert "<h1" in html and "La microcertification en Ontario" in html
    assert "Groupe de travail sur la microcertification" in html
    # The French interface, not only the French content.
    assert "Passer au contenu principal" in html


def test_english_stays_at_its_old_addresses(client, french_site):
    for url in ["/", "/annual-forum/", "/contact/", "/search/?q=forum"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
    assert "Micro-certification in Ontario" in client.get("/").content.decode()


def test_a_french_browser_on_an_english_address_gets_english(client, french_site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    html = response.content.decode()
    assert "Micro-certification in Ontario" in html
    assert "Skip to main content" in html
    assert "Passer au contenu principal" not in html


def test_an_english_browser_on_a_french_address_gets_french(client, french_site):
    response = client.get("/fr/forum-annuel/", HTTP_ACCEPT_LANGUAGE="en-CA,en")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert "Forum annuel" in response.content.decode()


def test_english_page_url_under_fr_is_not_found(client, french_site):
    # French pages have French slugs; the English slug is not a French page.
    assert client.get("/fr/annual-forum/").status_code == 404


def test_switcher_goes_to_the_translation_and_back(client, french_site):
    links = switcher(client.get("/annual-forum/"))
    assert links["en"]["current"] and links["en"]["href"] == "/annual-forum/"
    assert not links["fr"]["current"]
    assert links["fr"]["href"] == "/fr/forum-annuel/"
    assert links["fr"]["hreflang"] == "fr"
    assert links["fr"]["text"] == "Français"

    french = client.get(links["fr"]["href"])
    assert french.status_code == 200
    back = switcher(french)
    assert back["fr"]["current"]
    assert back["en"]["href"] == "/annual-forum/"
    assert back["en"]["text"] == "English"
    assert client.get(back["en"]["href"]).status_code == 200


def test_switcher_on_an_untranslated_page_says_so(client, french_site):
    english = StandardPage(title="Only in English", slug="only-in-english")
    french_site.get_translation(Locale.objects.get(language_code="en")).add_child(
        instance=english
    )
    english.save_revision().publish()

    response = client.get("/only-in-english/")
    links = switcher(response)
    assert links["fr"]["href"] == "/fr/"
    # The note is for a French reader, in French, inside the French link.
    assert "pas encore traduite" in links["fr"]["text"]
    assert client.get(links["fr"]["href"]).status_code == 200
    # No alternate for a page alone.
    assert alternates(response) == {}


def test_switcher_on_a_view_keeps_the_view(client, french_site):
    links = switcher(client.get("/search/?q=forum"))
    assert links["fr"]["href"] == "/fr/search/?q=forum"
    response = client.get("/fr/search/?q=forum")
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert switcher(response)["en"]["href"] == "/search/?q=forum"


def test_hreflang_alternates_name_both_versions(client, french_site, settings):
    for url in ["/why-micro-certification-now/", "/fr/"]:
        found = alternates(client.get(url))
        assert set(found) == {"en", "fr"}, url
    found = alternates(client.get("/fr/pourquoi-la-microcertification-maintenant/"))
    assert found == {
        "en": f"{settings.SITE_URL}/why-micro-certification-now/",
        "fr": f"{settings.SITE_URL}/fr/pourquoi-la-microcertification-maintenant/",
    }


def test_unpublished_translation_is_not_offered(client, french_site):
    french = StandardPage.objects.get(slug="forum-annuel")
    french.unpublish()
    links = switcher(client.get("/annual-forum/"))
    assert links["fr"]["href"] == "/fr/"
    assert "pas encore traduite" in links["fr"]["text"]
    assert client.get("/fr/forum-annuel/").status_code == 404


def test_sitemap_lists_each_language_at_its_address(client, french_site, settings):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]*)</loc>", response.content.decode())
    paths = {re.sub(r"^https?://[^/]+", "", location) for location in locations}
    assert {"/", "/annual-forum/", "/fr/", "/fr/forum-annuel/"} <= paths
    assert "/fr/nous-joindre/" in paths


def test_private_french_page_stays_out_of_the_sitemap_and_switcher(client, french_site):
    from wagtail.models import PageViewRestriction

    french = StandardPage.objects.get(slug="confidentialite")
    PageViewRestriction.objects.create(
        page=french, restriction_type=PageViewRestriction.LOGIN
    )
    paths = client.get(reverse("sitemap")).content.decode()
    assert "/fr/confidentialite/" not in paths
    assert "/privacy/" in paths
    response = client.get("/fr/confidentialite/")
    assert response.status_code == 302  # to sign in
    assert switcher(client.get("/privacy/"))["fr"]["href"] == "/fr/"


def main_menu(response):
    html = response.content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav)


def test_each_language_has_its_own_menu_and_site_map(client, french_site):
    english = main_menu(client.get("/"))
    assert ("/contact/", "Contact") in english
    french = main_menu(client.get("/fr/"))
    assert ("/fr/nous-joindre/", "Nous joindre") in french
    assert all(href.startswith("/fr/") for href, _title in french)
    # The English menu, kept in the cache, is not served to French pages.
    assert main_menu(client.get("/")) == english

    site_map = client.get("/fr/site-map/").content.decode()
    assert 'href="/fr/forum-annuel/"' in site_map
    assert 'href="/annual-forum/"' not in site_map


def test_site_search_finds_the_pages_of_the_sites_language(
    client, french_site, django_capture_on_commit_callbacks
):
    def page_titles(path):
        response = client.get(path, {"q": "forum"})
        assert response.status_code == 200
        return {hit.title for hit in response.context["result"].groups["pages"]}

    english, french = page_titles("/search/"), page_titles("/fr/search/")
    assert "Annual Forum" in english and "Forum annuel" not in english
    assert "Forum annuel" in french and "Annual Forum" not in french
