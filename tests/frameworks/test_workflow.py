"""The "Framework review" workflow, driven through the admin as its users would."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Comment, Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from frameworks.models import FrameworkPage

from .conftest import edit_form_data, make_document, make_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(framework_index):
    return make_framework(
        framework_index,
        "Framework",
        document_type="framework",
        sections=[("Scope", "Colleges and universities.")],
        documents=[make_document("Framework 1.0 PDF")],
    )


def workflow_state(page):
    return (
        WorkflowState.objects.filter(object_id=str(page.pk))
        .order_by("-created_at")
        .first()
    )


def submit(client, page, sections, version="1.1", **extra):
    data = edit_form_data(
        page, sections=sections, version=version, action="action-submit", **extra
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return workflow_state(page)


def act(client, page, action, comment=""):
    task_state = workflow_state(page).current_task_state
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state.pk}/",
        {"comment": comment},
    )


def test_submission_goes_through_both_tasks_and_only_approval_publishes(
    client, framework, wg_member, second_wg_member, staff_with_mfa
):
    client.force_login(wg_member)
    state = submit(
        client,
        framework,
        [("Scope", "Colleges, universities and industry partners.")],
        change_summary="Adds industry partners.",
    )
    assert state.workflow.name == "Framework review"
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Working group review"
    public = client.get("/frameworks/framework/").content.decode()
    assert "industry partners" not in public

    # Another working-group member approves the group's review...
    client.force_login(second_wg_member)
    response = act(client, framework, "approve", "Reads well.")
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Coordinator approval"
    page = FrameworkPage.objects.get(pk=framework.pk)
    assert page.version == "1.0"
    assert list(page.versions.values_list("number", flat=True)) == ["1.0"]

    # ...but cannot give the coordinator's approval.
    refused = act(client, framework, "approve")
    assert refused.status_code in (302, 403)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Coordinator approval"
    assert FrameworkPage.objects.get(pk=framework.pk).version == "1.0"

    client.force_login(staff_with_mfa)
    assert act(client, framework, "approve", "Approved.").status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    page = FrameworkPage.objects.get(pk=framework.pk)
    assert page.version == "1.1"
    assert list(page.versions.values_list("number", flat=True)) == ["1.1", "1.0"]
    client.logout()
    html = client.get("/frameworks/framework/").content.decode()
    assert "Colleges, universities and industry partners." in html
    assert "Adds industry partners." in html


def test_rejection_returns_the_draft_with_comments(
    client, framework, wg_member, staff_with_mfa, mailoutbox
):
    client.force_login(wg_member)
    submit(client, framework, [("Scope", "Everyone, everywhere.")])
    act(client, framework, "approve")
    client.force_login(staff_with_mfa)
    response = act(client, framework, "reject", "Too broad: keep the scope to Ontario.")
    assert response.status_code == 302

    state = workflow_state(framework)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The submitter is told by email, with the comment.
    (rejection,) = [m for m in mailoutbox if m.to == ["wren@example.org"]]
    assert "has been rejected" in rejection.subject
    assert "Too broad: keep the scope to Ontario." in rejection.body
    rejected = TaskState.objects.get(
        workflow_state=state, status=TaskState.STATUS_REJECTED
    )
    assert rejected.comment == "Too broad: keep the scope to Ontario."
    assert rejected.task.name == "Coordinator approval"
    page = FrameworkPage.objects.get(pk=framework.pk)
    assert page.version == "1.0"
    assert "Everyone, everywhere." not in client.get(page.url).content.decode()

    # The member who submitted sees the request for changes in the admin.
    client.force_login(wg_member)
    html = client.get(f"/admin/pages/{framework.pk}/edit/").content.decode()
    assert "Changes requested" in html or "needs changes" in html.lower()
    history = client.get(f"/admin/pages/{framework.pk}/history/").content.decode()
    assert "Too broad: keep the scope to Ontario." in history

    # They revise and resubmit; the review starts again with the working group.
    submit(
        client,
        framework,
        [("Scope", "Ontario colleges and universities.")],
        **{"action-restart-workflow": "1"},
    )
    state = workflow_state(framework)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_working_group_can_compare_revisions(client, framework, wg_member):
    client.force_login(wg_member)
    submit(client, framework, [("Scope", "Colleges, universities and partners.")])
    older, newer = framework.revisions.order_by("created_at")[:2]
    url = f"/admin/pages/{framework.pk}/revisions/compare/{older.pk}...{newer.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "partners" in html
    assert "Colleges and universities." in html


def test_coordinator_can_schedule_publication(client, framework, staff_with_mfa):
    client.force_login(staff_with_mfa)
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    data = edit_form_data(
        framework,
        sections=[("Scope", "Scheduled wording.")],
        version="1.1",
        action="action-publish",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    response = client.post(f"/admin/pages/{framework.pk}/edit/", data)
    assert response.status_code == 302
    assert (
        "Scheduled wording."
        not in client.get("/frameworks/framework/").content.decode()
    )
    scheduled = Revision.page_revisions.get(
        object_id=str(framework.pk), approved_go_live_at__isnull=False
    )
    # Time passes: the scheduled publication runs.
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.approved_go_live_at = past
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    client.logout()
    assert "Scheduled wording." in client.get("/frameworks/framework/").content.decode()
    assert (
        FrameworkPage.objects.get(pk=framework.pk)
        .versions.filter(number="1.1")
        .exists()
    )


def test_working_group_comments_on_a_draft_and_the_coordinator_reads_it(
    client, framework, wg_member, staff_with_mfa
):
    client.force_login(wg_member)
    data = edit_form_data(
        framework, sections=[("Scope", "Colleges and universities.")], version="1.1"
    )
    comment = {
        "contentpath": "title",
        "text": "Should the title say 'principles' too?",
        "position": "",
        "replies": inline_formset([]),
    }
    data.update(nested_form_data({"comments": inline_formset([comment])}))
    response = client.post(f"/admin/pages/{framework.pk}/edit/", data)
    assert response.status_code == 302
    saved = Comment.objects.get(page=framework)
    assert saved.user == wg_member
    assert saved.text == "Should the title say 'principles' too?"

    client.force_login(staff_with_mfa)
    html = client.get(f"/admin/pages/{framework.pk}/edit/").content.decode()
    assert "Should the title say" in html
