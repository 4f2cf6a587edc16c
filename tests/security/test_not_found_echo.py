"""A "not found" page never repeats the address asked for: a guessed address
(a draft's slug, a private thread's path) is no one's canonical link, and
its alternates and language switcher lead to each language's home."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/catalogue/analytics-zzmarker/", "/zzmarker/", "/fr/catalogue/zzmarker/"]
)
def test_a_not_found_page_does_not_echo_the_address(client, home_page, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "zzmarker" not in html
    assert 'rel="canonical"' not in html
    assert 'hreflang="fr" href="/fr/"' in html or 'href="/fr/"' in html
