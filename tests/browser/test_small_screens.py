"""Phones: no page scrolls sideways (WCAG 1.4.10), and the compact menu works."""

import io

import pytest

from community import seed as community_seed
from community.models import Space, Thread
from credentials import seed as credentials_seed
from credentials.models import MicroCredential
from events import seed as events_seed
from events.models import EventPage, WebinarPage
from frameworks import seed as frameworks_seed

pytestmark = pytest.mark.browser

WIDTHS = (320, 375)


@pytest.fixture
def demo(transactional_db, home_page):
    out = io.StringIO()
    frameworks_seed.seed(out)
    events_seed.seed(out)
    community_seed.seed(out)
    credentials_seed.seed(out)


def _page_types():
    space = Space.objects.filter(visibility="public").order_by("pk").first()
    thread = Thread.objects.filter(space=space).order_by("pk").first()
    entry = MicroCredential.objects.filter(live=True).order_by("pk").first()
    slug = frameworks_seed.FRAMEWORK_SLUG
    return [
        "/",
        "/harmonized-ecosystem/",
        "/frameworks/",
        f"/frameworks/{slug}/",
        f"/frameworks/{slug}/v/1.0/",
        "/events/",
        EventPage.objects.get().url,
        "/webinars/",
        WebinarPage.objects.get().url,
        "/community/",
        space.get_absolute_url(),
        thread.get_absolute_url(),
        "/catalogue/",
        entry.get_absolute_url(),
        "/search/?q=framework",
        "/contact/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/site-map/",
        "/accessibility/",
        "/privacy/",
    ]


def _overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )


def test_no_page_type_scrolls_sideways_on_a_phone(page, demo):
    paths = _page_types()
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 667})
        for path in paths:
            page.goto(path)
            if _overflow(page) > 0:
                culprits = page.evaluate(
                    """() => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
                    .filter(el => !el.parentElement.closest('.table-wrap'))
                    .slice(0, 3).map(el => el.tagName + '.' + el.className)"""
                )
                too_wide.append((width, path, _overflow(page), culprits))
    assert too_wide == [], "\n".join(map(str, too_wide))


def test_the_footer_pages_pass_axe_and_lead_from_the_footer(page, demo, axe_check):
    page.goto("/")
    for name, heading in (
        ("Site map", "Site map"),
        ("Accessibility", "Accessibility statement"),
        ("Privacy", "Privacy notice"),
    ):
        page.locator("footer").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == heading
        axe_check(page)
    page.get_by_role("link", name="Contact", exact=True).first.click()
    page.wait_for_url("**/contact/")


def test_the_phone_header_is_compact_and_wide_tables_scroll_in_their_box(
    page, demo, axe_check
):
    page.set_viewport_size({"width": 320, "height": 667})
    page.goto(f"/frameworks/{frameworks_seed.FRAMEWORK_SLUG}/")
    assert page.locator(".site-header").bounding_box()["height"] < 90
    wrap = page.locator(".fw-body .table-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    # The box can be scrolled from the keyboard.
    assert wrap.get_attribute("tabindex") == "0"
    axe_check(page)


def test_the_menu_opens_and_closes_with_the_keyboard(page, demo, axe_check):
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    axe_check(page)
    # Tab moves from the button into the menu: the search box comes first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "header-search-q"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.className") == "menu-toggle"
    page.keyboard.press("Space")
    assert nav.is_visible()
    page.keyboard.press("Space")
    assert not nav.is_visible()
    # Choosing a page from the menu.
    page.keyboard.press("Enter")
    nav.get_by_role("link", name="Contact").click()
    page.wait_for_url("**/contact/")


def test_the_menu_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="en-CA"
    )
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 667})
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    page.get_by_role("link", name="Menu").click()
    assert nav.is_visible()
    page.get_by_role("link", name="Close menu").click()
    assert not nav.is_visible()
    context.close()


def test_the_main_navigation_fits_one_row_on_a_laptop(page, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    tops = page.locator(".main-nav li").evaluate_all(
        "items => items.map(li => Math.round(li.getBoundingClientRect().top))"
    )
    assert len(tops) >= 5 and len(set(tops)) == 1
    assert _overflow(page) <= 0


ACCOUNT_PAGES = (
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
)


def test_every_page_type_passes_axe_on_a_phone_and_a_desktop(page, demo, axe_check):
    paths = _page_types()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(path)
            axe_check(page)


def test_a_members_account_pages_fit_a_phone_and_pass_axe(page, demo, axe_check):
    from tests.conftest import PASSWORD, make_user

    member = make_user("mina@example.org")
    page.set_viewport_size({"width": 320, "height": 667})
    page.goto("/accounts/login/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/")
    for path in ACCOUNT_PAGES:
        page.goto(path)
        assert "/accounts/login" not in page.url, path
        assert _overflow(page) <= 0, path
        axe_check(page)


def test_the_main_navigation_fits_one_row_at_1280(page, demo):
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ("/", f"/frameworks/{frameworks_seed.FRAMEWORK_SLUG}/", "/catalogue/"):
        page.goto(path)
        tops = page.locator(".main-nav a").evaluate_all(
            "links => new Set(links.map(a => Math.round(a.getBoundingClientRect().top))).size"
        )
        assert tops == 1, path
