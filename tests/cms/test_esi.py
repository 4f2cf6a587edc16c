"""CSRF tokens as Edge Side Includes when Varnish asks for them (cms/esi.py).

The same pages through Varnish: tests/edge/test_varnish.py.
"""

import re

import pytest

VARNISH = {"HTTP_SURROGATE_CAPABILITY": 'varnish="ESI/1.0"'}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_without_varnish_the_token_renders_inline(client, home_page):
    response = client.get("/contact/")
    assert TOKEN.search(response.content.decode())
    assert "esi:include" not in response.content.decode()
    assert "Surrogate-Control" not in response
    assert "csrftoken" in response.cookies


def test_for_varnish_the_token_is_an_include_and_no_cookie_is_made(client, home_page):
    response = client.get("/contact/", **VARNISH)
    html = response.content.decode()
    assert '<esi:include src="/-/csrf-token/"/>' in html
    assert not TOKEN.search(html)
    assert response["Surrogate-Control"] == 'content="ESI/1.0"'
    assert "csrftoken" not in response.cookies
    assert "Set-Cookie" not in response


def test_a_page_without_a_form_says_nothing_to_varnish(client, home_page):
    response = client.get("/", **VARNISH)
    assert "Surrogate-Control" not in response


@pytest.mark.parametrize("secure", [False, True])
def test_the_secret_endpoint_makes_a_secret_and_its_cookie(
    client, db, settings, secure
):
    settings.CSRF_COOKIE_SECURE = secure
    first = client.get("/-/csrf-secret/")
    second = client.get("/-/csrf-secret/")
    secret = first["X-Csrf-Secret"]
    assert re.fullmatch(r"[A-Za-z0-9]{32}", secret)
    assert secret != second["X-Csrf-Secret"]
    cookie = first["X-Csrf-Set-Cookie"]
    assert cookie.startswith(f"csrftoken={secret};")
    assert "Path=/" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
    assert "no-store" in first["Cache-Control"]
    assert not first.cookies  # Varnish sets it, at delivery
