"""French pages show no English interface string (issue 21).

Every message of our catalogue that is marked for translation and differs in
French is looked for in the text of French pages of each kind: one found
there is an interface string left in English.
"""

import re
from html import unescape
from pathlib import Path

import polib
import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"

FRENCH_PAGES = [
    "/fr/",
    "/fr/forum-annuel/",
    "/fr/nous-joindre/",
    "/fr/search/?q=microcertification",
    "/fr/search/",
    "/fr/site-map/",
    "/fr/catalogue/",
    "/fr/accounts/login/",
    "/fr/accounts/signup/",
    "/fr/no-such-page/",
]


def english_interface_strings():
    """Messages of two words or more (placeholders aside) whose French
    differs, with their placeholders as wildcards."""
    patterns = []
    for entry in polib.pofile(str(PO)).translated_entries():
        for english in filter(None, [entry.msgid, entry.msgid_plural]):
            parts = re.split(r"%\(\w+\)[sd]|%[sd]|<[^>]+>", english)
            words = re.findall(r"[^\W\d_]+", " ".join(parts))
            if len(words) < 2 or english == entry.msgstr:
                continue
            pattern = r".{1,80}?".join(re.escape(part) for part in parts)
            patterns.append((english, re.compile(pattern)))
    return patterns


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Attributes people read: labels, placeholders, titles, alt texts.
    attributes = " ".join(
        re.findall(r'\b(?:aria-label|placeholder|title|alt)="([^"]*)"', html)
    )
    text = re.sub(r"<[^>]+>", " ", html) + " " + attributes
    return re.sub(r"\s+", " ", unescape(text))


def test_french_pages_show_no_english_interface_string(client, french_site):
    patterns = english_interface_strings()
    assert len(patterns) > 500
    found = {}
    for url in FRENCH_PAGES:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert re.search(r'<html lang="fr"', response.content.decode()), url
        text = visible_text(response.content.decode())
        left = [english for english, pattern in patterns if pattern.search(text)]
        if left:
            found[url] = left
    assert found == {}


def test_french_frame_links_stay_in_french(client, french_site):
    html = client.get("/fr/forum-annuel/").content.decode()
    assert 'class="site-logo" href="/fr/"' in html
    assert 'action="/fr/search/"' in html
    for path in ["/fr/accessibilite/", "/fr/confidentialite/"]:
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200
    assert "Programme de microcertification" in html
    assert "Coordonnatrice ou coordonnateur du programme\u00a0:" in html
