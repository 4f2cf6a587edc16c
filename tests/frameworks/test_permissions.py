"""Who may do what with framework documents, tried from outside through the client.

Roles: an anonymous visitor, a signed-in member, a working-group member and staff
(the programme coordinator, with two-factor sign-in).
"""

import pytest
from wagtail.models import WorkflowState

from frameworks.models import FrameworkPage

from .conftest import edit_form_data, make_document, make_framework

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "working_group", "staff"]
ALLOWED = 200


@pytest.fixture
def as_role(client, request):
    """Sign the client in as the role named by the test's `role` parameter."""

    def sign_in(role):
        users = {
            "anonymous": None,
            "member": "member",
            "working_group": "wg_member",
            "staff": "staff_with_mfa",
        }
        if users[role]:
            client.force_login(request.getfixturevalue(users[role]))
        return client

    return sign_in


@pytest.fixture
def documents(framework_index):
    """A published document with its PDF, and a draft with a draft PDF."""
    published_pdf = make_document("Published framework PDF")
    draft_pdf = make_document("Draft guide PDF", draft=True, text="Draft wording.")
    published = make_framework(
        framework_index,
        "Published framework",
        document_type="framework",
        documents=[published_pdf],
    )
    draft = make_framework(
        framework_index,
        "Draft guide",
        publish=False,
        documents=[draft_pdf],
        sections=[("Scope", "Draft wording of the scope.")],
    )
    return published, published_pdf, draft, draft_pdf


def _denied(response):
    """Refused: sent to sign in, forbidden, or not found; never the content."""
    if response.status_code == 302:
        return "/login/" in response["Location"] or response["Location"] == "/admin/"
    return response.status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_view_published_page(as_role, role, documents):
    published = documents[0]
    response = as_role(role).get(published.url)
    assert response.status_code == 200
    assert "Published framework" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_is_never_on_the_public_site(as_role, role, documents):
    client = as_role(role)
    assert client.get("/frameworks/draft-guide/").status_code == 404
    assert "Draft guide" not in client.get("/frameworks/").content.decode()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("member", False), ("working_group", True), ("staff", True)],
)
def test_view_draft_and_preview_in_the_admin(as_role, role, allowed, documents):
    draft = documents[2]
    client = as_role(role)
    for url in [
        f"/admin/pages/{draft.pk}/view_draft/",
        f"/admin/pages/{draft.pk}/edit/preview/",
    ]:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert _denied(response), (url, response.status_code)
            assert "Draft wording" not in response.content.decode()
    if allowed:
        html = client.get(f"/admin/pages/{draft.pk}/view_draft/").content.decode()
        assert "Draft wording of the scope." in html


@pytest.mark.parametrize("role", ROLES)
def test_download_published_document(as_role, role, documents):
    published_pdf = documents[1]
    response = as_role(role).get(published_pdf.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("member", False), ("working_group", True), ("staff", True)],
)
def test_download_draft_document(as_role, role, allowed, documents):
    draft_pdf = documents[3]
    client = as_role(role)
    response = client.get(draft_pdf.url)
    if allowed:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        assert _denied(response)
        assert not getattr(response, "streaming", False)
    # The file itself is never reachable under /media/, whoever asks.
    media_url = draft_pdf.file.url
    assert media_url.startswith("/media/documents/")
    assert client.get(media_url).status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("member", False), ("working_group", True), ("staff", True)],
)
def test_edit(as_role, role, allowed, documents):
    draft = documents[2]
    client = as_role(role)
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert (response.status_code == 200) is allowed
    data = edit_form_data(draft, sections=[("Scope", "Edited wording.")], version="1.0")
    response = client.post(f"/admin/pages/{draft.pk}/edit/", data)
    draft = FrameworkPage.objects.get(pk=draft.pk)
    latest = draft.get_latest_revision_as_object()
    edited = "Edited wording." in "\n".join(latest.text())
    assert edited is allowed, response.status_code
    if not allowed:
        assert _denied(response)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("member", False), ("working_group", True), ("staff", True)],
)
def test_submit_for_review(as_role, role, allowed, documents):
    draft = documents[2]
    client = as_role(role)
    data = edit_form_data(
        draft,
        sections=[("Scope", "Ready for review.")],
        version="1.0",
        action="action-submit",
    )
    client.post(f"/admin/pages/{draft.pk}/edit/", data)
    in_review = WorkflowState.objects.filter(
        base_content_type__model="page",
        object_id=str(draft.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
        workflow__name="Framework review",
    ).exists()
    assert in_review is allowed
    assert not FrameworkPage.objects.get(pk=draft.pk).live


@pytest.fixture
def awaiting_coordinator(documents, wg_member, second_wg_member, review_workflow):
    """The draft, submitted by one member and approved by the working group."""
    draft = documents[2]
    draft.save_revision(user=wg_member)
    state = review_workflow.start(draft, wg_member)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, second_wg_member, "approve")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Coordinator approval"
    return draft, state.current_task_state


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("working_group", False),
        ("staff", True),
    ],
)
def test_approve(as_role, role, allowed, awaiting_coordinator):
    draft, task_state = awaiting_coordinator
    client = as_role(role)
    response = client.post(
        f"/admin/pages/workflow/action/{draft.pk}/approve/{task_state.pk}/",
        {"comment": "Approved."},
    )
    draft = FrameworkPage.objects.get(pk=draft.pk)
    assert draft.live is allowed
    assert draft.versions.filter(number="1.0").exists() is allowed
    if not allowed:
        assert _denied(response)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("member", False),
        ("working_group", False),
        ("staff", True),
    ],
)
def test_publish(as_role, role, allowed, documents):
    draft, draft_pdf = documents[2], documents[3]
    client = as_role(role)
    data = edit_form_data(
        draft,
        sections=[("Scope", "Published wording.")],
        version="1.0",
        action="action-publish",
    )
    client.post(f"/admin/pages/{draft.pk}/edit/", data)
    draft = FrameworkPage.objects.get(pk=draft.pk)
    assert draft.live is allowed
    client.logout()
    assert (client.get("/frameworks/draft-guide/").status_code == 200) is allowed
    # Publishing releases the draft's PDF to the public; otherwise it stays private.
    assert (client.get(draft_pdf.url).status_code == 200) is allowed
