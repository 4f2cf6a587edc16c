"""A visitor finds a micro-credential in the catalogue, by mouse and by keyboard."""

import json
import os
import re

import pytest

from tests.browser.keyboard import focused, tab_to

pytestmark = pytest.mark.browser

ENTRY_LINK = re.compile(r"^/catalogue/[^?/]+/$")


@pytest.fixture
def catalogue(transactional_db, home_page):
    from credentials import seed

    seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115


def _result_titles(page):
    return page.locator(".result__title a").all_inner_texts()


def test_visitor_searches_filters_opens_an_entry_and_comes_back(
    page, catalogue, axe_check
):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Catalogue of micro-credentials"
    ).click()
    page.wait_for_url("**/catalogue/")
    axe_check(page)

    search = page.get_by_label("Search micro-credentials")
    search.fill("dat")
    # Suggestions arrive as you type (progressive enhancement).
    # (A function, not an expression string: the page's policy forbids eval.)
    page.wait_for_function(
        "() => document.querySelectorAll('#catalogue-suggestions option').length > 0"
    )
    search.fill("data analytics")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=data\+analytics"))
    everything = int(
        page.locator(".catalogue__total").inner_text().split()[0].replace(",", "")
    )

    page.locator("#filters").get_by_label(re.compile(r"^Online \(")).check()
    page.locator("#filters").get_by_label(re.compile(r"^Free \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"mode=online.*cost=free|cost=free.*mode=online"))
    total = int(page.locator(".catalogue__total").inner_text().split()[0])
    assert 0 < total < everything
    for facts in page.locator(".result__facts").all_inner_texts():
        assert "Online" in facts and "Free" in facts
    axe_check(page)
    selected_url = page.url
    first = _result_titles(page)[0]

    page.get_by_role("link", name=first).first.click()
    page.wait_for_url(re.compile(r"/catalogue/[^?/]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == first
    ld = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert ld["@type"] == "Course" and ld["name"] == first
    axe_check(page)

    page.go_back()
    page.wait_for_url(selected_url)
    assert (
        page.get_by_label("Search micro-credentials").input_value() == "data analytics"
    )
    assert page.locator("#filters").get_by_label(re.compile(r"^Online \(")).is_checked()
    assert page.locator("#filters").get_by_label(re.compile(r"^Free \(")).is_checked()
    assert _result_titles(page)[0] == first


def test_keyboard_only_journey(page, catalogue, axe_check):
    page.goto("/catalogue/")
    tab_to(page, lambda e: e["id"] == "catalogue-q")
    page.keyboard.type("data analytics")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=data\+analytics"))

    tab_to(
        page,
        lambda e: e["name"] == "mode" and e["id"].startswith("facet-mode"),
        limit=150,
    )
    assert focused(page)["id"] == "facet-mode-1"  # Online comes first
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["id"] == "facet-cost-1", limit=150)
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["text"] == "Apply filters", limit=150)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"cost=free"))
    assert "mode=online" in page.url

    link = tab_to(
        page, lambda e: e["tag"] == "a" and bool(ENTRY_LINK.match(e["href"])), limit=200
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**" + link["href"])
    assert page.get_by_role("heading", level=1).inner_text() == link["text"]
    axe_check(page)


def test_catalogue_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/catalogue/?q=cyber")
        page.locator("#filters").get_by_label(re.compile(r"^Hybrid \(")).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"mode=hybrid"))
        assert "q=cyber" in page.url
        assert page.locator(".result").count() > 0
    finally:
        context.close()
