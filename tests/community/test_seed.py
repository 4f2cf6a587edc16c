import io

from django.contrib.auth.models import Group

from community import seed
from community.models import Membership, Post, Space, Thread, WorkingGroup


def _counts():
    return (
        WorkingGroup.objects.count(),
        Membership.objects.count(),
        Space.objects.count(),
        Thread.objects.count(),
        Post.objects.count(),
    )


def test_seed_builds_the_demo_community_and_is_idempotent(client, home_page):
    seed.seed(io.StringIO())
    first = _counts()
    seed.seed(io.StringIO())
    assert _counts() == first
    group = WorkingGroup.objects.get(name="Micro-Certification Working Group")
    assert group.group == Group.objects.get(name="Micro-Certification Working Group")
    assert group.memberships.filter(status="active").count() >= 3
    assert group.group.user_set.count() == group.memberships.count()
    assert Space.objects.get(slug="community-of-practice").is_public
    private = Space.objects.get(slug="working-group")
    assert private.visibility == "group" and private.working_group == group
    assert Thread.objects.filter(space=private).exists()
    assert Post.objects.filter(thread__space=private).count() >= 4
    # The community is in the main navigation, and the open space is readable.
    home = client.get("/").content.decode()
    assert 'href="/community/"' in home
    page = client.get("/community/spaces/community-of-practice/").content.decode()
    assert "How are you assessing skills in short credentials?" in page
    assert client.get("/community/spaces/working-group/").status_code == 404
