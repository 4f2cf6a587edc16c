"""A visitor finds the framework PDF from the header search box."""

import os

import pytest

from frameworks import seed as frameworks_seed

pytestmark = pytest.mark.browser


def test_visitor_searches_filters_to_documents_and_opens_the_framework_pdf(
    page, live_server, home_page, axe_check
):
    # The demo framework: version 1.0 published with its PDF, 1.1 a draft whose
    # PDF sits in the restricted drafts collection. Tasks run on commit here.
    frameworks_seed.seed(stdout=open(os.devnull, "w"))  # noqa: SIM115

    page.goto("/")
    search_box = page.locator("#header-search-q")
    search_box.click()
    search_box.press_sequentially("framew", delay=40)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert search_box.get_attribute("aria-expanded") == "true"
    option = page.get_by_role("option", name="framework Search")
    option.wait_for()
    axe_check(page)

    # Arrow down to the suggested search and pick it with Enter.
    search_box.press("ArrowDown")
    assert search_box.get_attribute("aria-activedescendant")
    search_box.press("Enter")
    page.wait_for_url("**/search/?q=framework")
    assert page.locator("h1").inner_text() == "Search"
    axe_check(page)

    documents_filter = page.get_by_role("link", name="Documents (")
    documents_filter.click()
    page.wait_for_url("**kind=documents")
    assert page.locator('a[aria-current="page"]').inner_text().startswith("Documents")
    results = page.locator(".search-hit__title a")
    titles = results.all_inner_texts()
    assert "Micro-certification framework and principles 1.0 (PDF)" in titles
    # The draft PDF is restricted to the working group: not even listed.
    assert not any("1.1 draft" in title for title in titles)
    axe_check(page)

    # Open the framework PDF result.
    link = page.get_by_role(
        "link", name="Micro-certification framework and principles 1.0 (PDF)"
    )
    href = link.get_attribute("href")
    assert href.startswith("/documents/")
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_search_works_without_javascript(browser, live_server, home_page):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.fill("#header-search-q", "micro-certification")
    page.press("#header-search-q", "Enter")
    page.wait_for_url("**/search/?q=micro-certification")
    assert page.locator(".search-hit").count() > 0
    context.close()
