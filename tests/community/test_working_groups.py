"""Working groups: asking to join, approval, invitations, and the Django group
that drives Wagtail permissions."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from community import services
from community.models import Membership, WorkingGroup
from tests.conftest import make_user


@pytest.fixture
def chair(working_group):
    user = make_user("chair@example.org", first_name="Chidi", last_name="Chair")
    services.add_member(working_group=working_group, user=user, chair=True)
    return user


def test_working_group_uses_the_django_group_of_the_same_name(db):
    existing, _ = Group.objects.get_or_create(name="Micro-Certification Working Group")
    group = WorkingGroup.objects.create(
        name="Micro-Certification Working Group", slug="mcwg"
    )
    assert group.group == existing


def test_member_asks_to_join_and_a_chair_approves(
    client,
    working_group,
    chair,
    member,
    group_space,
    django_capture_on_commit_callbacks,
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/community/groups/mcwg/join/", {"message": "I run our pilots."})
    assert [m.to for m in mail.outbox] == [[chair.email]]
    assert "Mira Member asks to join" in mail.outbox[0].subject
    assert "I run our pilots." in mail.outbox[0].body
    assert "/community/groups/mcwg/" in mail.outbox[0].body
    assert "/community/unsubscribe/" in mail.outbox[0].body
    membership = Membership.objects.get(user=member)
    assert membership.status == "requested"
    assert not member.groups.filter(pk=working_group.group_id).exists()
    assert client.get("/community/spaces/drafts/").status_code == 404
    again = client.post("/community/groups/mcwg/join/", follow=True)
    assert "already asked to join" in again.content.decode()
    # The member cannot approve themselves.
    client.post(
        f"/community/groups/mcwg/members/{membership.pk}/", {"action": "approve"}
    )
    membership.refresh_from_db()
    assert membership.status == "requested"
    client.force_login(chair)
    page = client.get("/community/groups/mcwg/").content.decode()
    assert "I run our pilots." in page
    client.post(
        f"/community/groups/mcwg/members/{membership.pk}/", {"action": "approve"}
    )
    membership.refresh_from_db()
    assert membership.status == "active"
    assert member.groups.filter(pk=working_group.group_id).exists()
    client.force_login(member)
    assert client.get("/community/spaces/drafts/").status_code == 200


def test_staff_approve_too_and_chairs_decline(
    client, working_group, chair, member, second_member, staff_with_mfa
):
    first = services.request_membership(user=member, working_group=working_group)
    second = services.request_membership(
        user=second_member, working_group=working_group
    )
    services.approve_membership(approver=staff_with_mfa, membership=first)
    client.force_login(chair)
    client.post(f"/community/groups/mcwg/members/{second.pk}/", {"action": "remove"})
    assert not Membership.objects.filter(pk=second.pk).exists()
    assert Membership.objects.get(pk=first.pk).status == "active"


def test_chair_invites_by_email_and_the_invitee_accepts(
    client, working_group, chair, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    bad = client.post("/community/groups/mcwg/invite/", {"email": "not-an-email"})
    assert bad.status_code == 302 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/community/groups/mcwg/invite/", {"email": "Ines@Example.org"})
    message = mail.outbox[-1]
    assert message.to == ["ines@example.org"]
    assert "Micro-Certification Working Group" in message.subject
    path = re.search(r"/community/invitations/\S+/", message.body)[0]
    # Someone else cannot use the invitation.
    intruder = make_user("intruder@example.org")
    client.force_login(intruder)
    response = client.post(path, follow=True)
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(user=intruder).exists()
    invitee = make_user("ines@example.org")
    client.force_login(invitee)
    client.post(path)
    assert Membership.objects.get(user=invitee).status == "active"
    assert invitee.groups.filter(pk=working_group.group_id).exists()
    # Once only.
    with pytest.raises(services.CommunityError):
        services.accept_invitation(
            user=invitee, invitation=working_group.invitations.get()
        )


def test_members_cannot_invite(client, working_group, member):
    client.force_login(member)
    client.post("/community/groups/mcwg/invite/", {"email": "friend@example.org"})
    assert not working_group.invitations.exists()
    assert mail.outbox == []


def test_forged_invitation_link_is_404(client, member):
    client.force_login(member)
    assert client.get("/community/invitations/1:forged/").status_code == 404


def test_member_list_is_for_signed_in_members(client, working_group, chair):
    html = client.get("/community/groups/mcwg/").content.decode()
    assert "Chairs:" in html and "Chidi Chair" in html
    assert "Sign in to ask to join" in html


def test_staff_appoint_chairs_and_members_cannot(
    client, working_group, member, second_member, staff_with_mfa
):
    membership = services.add_member(working_group=working_group, user=member)
    client.force_login(second_member)
    client.post(f"/community/groups/mcwg/members/{membership.pk}/", {"action": "chair"})
    membership.refresh_from_db()
    assert not membership.is_chair
    client.force_login(staff_with_mfa)
    page = client.get("/community/groups/mcwg/").content.decode()
    assert "Make Mira Member a chair" in page
    client.post(f"/community/groups/mcwg/members/{membership.pk}/", {"action": "chair"})
    membership.refresh_from_db()
    assert membership.is_chair
    assert services.is_chair(member, working_group)


def test_staff_create_working_groups_and_spaces_in_the_admin(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    add = "/admin/snippets/community/workinggroup/add/"
    assert client.get(add).status_code == 200
    response = client.post(
        add,
        {"name": "Employer Advisory Group", "slug": "employers", "description": "x"},
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get(slug="employers")
    assert group.group.name == "Employer Advisory Group"
    # A working-group space needs its group: a clear error, nothing saved.
    space_add = "/admin/snippets/community/space/add/"
    bad = client.post(
        space_add,
        {"name": "Notes", "slug": "notes", "visibility": "group", "sort_order": 0},
    )
    assert bad.status_code == 200
    assert "Choose the working group for this space." in bad.content.decode()
    client.post(
        space_add,
        {
            "name": "Notes",
            "slug": "notes",
            "visibility": "group",
            "working_group": group.pk,
            "sort_order": 0,
        },
    )
    assert group.spaces.get().slug == "notes"
