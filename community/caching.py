"""What an anonymous visitor's thread page depends on, for the shared page cache.

A thread page in a public space reads the same for every anonymous visitor, so
it is kept whole (cms.cache) until one of two versions changes:

- the thread's own: its posts (new, edited, deleted, hidden), their likes, its
  title, state (pinned, locked), space and decision;
- the community's: spaces (a space made private hides its threads at once) and
  members' names and accounts (a rename or a deleted account shows on every
  thread the member wrote in).

Model signals bump them, so the admin and the shell are covered as well as the
services; the services bump by hand only where they write with `.update()`,
which sends no signal.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from cms.cache import bump_data_version, data_versions

COMMUNITY = "community"
# A thread's version is kept a day (then made anew, which only costs one
# making of its page): any number may be asked for, existing or not.
THREAD_VERSION_TIMEOUT = 24 * 60 * 60
# A member's fields that show on the posts they wrote (member_name).
_NAME_FIELDS = {"display_name", "first_name", "last_name", "username"}


def _thread_data(thread_id):
    return f"community:thread:{thread_id}"


def thread_versions(thread_id):
    """What a page of this thread depends on, by version key: for the page
    cache (`mark_cacheable`) and the kept rows of its pages alike."""
    return data_versions(
        COMMUNITY, _thread_data(thread_id), timeout=THREAD_VERSION_TIMEOUT
    )


def thread_changed(thread_id):
    if thread_id is not None:
        bump_data_version(_thread_data(thread_id), timeout=THREAD_VERSION_TIMEOUT)


def community_changed():
    bump_data_version(COMMUNITY)


def _shows_names(update_fields):
    return update_fields is None or bool(_NAME_FIELDS & set(update_fields))


def _on_thread(sender, instance, **kwargs):
    thread_changed(instance.pk)


def _on_post(sender, instance, **kwargs):
    thread_changed(instance.thread_id)


def _on_reaction(sender, instance, **kwargs):
    from .models import Post

    # While a post is deleted with its likes, the post's own signal follows.
    thread_changed(
        Post.objects.filter(pk=instance.post_id)
        .values_list("thread_id", flat=True)
        .first()
    )


def _on_space(sender, instance, **kwargs):
    community_changed()


def _on_member(sender, instance, update_fields=None, raw=False, **kwargs):
    # Signing in saves last_login only: nothing that shows.
    if not raw and _shows_names(update_fields):
        community_changed()


def _on_member_deleted(sender, instance, **kwargs):
    community_changed()


def connect():
    from .models import Post, Profile, Reaction, Space, Thread

    for model, handler in (
        (Thread, _on_thread),
        (Post, _on_post),
        (Reaction, _on_reaction),
        (Space, _on_space),
    ):
        uid = f"community_page_cache_{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=uid)
        post_delete.connect(handler, sender=model, dispatch_uid=uid)
    for model in (Profile, get_user_model()):
        uid = f"community_page_cache_{model.__name__}"
        post_save.connect(_on_member, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_member_deleted, sender=model, dispatch_uid=uid)
