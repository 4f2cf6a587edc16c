"""A francophone visitor's whole journey, in French from /fr/ (issue 21).

Reads the framework and downloads its French PDF, registers for the forum as
a guest and confirms from the French email, then writes to the coordinator.
The browser prefers English, yet every French page says `lang="fr"`; another
browser that prefers French gets `lang="en"` on the English pages.
"""

import io
import os
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from cms import seed_french as cms_french
from events import seed as events_seed
from events import seed_french as events_french
from events.models import EventPage, Registration
from frameworks import seed as frameworks_seed
from frameworks import seed_french as frameworks_french

pytestmark = pytest.mark.browser


@pytest.fixture
def bilingual_site(transactional_db, home_page):
    out = open(os.devnull, "w")  # noqa: SIM115
    frameworks_seed.seed(out)
    events_seed.seed(out)
    cms_french.seed(out)
    frameworks_french.seed(out)
    events_french.seed(out)
    return home_page


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def _french_page(page, axe_check):
    assert html_lang(page) in {"fr", "fr-CA"}, page.url
    axe_check(page)


def _path(url):
    return "/" + url.split("/", 3)[3]


def test_a_francophone_reads_downloads_registers_confirms_and_writes(
    browser, live_server, bilingual_site, axe_check
):
    context = browser.new_context(base_url=live_server.url, locale="en")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/fr/")
        assert page.locator("h1").inner_text() == "La microcertification en Ontario"
        _french_page(page, axe_check)

        # The framework, from the main menu, then its French PDF.
        page.locator("header").get_by_role(
            "link", name=frameworks_french.INDEX_TITLE, exact=True
        ).first.click()
        page.wait_for_url("**/fr/cadres/")
        _french_page(page, axe_check)
        page.get_by_role("link", name=frameworks_french.FRAMEWORK_TITLE).first.click()
        page.wait_for_url(f"**/fr/cadres/{frameworks_french.FRAMEWORK_SLUG}/")
        assert page.get_by_role("heading", name="Rôles et responsabilités").is_visible()
        assert page.get_by_text("Reconnaissance par les partenaires").first.is_visible()
        _french_page(page, axe_check)
        with page.expect_download() as download_info:
            page.locator(".fw-downloads a").first.click()
        with open(download_info.value.path(), "rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        assert frameworks_french.FRAMEWORK_TITLE in text
        assert "Version 1.0, publiée le" in text
        assert "Pertinence pour le marché du travail" in text

        # The forum, from the home page's promise, and the guest's registration.
        page.goto("/fr/")
        page.get_by_role("link", name=cms_french.REGISTER_FORUM).first.click()
        forum = EventPage.objects.get(locale__language_code="fr")
        page.wait_for_url(f"**{forum.url}#register")
        assert page.get_by_role("heading", name="Programme").is_visible()
        assert page.get_by_text("Accueil et mot d'ouverture").is_visible()
        _french_page(page, axe_check)
        page.get_by_label("Nom complet").fill("Geneviève Tremblay")
        page.locator("input[name=email]").fill("genevieve@example.com")
        page.locator("input[name=organisation]").fill("Collège Boréal")
        page.locator("select[name=sector]").select_option("higher_education")
        page.locator("input[name=privacy]").check()
        page.get_by_role("button", name="S'inscrire").click()
        page.wait_for_selector("text=Consultez vos courriels")
        _french_page(page, axe_check)

        # The confirmation email is in French and leads to French pages.
        (email,) = [m for m in mail.outbox if m.to == ["genevieve@example.com"]]
        assert email.subject == f"Confirmez votre inscription à {forum.title}"
        assert "Bonjour Geneviève Tremblay" in email.body
        link = re.search(r"http://\S+/registrations/confirm/\S+/", email.body)
        page.goto(_path(link.group(0)))
        assert page.get_by_role("heading", name="Confirmez votre inscription")
        _french_page(page, axe_check)
        page.get_by_role("button", name="Confirmer mon inscription").click()
        page.wait_for_url("**/registrations/manage/**")
        assert page.get_by_text("Votre place est confirmée").first.is_visible()
        _french_page(page, axe_check)
        registration = Registration.objects.get(email="genevieve@example.com")
        assert registration.status == "confirmed"

        # And a question for the coordinator.
        page.goto("/fr/")
        page.locator("header").get_by_role("link", name="Nous joindre").first.click()
        page.wait_for_url("**/fr/nous-joindre/")
        _french_page(page, axe_check)
        page.get_by_label("Votre nom").fill("Geneviève Tremblay")
        page.get_by_label("Votre adresse courriel").fill("genevieve@example.com")
        page.get_by_label("Organisme").fill("Collège Boréal")
        page.get_by_label("Message").fill("Notre collège peut-il se joindre au groupe?")
        page.get_by_role("button", name="Envoyer le message").click()
        page.wait_for_selector("text=Votre message a été transmis")
        _french_page(page, axe_check)
        assert any("Notre collège" in m.body for m in mail.outbox)
    finally:
        context.close()

    # A browser that prefers French reads the English pages in English.
    context = browser.new_context(base_url=live_server.url, locale="fr-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        english_forum = EventPage.objects.get(locale__language_code="en")
        for path in (
            "/",
            f"/frameworks/{frameworks_seed.FRAMEWORK_SLUG}/",
            english_forum.url,
            "/contact/",
        ):
            page.goto(path)
            assert html_lang(page) == "en", path
        assert page.locator("h1").inner_text() != "Nous joindre"
    finally:
        context.close()
