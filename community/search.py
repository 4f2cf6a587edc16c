"""What community makes findable in site search, and who may find it.

The rules are the managers' own (`community.managers`): site search asks them
at query time and re-states nothing. What an engine that keeps its own copy
(Elasticsearch) indexes of a thread or a hidden post is built here too, so
search/ knows no community field.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import F, OuterRef, Subquery

from search.registry import register_documents, register_visibility

from .models import Membership, Post, Space, Thread, WorkingGroup

# A thread is readable when its space is: Elasticsearch keeps the space of each
# thread and filters by the spaces whose threads this user may read.
register_visibility(
    "discussions",
    lambda user: Thread.objects.visible_to(user),
    key="space_id",
    depends_on=(Space, WorkingGroup, Membership),
)
# Posts (hidden ones for moderators): for snippets and matches inside threads.
register_visibility(
    "posts",
    lambda user: Post.objects.visible_to(user),
    depends_on=(Space, WorkingGroup, Membership, Post),
)

# Long threads: the text of the first posts is enough to find them.
MAX_POSTS_INDEXED = 500


# Results and suggestions: the threads with the latest activity first; inside
# a thread, its first matching post gives the snippet and the link.
THREAD_ORDERING = ("-last_activity_at", "-pk")
POST_ORDERING = ("created_at", "pk")


def thread_shown(thread):
    """What a result or a suggestion shows of a thread (its space is read
    with it: `related`)."""
    return {
        "title": thread.title,
        "url": thread.get_absolute_url(),
        "meta": thread.space.name,
    }


def thread_document(thread):
    """A thread as one document: its title and the posts every reader of the
    thread sees (who may read the thread is filtered when searching)."""
    posts = Post.objects.of_readable_thread(thread, None).order_by(*POST_ORDERING)
    return {
        **thread_shown(thread),
        "body": " ".join(post.body for post in posts[:MAX_POSTS_INDEXED]),
        "sort_date": thread.last_activity_at,
    }


def hidden_post_document(post):
    """A hidden post on its own: only those who may still read it (moderators,
    by `Post.objects.visible_to`) find its thread through it."""
    return {
        "title": post.thread.title,
        "body": post.body,
        "url": post.get_absolute_url(),
        "meta": post.thread.space.name,
        "sort_date": post.created_at,
    }


def thread_texts():
    """The same text for every thread in one query (PostgreSQL), for the
    database engine's stored vectors."""
    shared = (
        Post.objects.of_readable_thread(OuterRef("pk"), None)
        .order_by()
        .values("thread")
        .annotate(text=StringAgg("body", " ", order_by=POST_ORDERING))
        .values("text")
    )
    return Thread.objects.annotate(
        search_title=F("title"), search_body=Subquery(shared)
    )


register_documents(
    "discussions",
    lambda: Thread.objects.select_related("space"),
    thread_document,
    texts=thread_texts,
    shown=thread_shown,
    title="title",
    ordering=THREAD_ORDERING,
    related=("space",),
)
# A thread's own text holds the posts every reader sees; the posts beyond it
# (hidden ones, which moderators still see) are matched one by one.
register_documents(
    "posts",
    lambda: Post.objects.filter(
        hidden_at__isnull=False, deleted_at__isnull=True
    ).select_related("thread__space"),
    hidden_post_document,
    adds_to="discussions",
    parent_key="thread_id",
    text="body",
    ordering=POST_ORDERING,
)
