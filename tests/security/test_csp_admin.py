"""The Wagtail admin works under its Content-Security-Policy.

The `csp_violations` fixture (tests/conftest.py) fails each test on any
violation the browser reports, so these journeys are what shows that the admin
policy of cms/settings/base.py is enough: the page editor with its StreamField,
preview and image chooser, uploads, snippets, reports and the two-factor pages.
"""

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from tests.security.csp_browsing import sign_in_to_admin

pytestmark = pytest.mark.browser


def test_editor_previews_and_chooses_an_image_under_the_admin_policy(
    page, home_page, staff, tmp_path
):
    from cms.models import StandardPage

    sign_in_to_admin(page, staff)
    picture = tmp_path / "harbour.png"
    PILImage.new("RGB", (64, 48), "teal").save(picture)
    page.goto("/admin/images/multiple/add/")
    page.locator("input[type=file]").set_input_files(str(picture))
    expect(page.locator("#upload-list li.upload-success")).to_have_count(1)

    standard = StandardPage.objects.live().first()
    page.goto(f"/admin/pages/{standard.pk}/edit/")
    # The live preview beside the editor shows the page (framed by the admin).
    page.locator("button[data-side-panel-toggle=preview]").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.locator("h1")).to_contain_text(standard.title)

    # The chooser in a modal lists the uploaded image.
    page.get_by_role("tab", name="Promote").click()
    page.locator("#id_social_image-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-content")
    expect(modal.get_by_text("harbour")).to_be_visible()
    modal.get_by_text("harbour").first.click()
    expect(page.locator("#id_social_image-chooser")).to_contain_text("harbour")


def test_admin_listings_reports_and_account_pages_under_the_admin_policy(
    page, home_page, staff
):
    sign_in_to_admin(page, staff)
    for url in [
        "/admin/pages/",
        "/admin/documents/multiple/add/",
        "/admin/snippets/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/forms/",
        "/admin/users/",
        "/admin/account/",
        "/admin/community/moderation/",
        "/admin/workflows/list/",
        "/accounts/2fa/",
        "/django-admin/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        expect(page.locator("h1").first).to_be_attached()


def test_staff_use_the_userbar_on_the_public_site_under_its_policy(
    page, home_page, staff
):
    sign_in_to_admin(page, staff)
    page.goto("/")

    userbar = page.locator("wagtail-userbar")
    userbar.locator("#wagtail-userbar-trigger").click()
    expect(userbar.get_by_role("menuitem", name="Edit this page")).to_be_visible()
