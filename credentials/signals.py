"""Cached catalogue searches are forgotten when entries or providers change.

Saving an entry re-indexes it (MicroCredential.save), which also forgets cached
results; these cover deletions and provider changes (names label the facets),
and skills renamed or deleted (their names show on the cached result cards). A
new tag is on no entry until that entry is saved, so creating one changes nothing.
"""

from django.db.models.signals import post_delete, post_save
from taggit.models import Tag

from search.registry import bump

from .models import MicroCredential, Provider
from .search import INDEX_NAME


def _forget(**kwargs):
    bump(INDEX_NAME)


def _forget_renamed_tag(created=False, **kwargs):
    if not created:
        bump(INDEX_NAME)


def connect():
    post_delete.connect(_forget, sender=MicroCredential, dispatch_uid="credentials-del")
    post_save.connect(_forget, sender=Provider, dispatch_uid="provider-save")
    post_delete.connect(_forget, sender=Provider, dispatch_uid="provider-del")
    post_save.connect(_forget_renamed_tag, sender=Tag, dispatch_uid="skill-save")
    post_delete.connect(_forget, sender=Tag, dispatch_uid="skill-del")
