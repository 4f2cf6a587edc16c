"""A francophone visitor, with the keyboard only, switches to French, reads and
writes to the coordinator (issue 21)."""

import pytest
from django.core import mail

from tests.browser.keyboard import focused, tab_to

pytestmark = pytest.mark.browser


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def test_keyboard_visitor_switches_to_french_and_writes_in(
    browser, live_server, french_site, axe_check
):
    # The browser prefers French; the English address still shows English.
    context = browser.new_context(base_url=live_server.url, locale="fr-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/annual-forum/")
        assert html_lang(page) == "en"
        assert page.locator("h1").inner_text() == "Annual Forum"

        # The switcher is in the header, reached by Tab, and marked up.
        switch = tab_to(page, lambda el: el["text"].startswith("Français"))
        assert switch["href"] == "/fr/forum-annuel/"
        link = page.locator(".language-nav a[hreflang=fr]")
        assert link.get_attribute("lang") == "fr"
        current = page.locator(".language-nav a[aria-current]")
        assert current.inner_text() == "English"
        page.keyboard.press("Enter")
        page.wait_for_url("**/fr/forum-annuel/")
        assert html_lang(page) == "fr"
        assert page.locator("h1").inner_text() == "Forum annuel"
        axe_check(page)

        # The French home, from the logo, in French with its switcher.
        page.goto("/fr/")
        page.keyboard.press("Tab")
        assert focused(page)["text"] == "Passer au contenu principal"
        assert html_lang(page) == "fr"
        axe_check(page)

        # The French menu leads to the contact form; errors are in French.
        tab_to(page, lambda el: el["href"] == "/fr/nous-joindre/")
        page.keyboard.press("Enter")
        page.wait_for_url("**/fr/nous-joindre/")
        axe_check(page)
        tab_to(page, lambda el: el["text"] == "Envoyer le message")
        page.keyboard.press("Enter")
        page.wait_for_selector(".error-summary")
        assert "Il y a un problème" in page.locator(".error-summary").inner_text()
        assert html_lang(page) == "fr"
        axe_check(page)

        tab_to(page, lambda el: el["name"] == "your_name")
        page.keyboard.type("Geneviève Tremblay")
        page.keyboard.press("Tab")
        page.keyboard.type("genevieve@example.com")
        page.keyboard.press("Tab")
        page.keyboard.type("Collège Boréal")
        page.keyboard.press("Tab")
        page.keyboard.type("Comment notre collège peut-il se joindre au groupe?")
        tab_to(page, lambda el: el["text"] == "Envoyer le message")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=Votre message a été transmis")
        assert html_lang(page) == "fr"
        axe_check(page)
        assert len(mail.outbox) == 1
        assert "Comment notre collège" in mail.outbox[0].body

        # And back to English, on the page's English version.
        page.goto("/fr/nous-joindre/")
        tab_to(page, lambda el: el["text"] == "English")
        page.keyboard.press("Enter")
        page.wait_for_url("**/contact/")
        assert html_lang(page) == "en"
    finally:
        context.close()
