"""Framework journeys in a real browser: reading and downloading, drafting, approving."""

import pytest
from django.apps import apps
from wagtail.models import WorkflowState

from frameworks.models import FrameworkPage
from tests.browser.keyboard import tab_to
from tests.conftest import PASSWORD, make_user
from tests.mfa import enable_totp, totp_code

pytestmark = pytest.mark.browser


def _context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.set_default_timeout(20_000)
    return context


def _sign_in(page, email, next_url, secret=None):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    if secret:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code(secret))
        page.press("input[name=code]", "Enter")
    page.wait_for_url(f"**{next_url}")


def _footer_action(page, selector):
    """Open the editor's "More actions" menu and choose an action."""
    page.locator("footer .w-dropdown__toggle").click()
    page.locator(f"footer {selector}").click()


def test_visitor_reads_and_downloads_then_sees_the_approved_version(
    browser, live_server, page, home_page, axe_check
):
    from frameworks import seed

    wg_member = make_user("wren@example.org", first_name="Wren", last_name="Group")
    colleague = make_user("wes@example.org", first_name="Wes", last_name="Group")
    group = apps.get_model("auth", "Group").objects.get(
        name="Micro-Certification Working Group"
    )
    wg_member.groups.add(group)
    colleague.groups.add(group)
    coordinator = make_user(
        "coordinator@example.org",
        first_name="Cora",
        last_name="Coordinator",
        is_staff=True,
        is_superuser=True,
    )
    secret = enable_totp(coordinator)
    index = seed.index_page()
    seed.principles_page(index)
    framework = seed.framework_page(index, wg_member, submit=False)

    # A visitor finds the framework from the home page.
    page.goto("/")
    page.locator("nav[aria-label=Main] >> text=Framework and principles").click()
    page.wait_for_url("**/frameworks/")
    axe_check(page)
    page.locator("h2 >> text=Micro-certification framework and principles").click()
    page.wait_for_url("**/frameworks/micro-certification-framework/")
    assert "Version 1.0" in page.locator(".fw-meta").first.inner_text()
    axe_check(page)

    # The table of contents leads to a section, by keyboard, with visible focus.
    tab_to(page, lambda el: el["href"] == "#principles")
    page.keyboard.press("Enter")
    page.wait_for_url("**#principles")
    heading = page.locator("h2#principles")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"] / 2

    # The PDF downloads, and it is a PDF.
    with page.expect_download() as download_info:
        page.locator(".fw-downloads >> text=Version 1.0 as PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # A working-group member edits the draft of 1.1 and submits it for review.
    member_context = _context(browser, live_server)
    editor = member_context.new_page()
    edit_url = f"/admin/pages/{framework.pk}/edit/"
    _sign_in(editor, "wren@example.org", edit_url)
    editor.fill(
        "textarea[name=change_summary]",
        "Covers joint offerings with industry partners; reviewed every year.",
    )
    _footer_action(editor, "button[name=action-submit]")
    editor.wait_for_url(lambda url: "/edit/" not in url or "?" in url)
    state = WorkflowState.objects.get(object_id=str(framework.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Working group review"
    member_context.close()

    # A colleague in the working group approves the group's review.
    colleague_context = _context(browser, live_server)
    reviewer = colleague_context.new_page()
    _sign_in(reviewer, "wes@example.org", edit_url)
    _footer_action(
        reviewer,
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
    )
    reviewer.wait_for_load_state()
    colleague_context.close()
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Coordinator approval"
    assert FrameworkPage.objects.get(pk=framework.pk).version == "1.0"

    # The coordinator signs in with two-factor sign-in and approves.
    coordinator_context = _context(browser, live_server)
    approver = coordinator_context.new_page()
    _sign_in(approver, "coordinator@example.org", edit_url, secret=secret)
    _footer_action(
        approver,
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
    )
    approver.wait_for_load_state()
    coordinator_context.close()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    # The visitor comes back later (a fresh browser, with nothing in its own
    # HTTP cache): they now read 1.1, and can still open 1.0.
    page = _context(browser, live_server).new_page()
    page.goto("/frameworks/micro-certification-framework/")
    assert "Version 1.1" in page.locator(".fw-meta").first.inner_text()
    assert "including those offered jointly" in page.locator(".fw-body").inner_text()
    assert "reviewed every year" in page.locator(".fw-changes").inner_text()
    axe_check(page)
    page.locator(".fw-versions >> a >> text='1.0'").click()
    page.wait_for_url("**/v/1.0/")
    assert (
        "an earlier version of this document" in page.locator(".fw-notice").inner_text()
    )
    assert (
        "including those offered jointly" not in page.locator(".fw-body").inner_text()
    )
    axe_check(page)
    page.goto("/frameworks/micro-certification-framework/compare/?from=1.0&to=1.1")
    assert page.locator(".fw-diff ins").count() > 0
    axe_check(page)
    page.context.close()
