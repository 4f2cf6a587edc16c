"""What a member may find follows their memberships and groups at once: it is
asked of the apps' own rules, in the database, on every search."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Membership, Space, WorkingGroup
from tests.conftest import make_user
from tests.search.test_site import add_document, add_thread, restricted_collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _counts(client, word):
    return client.get("/search/", {"q": word}).context["result"].counts


def test_a_member_who_leaves_the_group_stops_finding_its_posts(client, commit):
    group = WorkingGroup.objects.create(name="Assessment group", slug="assess")
    space = Space.objects.create(
        name="Group room", slug="room", visibility="group", working_group=group
    )
    with commit():
        add_thread(space, "Confidential budget", "The narwhal budget line is secret.")
    member = make_user("wg@example.org")
    membership = Membership.objects.create(
        working_group=group, user=member, status="active"
    )
    client.force_login(member)
    assert _counts(client, "narwhal")["discussions"] == 1

    # A repeat search reads the spaces and the collections again.
    with CaptureQueriesContext(connection) as queries:
        assert _counts(client, "narwhal")["discussions"] == 1
    assert [q for q in queries if "community_space" in q["sql"]]
    assert [q for q in queries if "collectionviewrestriction" in q["sql"]]

    membership.status = "removed"
    membership.save()
    assert _counts(client, "narwhal")["discussions"] == 0
    membership.delete()
    assert _counts(client, "narwhal")["discussions"] == 0
    Membership.objects.create(working_group=group, user=member, status="active")
    assert _counts(client, "narwhal")["discussions"] == 1


def test_a_restriction_opened_to_a_group_counts_from_the_next_search(client, commit):
    reviewers, editors = (
        Group.objects.create(name="Reviewers"),
        Group.objects.create(name="Programme editors"),
    )
    collection = restricted_collection(reviewers)
    with commit():
        add_document(
            "Draft framework 2.0",
            ["The pangolin clause is still under review."],
            collection=collection,
        )
    editor = make_user("editor@example.org")
    editor.groups.add(editors)
    client.force_login(editor)
    assert _counts(client, "pangolin")["documents"] == 0

    restriction = collection.view_restrictions.get()
    restriction.groups.add(editors)
    assert _counts(client, "pangolin")["documents"] == 1
    restriction.groups.remove(editors)
    assert _counts(client, "pangolin")["documents"] == 0
