"""The seed's promises, kept: from the home page, each one is a link that lands."""

import io

import pytest
from pypdf import PdfReader

from cms import seed as cms_seed
from credentials import seed as credentials_seed
from events import seed as events_seed
from frameworks import seed as frameworks_seed

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db, home_page):
    frameworks_seed.seed(io.StringIO())
    events_seed.seed(io.StringIO())
    cms_seed.link_action(
        cms_seed.ACTION_CATALOGUE, page=credentials_seed.catalogue_page()
    )


def test_every_promise_on_the_home_page_leads_where_it_says(page, demo, axe_check):
    page.goto("/")
    assert page.get_by_role(
        "heading", name=cms_seed.ECOSYSTEM_HEADING, level=2
    ).is_visible()
    axe_check(page)

    # 1. The framework and principles document: the current version's PDF.
    link = page.get_by_role("link", name=cms_seed.DOWNLOAD_FRAMEWORK)
    response = page.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert "micro-certification-framework-1.0" in response.url
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert frameworks_seed.FRAMEWORK_TITLE in text
    for name, statement, _evidence in frameworks_seed.PRINCIPLES:
        assert name in text
        assert statement in text

    # 2. The EOI webinar of 23 October 2019.
    page.get_by_role("link", name=cms_seed.VIEW_WEBINAR).click()
    page.wait_for_url("**/webinars/eoi-webinar-2019-10-23/")
    assert page.locator("h1").inner_text() == "Micro-certification EOI webinar"
    # The demo's few seconds of video say plainly that they are an excerpt.
    caption = page.locator(".webinar__video-caption").inner_text()
    assert "short excerpt" in caption and "seconds" in caption
    axe_check(page)

    # 3. The Annual Forum: the current forum, its agenda day by day.
    page.goto("/")
    page.get_by_role("link", name=cms_seed.SEE_FORUM).click()
    page.wait_for_url("**/events/micro-certification-forum-*/")
    assert page.locator("h1").inner_text().startswith("Micro-Certification Forum ")
    days = page.locator("#agenda-heading ~ h3").all_inner_texts()
    assert len(days) == 2
    assert days[0].endswith("May 14") and days[1].endswith("May 15")
    day_two = page.get_by_role("region", name=days[1])
    assert "Partner endorsement: a working session" in day_two.inner_text()
    assert "Welcome and opening remarks" not in day_two.inner_text()
    axe_check(page)

    # 4. Its registration.
    page.goto("/")
    # The promise in the text (the button above says the same).
    page.get_by_role("link", name=cms_seed.REGISTER_FORUM).last.click()
    page.wait_for_url("**/events/micro-certification-forum-*/#register")
    assert page.locator("#register form").is_visible()
    assert page.get_by_role("button", name="Register").is_visible()

    # 5. The Program Coordinator: the contact page.
    page.goto("/")
    page.get_by_role("link", name="Contact the Program Coordinator").click()
    page.wait_for_url("**/contact/")
    assert page.locator("main form").is_visible()
    axe_check(page)


def test_the_ecosystem_and_forum_pages_keep_the_same_promises(page, demo, axe_check):
    page.goto("/harmonized-ecosystem/")
    assert page.locator("h1").inner_text() == cms_seed.ECOSYSTEM_HEADING
    href = page.get_by_role("link", name=cms_seed.DOWNLOAD_FRAMEWORK).get_attribute(
        "href"
    )
    assert href == "/frameworks/micro-certification-framework/pdf/"
    page.get_by_role("link", name=cms_seed.VIEW_WEBINAR).click()
    page.wait_for_url("**/webinars/eoi-webinar-2019-10-23/")

    page.goto("/annual-forum/")
    axe_check(page)
    page.get_by_role("link", name=cms_seed.CONTACT).click()
    page.wait_for_url("**/contact/")
    page.goto("/annual-forum/")
    page.get_by_role("link", name=cms_seed.REGISTER_FORUM).click()
    page.wait_for_url("**/events/micro-certification-forum-*/#register")


def test_the_home_pages_buttons_lead_to_the_forum_the_framework_and_the_catalogue(
    page, demo, axe_check
):
    page.goto("/")
    buttons = page.locator("main .actions a")
    assert buttons.all_inner_texts() == list(cms_seed.ACTIONS)
    # They come before the page's text, right under its introduction.
    assert page.evaluate(
        """() => {
            const actions = document.querySelector("main .actions");
            const heading = document.querySelector("main h2");
            return Boolean(actions.compareDocumentPosition(heading)
                & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    axe_check(page)

    page.get_by_role("link", name=cms_seed.ACTION_FORUM, exact=True).first.click()
    page.wait_for_url("**/events/micro-certification-forum-*/#register")
    assert page.get_by_role("button", name="Register").is_visible()

    page.goto("/")
    href = page.get_by_role(
        "link", name=cms_seed.ACTION_FRAMEWORK, exact=True
    ).get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(
        PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split()
    )
    assert frameworks_seed.FRAMEWORK_TITLE in text

    page.get_by_role("link", name=cms_seed.ACTION_CATALOGUE, exact=True).click()
    page.wait_for_url("**/catalogue/")
    assert page.locator("h1").inner_text() == "Catalogue of micro-credentials"
