"""The privacy matrix: every read path, for every kind of account, over every
private thing, each carrying a marker word.

For each account the test fetches every read path (pages, search and
suggestions, feeds, calendar files, the sitemap, API lists and details with
guessed ids, document downloads and /media/ spellings, exports, notifications
and the emails in the outbox) and asserts that each marker appears exactly
where that account may see it and nowhere else. `READS` (below) says where
each marker must appear for the accounts that may read it; everywhere else,
and for every other account, it must not.

The counts the matrix runs are read paths x accounts x markers; see
`test_the_matrix_covers_every_read_path`.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

from frameworks import constants
from frameworks.pdf import simple_pdf
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ACCOUNTS = [
    "anonymous",
    "member",
    "other_group_member",
    "former_member",
    "moderator",
    "group_member",
]

# One word per private thing; nothing else on the site contains them.
MARKERS = {
    "group_thread": "zarquonwg",
    "members_thread": "membzorblat",
    "hidden_post": "hidquibble",
    "draft_version": "drafvellum",
    "restricted_page": "restrflumox",
    "private_document": "docplumbus",
    "unpublished_entry": "unpubgrommet",
    "registration": "regsnorkel",
}

# What the search paths ask for: another word of the same text, so that a
# page echoing the query does not show the marker itself.
KEYS = {thing: marker[::-1] for thing, marker in MARKERS.items()}


def words(thing):
    """The marker and the search key of a thing, for its text."""
    return f"{KEYS[thing]} {MARKERS[thing]}"


# Who may read each thing, and the read paths where they must find it. Every
# other (path, account) pair must not show the marker at all.
READERS = {
    "group_thread": {"group_member", "moderator"},
    "members_thread": {
        "member",
        "other_group_member",
        "former_member",
        "group_member",
        "moderator",
    },
    "hidden_post": {"moderator"},
    "draft_version": set(),
    "restricted_page": {"group_member"},
    "private_document": {"group_member"},
    "unpublished_entry": set(),
    "registration": set(),
}
READS = {
    "group_thread": {
        "space:drafts",
        "thread:group",
        "site_search",
        "site_suggest",
        "api_threads:drafts",
        "api_posts:group",
        "post_history:group_first",
        "post_history:group_reply",
        "notifications",
    },
    "members_thread": {
        "space:lounge",
        "thread:members",
        "site_search",
        "site_suggest",
        "api_threads:lounge",
        "api_posts:members",
        "post_history:members_first",
        "post_history:members_reply",
        "notifications",
    },
    # Moderators read hidden posts wherever they read posts.
    "hidden_post": {
        "thread:public",
        "api_posts:public",
        "post_history:hidden",
        "site_search",
    },
    "draft_version": set(),
    "restricted_page": {"restricted_page"},
    "private_document": {"document", "site_search", "site_suggest"},
    "unpublished_entry": set(),
    "registration": set(),
}
# Where a reader may find it but need not: the site search lists a restricted
# page to the members it is restricted to only once the search index has
# caught up with the restriction (search/site.py). Never for anyone else.
# Reply emails are coalesced per thread and interval (community.tasks), so
# they may not have gone out yet when the matrix reads the outbox.
MAY_READ = {
    "restricted_page": {"site_search", "site_suggest"},
    "group_thread": {"email", "community_search"},
    "members_thread": {"email", "community_search"},
    # The community search's member audience (issue 19) leaves hidden posts
    # and moderators' extra reach out; not required, never for others.
    "hidden_post": {"community_search"},
}


@dataclass
class World:
    users: dict
    author: object
    spaces: dict
    threads: dict
    posts: dict
    document: object
    framework: object
    restricted_page: object
    entry: object
    event: object
    paths: dict = field(default_factory=dict)


def _build_world(home_page, capture):
    from community import services as community
    from community.models import Space, WorkingGroup
    from events import services as events
    from tests.credentials.factories import make_credential
    from tests.frameworks.conftest import body, make_framework

    with capture(execute=True):
        group = WorkingGroup.objects.filter(name=constants.WORKING_GROUP).first()
        if group is None:
            group = WorkingGroup.objects.create(
                name=constants.WORKING_GROUP, slug="mcwg"
            )
        other_group = WorkingGroup.objects.create(
            name="Employer Advisory Group", slug="employers"
        )
        author = make_user("author@example.org", first_name="Ada", last_name="Author")
        community.add_member(working_group=group, user=author)
        users = {
            "member": make_user("member@example.org", first_name="Mel"),
            "other_group_member": make_user("otto@example.org", first_name="Otto"),
            "former_member": make_user("fern@example.org", first_name="Fern"),
            "moderator": make_user("mod@example.org", first_name="Moe"),
            "group_member": make_user("gwen@example.org", first_name="Gwen"),
        }
        for user in [author, *users.values()]:
            _seasoned(user)
        community.add_member(
            working_group=other_group, user=users["other_group_member"]
        )
        community.add_member(working_group=group, user=users["group_member"])
        former = community.add_member(working_group=group, user=users["former_member"])
        moderators, _created = Group.objects.get_or_create(name="Community moderators")
        from django.contrib.auth.models import Permission

        moderators.permissions.add(
            *Permission.objects.filter(codename__in=["moderate_post", "access_admin"])
        )
        users["moderator"].groups.add(moderators)

        spaces = {
            "open": Space.objects.create(
                name="Community of practice", slug="open", visibility="public"
            ),
            "lounge": Space.objects.create(
                name="Members lounge", slug="lounge", visibility="members"
            ),
            "drafts": Space.objects.create(
                name="Working group drafts",
                slug="drafts",
                visibility="group",
                working_group=group,
            ),
            "employer": Space.objects.create(
                name="Employer notes",
                slug="employer-notes",
                visibility="group",
                working_group=other_group,
            ),
        }
        threads = {
            "public": community.create_thread(
                author=author,
                space=spaces["open"],
                title="Assessment rubrics",
                body="Open discussion of rubrics.",
            ),
            "group": community.create_thread(
                author=author,
                space=spaces["drafts"],
                title=f"Draft {words('group_thread')} wording",
                body=f"The {words('group_thread')} clause is still private.",
            ),
            "members": community.create_thread(
                author=author,
                space=spaces["lounge"],
                title=f"Members {words('members_thread')} meetup",
                body=f"Only members hear about {words('members_thread')}.",
            ),
        }
        hidden = community.reply(
            author=author,
            thread=threads["public"],
            body=f"An off-topic {words('hidden_post')} remark.",
        )
        community.hide_post(moderator=users["moderator"], post=hidden)
        # Everyone watches every thread and space they can name; the former
        # member watched while still a member, then left.
        for user in users.values():
            for target in [*threads.values(), *spaces.values()]:
                community.set_watch(user=user, target=target, watching=True)
        community.remove_membership(by=users["former_member"], membership=former)
        mail.outbox.clear()
        from community.models import Post

        posts = {
            f"{name}_first": Post.objects.filter(thread=thread).order_by("pk").first()
            for name, thread in threads.items()
        }
        posts["hidden"] = hidden
        posts["group_reply"] = community.reply(
            author=author,
            thread=threads["group"],
            body=f"More {words('group_thread')} detail.",
        )
        posts["members_reply"] = community.reply(
            author=author,
            thread=threads["members"],
            body=f"See you, {words('members_thread')}.",
        )
        posts["public_reply"] = community.reply(
            author=author, thread=threads["public"], body="Rubrics are public."
        )

        # A document in the working group's private collection, offered on a
        # published framework page; a draft revision of that page.
        drafts = Collection.objects.get(name=constants.DRAFTS_COLLECTION)
        assert CollectionViewRestriction.objects.filter(collection=drafts).exists()
        document = get_document_model()(
            title=f"Minutes {words('private_document')}", collection=drafts
        )
        document.file.save(
            "minutes.pdf",
            ContentFile(simple_pdf("Minutes", [words("private_document")])),
            save=False,
        )
        document.save()
        from frameworks import seed as frameworks_seed
        from frameworks.models import FrameworkDownload

        index = frameworks_seed.index_page()
        framework = make_framework(index, title="Assessment guide")
        framework.version = "1.1"
        framework.change_summary = words("draft_version")
        framework.body = body(("Draft section", words("draft_version")))
        framework.downloads = [FrameworkDownload(document=document)]
        framework.save_revision(user=author)

        from cms.models import StandardPage

        restricted = StandardPage(
            title="Working group handbook",
            slug="handbook",
            body=[("paragraph", f"<p>The {words('restricted_page')} procedures.</p>")],
        )
        home_page.add_child(instance=restricted)
        restricted.save_revision().publish()
        PageViewRestriction.objects.create(
            page=restricted,
            restriction_type=PageViewRestriction.GROUPS,
        ).groups.add(group.group)

        entry = make_credential(
            f"Analytics {words('unpublished_entry')}",
            status="draft",
            skills=[words("unpublished_entry")],
        )
        make_credential("Public analytics", skills=["analytics"])

        from events.models import EventIndexPage, EventPage

        event_index = EventIndexPage(title="Events", slug="events")
        home_page.add_child(instance=event_index)
        event_index.save_revision().publish()
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now().replace(second=0, microsecond=0)
        event = EventPage(
            title="Annual forum",
            slug="forum",
            start=now + timedelta(days=30),
            end=now + timedelta(days=30, hours=8),
            event_format=EventPage.Format.HYBRID,
            venue="Toronto Reference Library",
            online_url="https://meet.example.org/room",
            capacity=50,
            registration_opens=now - timedelta(days=1),
            registration_closes=now + timedelta(days=20),
        )
        event_index.add_child(instance=event)
        event.save_revision().publish()
        event = EventPage.objects.get(pk=event.pk)
        events.register(
            event=event,
            name=f"Rita {words('registration')}",
            email="regsnorkel@example.org",
            organisation=words("registration"),
            accommodations=words("registration"),
            email_verified=True,
        )
    # Publishing a framework moves its downloads to the public collection:
    # this document is only offered by the unpublished draft.
    document.refresh_from_db()
    assert document.collection.name == constants.DRAFTS_COLLECTION
    return World(
        users=users,
        author=author,
        spaces=spaces,
        threads=threads,
        posts=posts,
        document=document,
        framework=framework,
        restricted_page=restricted,
        entry=entry,
        event=event,
    )


def _seasoned(user):
    from datetime import timedelta

    from django.utils import timezone

    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])


def guessed_ids(model):
    """Every id the table holds, and the ones just around them."""
    ids = set(model.objects.values_list("pk", flat=True))
    return sorted(ids | {min(ids) - 1, max(ids) + 1, max(ids) + 2} - {0})


def read_paths(world):
    """Every read path, by key: a URL (GET) or a callable(client, user)."""
    from community.models import Post, Thread

    paths = {
        "home": "/",
        "community": "/community/",
        "members_directory": "/community/members/",
        "framework_index": "/frameworks/",
        "framework_page": world.framework.url,
        "framework_version": world.framework.url + "v/1.1/",
        "framework_feed": "/frameworks/feed/",
        "restricted_page": world.restricted_page.url,
        "events_index": "/events/",
        "event_page": world.event.url,
        "event_calendar": world.event.url + "calendar/",
        "events_feed": "/events/feed.ics",
        "my_registrations": "/registrations/",
        "sitemap": "/sitemap.xml",
        "catalogue_entry": f"/catalogue/{world.entry.slug}/",
        "catalogue_jsonld": f"/catalogue/{world.entry.slug}.jsonld",
        "catalogue_export_csv": "/catalogue/export.csv",
        "catalogue_export_json": "/catalogue/export.json",
        "member_export": "/community/export/",
        "notifications": "/community/notifications/",
        "api_spaces": "/api/v1/community/spaces",
        "api_credentials": "/api/v1/credentials?per_page=100",
        "api_credential": f"/api/v1/credentials/{world.entry.slug}",
        "api_events": "/api/v1/events",
        "api_frameworks": "/api/v1/frameworks",
        "api_framework": f"/api/v1/frameworks/{world.framework.slug}",
        "admin_registrations": f"/admin/registrations/{world.event.pk}/",
        "admin_registrations_csv": f"/admin/registrations/{world.event.pk}/export.csv",
        "document": world.document.url,
        "document_wrong_name": f"/documents/{world.document.pk}/wrong.pdf",
        "email": "outbox",
    }
    for key, marker_query in {
        "site_search": "/search/?q={}",
        "site_suggest": "/search/suggest?q={}",
        "catalogue_search": "/catalogue/?q={}",
        "catalogue_suggest": "/catalogue/suggest?q={}",
        "community_search": "/community/search/?q={}",
        "api_credentials_search": "/api/v1/credentials?q={}",
    }.items():
        paths[key] = marker_query  # filled in per marker
    for name, space in world.spaces.items():
        paths[f"space:{name}"] = space.get_absolute_url()
        paths[f"space_feed:{name}"] = space.get_absolute_url() + "feed/"
        paths[f"api_threads:{name}"] = f"/api/v1/community/spaces/{space.slug}/threads"
    thread_names = {thread.pk: name for name, thread in world.threads.items()}
    for pk in guessed_ids(Thread):
        name = thread_names.get(pk, str(pk))
        paths[f"thread:{name}"] = f"/community/threads/{pk}/"
        paths[f"api_posts:{name}"] = f"/api/v1/community/threads/{pk}/posts"
    post_names = {post.pk: name for name, post in world.posts.items()}
    for pk in guessed_ids(Post):
        name = post_names.get(pk, str(pk))
        paths[f"post:{name}"] = f"/community/posts/{pk}/"
        paths[f"post_history:{name}"] = f"/community/posts/{pk}/history/"
    for pk in guessed_ids(Page):
        paths[f"api_event:{pk}"] = f"/api/v1/events/{pk}"
    name = world.document.file.name.split("/", 1)[1]
    for number, variant in enumerate(
        [
            "/media/documents/{}",
            "/media//documents/{}",
            "/media/./documents/{}",
            "/media/%2e/documents/{}",
            "/media/%2fdocuments/{}",
            "/media/.//documents/{}",
        ]
    ):
        paths[f"media:{number}"] = variant.format(name)
    return paths


def _text(response):
    content = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    text = content.decode("utf-8", "replace")
    return text.lower()


def _mailbox(user):
    """Every email the account received: subjects, bodies and HTML parts."""
    if user is None:
        return ""
    parts = []
    for message in mail.outbox:
        if user.email not in message.to + message.cc + message.bcc:
            continue
        parts += [message.subject, message.body]
        parts += [content for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts).lower()


def seen(client, user, paths, thing):
    """The read paths (keys) whose answer to this account shows the marker."""
    marker = MARKERS[thing]
    found = set()
    for key, url in paths.items():
        if url == "outbox":
            text = _mailbox(user)
        else:
            query = KEYS[thing]
            text = _text(client.get(url.format(query) if "{}" in url else url))
        if marker in text:
            found.add(key)
    return found


@pytest.fixture
def world(home_page, django_capture_on_commit_callbacks):
    return _build_world(home_page, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_each_marker_shows_exactly_where_the_account_may_read_it(
    client, world, account, record_property
):
    user = world.users.get(account)
    if user is not None:
        client.force_login(user)
    paths = read_paths(world)
    leaks, missing = {}, {}
    for thing in MARKERS:
        found = seen(client, user, paths, thing)
        reader = account in READERS[thing]
        expected = READS[thing] if reader else set()
        allowed = expected | MAY_READ.get(thing, set()) if reader else set()
        if found - allowed:
            leaks[thing] = sorted(found - allowed)
        if expected - found:
            missing[thing] = sorted(expected - found)
    record_property("cells", len(paths) * len(MARKERS))
    assert leaks == {}, f"{account} sees markers it may not: {leaks}"
    assert missing == {}, f"{account} misses what it may read: {missing}"


def test_the_matrix_covers_every_read_path(world):
    """The size of the matrix, for the README: read paths x accounts x markers."""
    paths = read_paths(world)
    assert len(paths) >= 60
    assert len(ACCOUNTS) == 6
    assert len(MARKERS) == 8
    for keys in READS.values():
        assert keys <= set(paths), keys - set(paths)
    print(  # noqa: T201
        f"privacy matrix: {len(paths)} read paths x {len(ACCOUNTS)} accounts x "
        f"{len(MARKERS)} markers = {len(paths) * len(ACCOUNTS) * len(MARKERS)} cells"
    )
