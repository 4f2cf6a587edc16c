"""Translating a page in the admin with wagtail-localize, through review (issue 21).

A staff member translates an English page in wagtail-localize's editor, sees
the translation flagged out of date once the English page changes, syncs it,
and submits it for review; a moderator approves it in the same workflow as
drafts, and it is live at /fr/….
"""

import os

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale, Page, WorkflowState
from wagtail.rich_text import RichText

from cms import seed_french, translations
from cms.models import HomePage, StandardPage
from tests.conftest import PASSWORD, make_user
from tests.mfa import enable_totp, totp_code

TITLE = "Assessment in practice"
FIRST = "Learners show the skill in an authentic task."
SECOND = "The evidence travels with the credential."
FRENCH_TITLE = "L'évaluation en pratique"
FRENCH_SLUG = "levaluation-en-pratique"
FRENCH_FIRST = "Les personnes apprenantes démontrent la compétence dans une tâche."
FRENCH_SECOND = "Les preuves accompagnent le titre."


@pytest.fixture
def english_page(home_page):
    seed_french.seed(open(os.devnull, "w"))  # noqa: SIM115
    page = StandardPage(
        title=TITLE,
        slug="assessment-in-practice",
        summary="",
        body=[("paragraph", f"<p>{FIRST}</p>")],
    )
    HomePage.default().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def moderation(db):
    """Wagtail's "Moderators approval" workflow on the whole tree (both
    languages) and its Moderators group, as its migrations make them; made
    again after a transactional test's flush."""
    from django.contrib.auth.models import Permission
    from wagtail.models import (
        GroupApprovalTask,
        GroupPagePermission,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    group, _created = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    assigned = WorkflowPage.objects.filter(page=root).first()
    if assigned is not None:
        return assigned.workflow
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(group)
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)
    return workflow


def _change_english(page):
    """An editor adds a paragraph (the first keeps its block, and so its
    translation)."""
    page = StandardPage.objects.get(pk=page.pk)
    page.body.append(("paragraph", RichText(f"<p>{SECOND}</p>")))
    page.save_revision().publish()
    return page


def _french_translation(english, user):
    """Through wagtail-localize's own API: what its "Translate" action does."""
    from wagtail_localize.models import TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(english)
    french = Locale.objects.get(language_code="fr")
    source.create_or_update_translation(french, user=user, publish=False, fallback=True)
    translation = source.translations.create(target_locale=french)
    return english.get_translation(french).specific, translation


@pytest.mark.django_db
def test_a_translation_is_out_of_date_until_synced_and_reviewed(
    english_page, staff, moderation
):
    french, translation = _french_translation(english_page, staff)
    (row,) = translations.page_translations(staff)
    assert row.page.pk == french.pk and not row.out_of_date

    _change_english(english_page)
    (row,) = translations.page_translations(staff)
    assert row.out_of_date

    translation.source.update_from_db()
    (row,) = translations.page_translations(staff)
    assert not row.out_of_date

    # The same workflow as the page's drafts; a second submission is refused.
    assert french.get_workflow() == english_page.get_workflow() == moderation
    state = translations.submit_for_review(page=french, user=staff)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not Page.objects.get(pk=french.pk).live
    with pytest.raises(translations.TranslationReviewError):
        translations.submit_for_review(page=french, user=staff)
    (row,) = translations.page_translations(staff)
    assert row.in_review


@pytest.mark.django_db
def test_only_editors_of_the_translation_see_it(english_page, staff, user):
    _french_translation(english_page, staff)
    assert translations.page_translations(user) == []


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


def _translate_segment(page, source_text, french_text):
    """In wagtail-localize's editor: Translate, type, Enter (which saves)."""
    segment = page.locator("li").filter(has_text=source_text).last
    segment.get_by_role("button", name="Translate").click()
    page.keyboard.type(french_text)
    page.keyboard.press("Enter")
    segment.get_by_role("button", name="Edit").wait_for()


@pytest.mark.browser
def test_staff_translate_sync_and_submit_a_page_a_moderator_approves(
    browser, live_server, english_page, staff, moderation
):
    secret = enable_totp(staff)
    moderator = make_user("moderator@example.org", first_name="Max", last_name="Mod")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.set_default_timeout(20_000)
    admin = context.new_page()
    try:
        # The English page's editor offers "Translate"; French is chosen.
        edit_url = f"/admin/pages/{english_page.pk}/edit/"
        _sign_in(admin, staff.email, edit_url, secret=secret)
        submit_url = f"/admin/localize/submit/page/{english_page.pk}/"
        # (In the header's "more" menu, which its script builds on opening.)
        served = context.request.get(edit_url).text()
        assert f'href="{submit_url}"' in served
        admin.goto(submit_url)
        french_locale = Locale.objects.get(language_code="fr")
        admin.locator(f'input[name=locales][value="{french_locale.pk}"]').check()
        admin.locator("main form [type=submit]").first.click()
        admin.wait_for_url("**/admin/pages/*/edit/**")
        french = english_page.get_translation(french_locale)
        assert f"/admin/pages/{french.pk}/edit/" in admin.url

        # wagtail-localize's editor: the title, the slug and the text.
        _translate_segment(admin, TITLE, FRENCH_TITLE)
        _translate_segment(admin, FIRST, FRENCH_FIRST)
        admin.get_by_role("tab", name="Promote").click()
        _translate_segment(admin, english_page.slug, FRENCH_SLUG)

        # The English page changes: the dashboard flags the translation.
        _change_english(english_page)
        admin.goto("/admin/")
        row = admin.locator(f"#translations-section tr[data-translation='{french.pk}']")
        assert row.locator("[data-status=out-of-date]").is_visible()

        # Synced, the new English text waits in the editor to be translated.
        row.get_by_role("link", name="Sync from the source page").click()
        admin.wait_for_url("**/admin/localize/update/**")
        admin.locator("main form [type=submit]").first.click()
        admin.wait_for_load_state()
        admin.goto("/admin/")
        row = admin.locator(f"#translations-section tr[data-translation='{french.pk}']")
        assert row.locator("[data-status=out-of-date]").count() == 0
        admin.goto(f"/admin/pages/{french.pk}/edit/")
        _translate_segment(admin, SECOND, FRENCH_SECOND)

        # Submitted for review, through the page's moderation workflow.
        admin.goto("/admin/")
        row = admin.locator(f"#translations-section tr[data-translation='{french.pk}']")
        row.get_by_role("link", name="Submit for review").click()
        admin.get_by_role("button", name="Submit for review").click()
        admin.wait_for_url("**/admin/")
        state = WorkflowState.objects.get(
            object_id=str(french.pk), status=WorkflowState.STATUS_IN_PROGRESS
        )
        assert state.workflow == english_page.get_workflow() == moderation
        assert not Page.objects.get(pk=french.pk).live
    finally:
        context.close()

    # A moderator approves it from their dashboard.
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    context.set_default_timeout(20_000)
    reviewer = context.new_page()
    try:
        _sign_in(reviewer, moderator.email, "/admin/")
        panel = reviewer.locator("#awaiting-review-section")
        panel.get_by_role("button", name="Actions").first.click()
        approve = panel.locator(
            "button[data-workflow-action-url*='/approve/']:not([data-launch-modal])"
        )
        with reviewer.expect_navigation():
            approve.first.click()
        for _ in range(50):
            state.refresh_from_db()
            if state.status != WorkflowState.STATUS_IN_PROGRESS:
                break
            reviewer.wait_for_timeout(100)
        assert state.status == WorkflowState.STATUS_APPROVED

        # Live at its French address, in French, with the synced text.
        live = Page.objects.get(pk=french.pk)
        assert live.live and live.last_published_at <= timezone.now()
        reviewer.goto(f"/fr/{FRENCH_SLUG}/")
        assert reviewer.locator("html").get_attribute("lang") == "fr"
        assert reviewer.locator("h1").inner_text() == FRENCH_TITLE
        body = reviewer.locator("main").inner_text()
        assert FRENCH_FIRST in body and FRENCH_SECOND in body
        assert FIRST not in body and SECOND not in body
    finally:
        context.close()
