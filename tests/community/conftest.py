from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from community import services
from community.models import Space, WorkingGroup
from tests.conftest import make_user


def seasoned(user):
    """Make the account older than a day, so new-member rate limits don't apply."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def working_group(db):
    return WorkingGroup.objects.create(
        name="Micro-Certification Working Group", slug="mcwg"
    )


@pytest.fixture
def other_group(db):
    return WorkingGroup.objects.create(name="Employer Advisory Group", slug="employers")


@pytest.fixture
def public_space(db):
    return Space.objects.create(
        name="Community of practice", slug="open", visibility=Space.Visibility.PUBLIC
    )


@pytest.fixture
def members_space(db):
    return Space.objects.create(
        name="Members lounge", slug="lounge", visibility=Space.Visibility.MEMBERS
    )


@pytest.fixture
def group_space(working_group):
    return Space.objects.create(
        name="Working group drafts",
        slug="drafts",
        visibility=Space.Visibility.WORKING_GROUP,
        working_group=working_group,
    )


@pytest.fixture
def other_group_space(other_group):
    return Space.objects.create(
        name="Employer notes",
        slug="employer-notes",
        visibility=Space.Visibility.WORKING_GROUP,
        working_group=other_group,
    )


@pytest.fixture
def member(user):
    return seasoned(user)


@pytest.fixture
def second_member(other_member):
    return seasoned(other_member)


@pytest.fixture
def group_member(working_group):
    user = seasoned(make_user("gwen@example.org", first_name="Gwen", last_name="Group"))
    services.add_member(working_group=working_group, user=user)
    return user


@pytest.fixture
def outsider_member(other_group):
    """A member of another working group."""
    user = seasoned(make_user("otto@example.org", first_name="Otto", last_name="Out"))
    services.add_member(working_group=other_group, user=user)
    return user


@pytest.fixture
def moderator(db):
    """A community moderator with Wagtail admin access, but not staff."""
    user = seasoned(make_user("mod@example.org", first_name="Moe", last_name="Mod"))
    group, _ = Group.objects.get_or_create(name="Community moderators")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["moderate_post", "access_admin"])
    )
    user.groups.add(group)
    return user
