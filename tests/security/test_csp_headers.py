"""Security headers: the enforced Content-Security-Policy and Permissions-Policy."""

import pytest

from tests.mfa import enable_totp


def _directives(header):
    return {
        name: values for name, *values in (part.split() for part in header.split(";"))
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/catalogue/", "/community/", "/accounts/login/", "/no-such-page/"]
)
def test_public_pages_enforce_the_strict_policy(client, home_page, url):
    response = client.get(url)

    assert "Content-Security-Policy-Report-Only" not in response
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["media-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_the_admin_has_its_own_policy_and_only_there(client, home_page, staff):
    enable_totp(staff)
    client.force_login(staff)

    admin = _directives(client.get("/admin/")["Content-Security-Policy"])
    public = _directives(client.get("/")["Content-Security-Policy"])

    assert "'unsafe-inline'" in admin["script-src"]
    assert "'unsafe-eval'" not in admin["script-src"]
    assert admin["object-src"] == ["'none'"]
    assert admin["frame-ancestors"] == ["'self'"]
    assert admin["form-action"] == ["'self'"]
    # Signed-in staff on the public site still get the public policy.
    assert public["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_preview_may_be_framed_by_the_editor_only(client, home_page, staff):
    from cms.models import StandardPage

    enable_totp(staff)
    client.force_login(staff)
    standard = StandardPage.objects.live().first()

    url = f"/admin/pages/{standard.pk}/edit/preview/"
    editor = client.get(f"/admin/pages/{standard.pk}/edit/")
    form = {
        "title": standard.title,
        "slug": standard.slug,
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    assert editor.status_code == 200
    client.post(url, form)
    response = client.get(url)

    assert response.status_code == 200
    assert standard.title in response.text
    policy = _directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    # Otherwise the page's own (public) policy.
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/login/", "/api/v1/openapi.json"])
def test_permissions_policy_turns_off_unused_features(client, home_page, url):
    header = client.get(url)["Permissions-Policy"]

    features = dict(item.split("=") for item in header.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert features["browsing-topics"] == "()"
    assert "fullscreen" not in features  # the webinar player needs it


@pytest.mark.browser
def test_the_browser_refuses_injected_inline_script_and_style(
    page, home_page, csp_violations
):
    page.goto("/")
    # What an injection that got past the templates would try.
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__xss = 'ran'";
        document.body.append(script);
        const img = document.createElement("img");
        img.setAttribute("onerror", "window.__xss = 'ran'");
        img.src = "/no-such-image.png";
        document.body.append(img);
        }"""
    )
    page.wait_for_timeout(500)

    assert page.evaluate("() => window.__xss") is None
    assert any("script-src" in v for v in csp_violations)
    # Seen and expected: clear them so the fixture does not fail the test.
    csp_violations.clear()
