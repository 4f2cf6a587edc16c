"""Keep search in step with the site: each change enqueues a task after commit.

Who may see what is not stored in the index: both engines apply the privacy
rules (page and collection view restrictions, space visibility) when a query
runs, so permission changes take effect at once, without reindexing.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import tasks
from .registry import all_documents, bump, kind_model
from .site import SITE_INDEX

PROMOTIONS = "promotions"


def _later(task, *args):
    # Cached site search results are forgotten now, and again by the task once
    # the index has caught up (DatabaseSiteEngine.update).
    bump(SITE_INDEX)
    transaction.on_commit(lambda: task.enqueue(*args))


def on_page_published(sender, instance, **kwargs):
    _later(tasks.index_object, "pages", instance.pk)


def on_page_unpublished(sender, instance, **kwargs):
    _later(tasks.remove_object, "pages", instance.pk)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _later(tasks.remove_object, "pages", instance.pk)


def on_document_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(tasks.extract_document_text, instance.pk)


def on_document_deleted(sender, instance, **kwargs):
    _later(tasks.remove_object, "documents", instance.pk)


def on_discussion_changed(sender, instance, raw=False, **kwargs):
    """An object of a kind registered with `register_documents` changed (a
    thread), or one whose text adds to it (a post: its parent is refreshed,
    and it is indexed on its own while beyond its parent's text)."""
    if raw:
        return
    for registered in all_documents():
        if sender is not kind_model(registered.kind):
            continue
        if registered.adds_to:
            parent = getattr(instance, registered.parent_key)
            _later(tasks.index_object, registered.adds_to, parent)
            _later(tasks.index_object, registered.kind, instance.pk)
        elif kwargs.get("signal") is post_delete:
            _later(tasks.remove_object, registered.kind, instance.pk)
        else:
            _later(tasks.index_object, registered.kind, instance.pk)


def on_entry_changed(sender, instance, raw=False, **kwargs):
    # Only Elasticsearch keeps a copy of the catalogue; the database is its own.
    if raw or not getattr(settings, "ELASTICSEARCH_URL", ""):
        return
    from .registry import all_indexes

    for index in all_indexes():
        if isinstance(instance, index.model):
            _later(tasks.index_catalogue_entry, index.name, instance.pk)


def on_site_search_changed(sender, **kwargs):
    """A change that can alter site search results without reindexing anything:
    a space's name or visibility, a membership, a collection's restriction, a
    page's view restrictions or place in the tree."""
    bump(SITE_INDEX)


def on_task_finished(sender, task_result, **kwargs):
    # Wagtail's own index (pages, documents, threads, posts) is updated by a
    # task of its own, which may finish after ours.
    if task_result.task.module_path.startswith("modelsearch."):
        bump(SITE_INDEX)


def on_promotion_changed(sender, **kwargs):
    # The search page keeps the set of promoted queries under this version.
    bump(PROMOTIONS)


def connect():
    from wagtail.contrib.search_promotions.models import SearchPromotion
    from wagtail.documents import get_document_model

    from .registry import all_indexes

    page_published.connect(on_page_published, dispatch_uid="search_page_published")
    page_unpublished.connect(
        on_page_unpublished, dispatch_uid="search_page_unpublished"
    )
    post_delete.connect(on_page_deleted, dispatch_uid="search_page_deleted")
    Document = get_document_model()
    post_save.connect(on_document_saved, sender=Document, dispatch_uid="search_doc")
    post_delete.connect(
        on_document_deleted, sender=Document, dispatch_uid="search_doc_deleted"
    )
    for model in {kind_model(registered.kind) for registered in all_documents()}:
        for signal in (post_save, post_delete):
            signal.connect(
                on_discussion_changed,
                sender=model,
                dispatch_uid=f"search_{model.__name__}_{id(signal)}",
            )
    from django_tasks.signals import task_finished

    from .registry import all_visibility

    post_page_move.connect(on_site_search_changed, dispatch_uid="search_page_moved")
    # Whatever a kind's visibility rule depends on (its app registered it):
    # cached anonymous results are forgotten when it changes.
    watched = {model for rule in all_visibility() for model in rule.depends_on}
    for model in watched:
        auto_created = model._meta.auto_created  # a many-to-many table
        signals = (m2m_changed,) if auto_created else (post_save, post_delete)
        for signal in signals:
            signal.connect(
                on_site_search_changed,
                sender=model,
                dispatch_uid=f"search_site_{model._meta.label}_{id(signal)}",
            )
    task_finished.connect(on_task_finished, dispatch_uid="search_site_tasks")
    for signal in (post_save, post_delete):
        signal.connect(
            on_promotion_changed,
            sender=SearchPromotion,
            dispatch_uid=f"search_promotion_{id(signal)}",
        )
    for index in all_indexes():
        for signal in (post_save, post_delete):
            signal.connect(
                on_entry_changed,
                sender=index.model,
                dispatch_uid=f"search_{index.name}_{id(signal)}",
            )
