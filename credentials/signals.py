"""Cached catalogue searches are forgotten when entries or providers change.

Saving an entry re-indexes it (MicroCredential.save), which also forgets cached
results; these cover deletions and provider changes (names label the facets).
"""

from django.db.models.signals import post_delete, post_save

from search.registry import bump

from .models import MicroCredential, Provider
from .search import INDEX_NAME


def _forget(**kwargs):
    bump(INDEX_NAME)


def connect():
    post_delete.connect(_forget, sender=MicroCredential, dispatch_uid="credentials-del")
    post_save.connect(_forget, sender=Provider, dispatch_uid="provider-save")
    post_delete.connect(_forget, sender=Provider, dispatch_uid="provider-del")
