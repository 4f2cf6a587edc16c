"""The privacy matrix of site search, on both engines (issue 19).

Marker words sit in things only some people may see: a working group's thread,
a members-only thread, a hidden post, a draft framework version, a restricted
page, a document in a private collection and an unpublished catalogue entry.
Anonymous visitors, a plain member, a member of another working group and a
moderator search for each: results, counts, the catalogue's facets, the
suggestions as you type and "did you mean" reveal only what each may see.
Then a space is made members-only in community, and search follows at once.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import PageViewRestriction

from community import services
from community.models import Membership, Post, Space, Thread, WorkingGroup
from credentials.search import index_credentials
from search.base import SearchQuery
from search.registry import get_engine
from search.site import get_site_engine
from tests.conftest import make_user
from tests.credentials.factories import make_credential, make_provider
from tests.frameworks.conftest import make_document, make_framework
from tests.search.test_site import add_page

pytestmark = pytest.mark.django_db

# marker word -> who may find it (besides nobody)
MARKERS = {
    "ocelot": {"group_member", "moderator"},  # working group's thread
    "lynx": {"member", "other_member", "group_member", "moderator"},  # members-only
    "tapir": {"moderator"},  # hidden post
    "quetzal": set(),  # draft framework version
    "axolotl": set(),  # restricted page
    "jaguar": set(),  # private collection's document
    "okapi": set(),  # unpublished catalogue entry
}
# marker words in titles (the others are in bodies only)
TITLE_WORDS = {"ocelot", "lynx"}
ROLES = ("anonymous", "member", "other_member", "group_member", "moderator")


@pytest.fixture
def people(db):
    group = WorkingGroup.objects.create(name="Assessment group", slug="assessment")
    other = WorkingGroup.objects.create(name="Industry group", slug="industry")
    moderators = Group.objects.create(name="Community moderators")
    moderators.permissions.add(Permission.objects.get(codename="moderate_post"))
    users = {
        "anonymous": None,
        "member": make_user("plain@example.org"),
        "other_member": make_user("other-group@example.org"),
        "group_member": make_user("in-group@example.org"),
        "moderator": make_user("mod@example.org"),
    }
    Membership.objects.create(
        working_group=other, user=users["other_member"], status="active"
    )
    Membership.objects.create(
        working_group=group, user=users["group_member"], status="active"
    )
    users["moderator"].groups.add(moderators)
    return {"group": group, "users": users}


def thread(space, title, body):
    made = Thread.objects.create(space=space, title=title)
    post = Post.objects.create(thread=made, body=body, body_html=f"<p>{body}</p>")
    return made, post


@pytest.fixture
def world(engine_name, people, home_page, django_capture_on_commit_callbacks):
    from frameworks import seed

    with django_capture_on_commit_callbacks(execute=True):
        group_space = Space.objects.create(
            name="Group room",
            slug="group-room",
            visibility="group",
            working_group=people["group"],
        )
        lounge = Space.objects.create(
            name="Lounge", slug="lounge", visibility="members"
        )
        open_space = Space.objects.create(name="Open", slug="open", visibility="public")
        thread(group_space, "Ocelot budget", "The ocelot line is confidential.")
        thread(lounge, "Lynx meetup", "Members discuss the lynx.")
        thread(open_space, "Spring notes", "Nothing private here.")
        _, spam = thread(open_space, "Buying advice", "Tapir pills, cheap.")
        services.hide_post(moderator=people["users"]["moderator"], post=spam)

        framework = make_framework(seed.index_page(), title="Assessment guide")
        framework.summary = "The quetzal clause, still in review."
        framework.save_revision()  # a draft, not published

        restricted = add_page(home_page, "Axolotl notes", summary="axolotl")
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.LOGIN
        )
        make_document("Jaguar draft", draft=True, text="The jaguar section.")

        provider = make_provider("Hidden College")
        make_credential("Okapi pilot", provider=provider, status="draft")
        make_credential("Welding basics", provider=make_provider("Open College"))
    index_credentials()
    for engine in (get_site_engine(), get_engine("credentials")):
        if hasattr(engine, "rebuild"):
            engine.rebuild()
    return people["users"]


def finds(user, word):
    engine = get_site_engine()
    result = engine.search(word, user=user)
    return result


def suggestion_labels(user, text):
    return " ".join(
        item["label"].lower() for item in get_site_engine().suggest(text, user=user)
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_finds_only_what_they_may_see(world, engine_name, role):
    user = world[role]
    for word, allowed in MARKERS.items():
        result = finds(user, word)
        may = role in allowed
        assert bool(result.all_total) is may, (role, word, result.counts)
        shown = " ".join(
            f"{hit.title} {hit.snippet}".lower()
            for hits in result.groups.values()
            for hit in hits
        )
        assert (word in shown) is may, (role, word)
        # Suggestions as you type, from the first letters of the word (only
        # titles are suggested: the words in titles show to those who may).
        suggested = word in suggestion_labels(user, word[:4])
        assert suggested is (may and word in TITLE_WORDS), (role, word)
        # "Did you mean": a misspelling is never corrected towards what the
        # visitor may not see.
        misspelt = finds(user, word[:-1] + word[-1] * 2)
        if not may:
            assert word not in " ".join(misspelt.suggestions), (role, word)
        elif word in TITLE_WORDS:
            # Corrected, or found as it is (the French stemmer makes "ocelott"
            # and "ocelot" one word).
            assert misspelt.all_total or misspelt.suggestions == [word], (role, word)


@pytest.mark.parametrize("role", ROLES)
def test_catalogue_counts_and_facets_reveal_no_unpublished_entry(world, role):
    engine = get_engine("credentials")
    user = world[role]
    result = engine.search(SearchQuery(text="okapi", facets=("provider",)), user=user)
    assert result.total == 0
    assert all(value.count == 0 for value in result.facets["provider"].values)
    assert result.suggestions == []
    everything = engine.search(SearchQuery(facets=("provider",)), user=user)
    assert everything.total == 1
    providers = {v.label: v.count for v in everything.facets["provider"].values}
    assert providers == {"Open College": 1}


def test_a_space_made_members_only_changes_results_at_once(world):
    """A rule changed in community (the space's visibility) shows in search
    with no change in search/ and no reindexing."""
    engine = get_site_engine()
    assert engine.search("spring").counts["discussions"] == 1
    space = Space.objects.get(slug="open")
    space.visibility = "members"
    space.save()
    assert engine.search("spring").counts["discussions"] == 0
    assert engine.search("spring", user=world["member"]).counts["discussions"] == 1
    assert "spring" not in suggestion_labels(None, "spri")
    space.visibility = "public"
    space.save()
    assert engine.search("spring").counts["discussions"] == 1


def test_community_search_is_the_site_search_of_discussions(client, world):
    response = client.get("/community/search/", {"q": "lynx"})
    assert response.status_code == 302
    assert response["Location"] == "/search/?kind=discussions&q=lynx"
    client.force_login(world["member"])
    result = client.get(response["Location"]).context["result"]
    assert result.kind == "discussions"
    assert [hit.title for hit in result.groups["discussions"]] == ["Lynx meetup"]
