"""Wagtail's own Elasticsearch 8 backend (modelsearch's `elasticsearch8`), as
Wagtail configures it, with one change.

It is `WAGTAILSEARCH_BACKENDS["default"]` when `ELASTICSEARCH_URL` is set
(`cms.settings.base.wagtail_search_backends`): it indexes pages, documents'
text (`search.models.DocumentText`) and the admin's models as they are saved,
and site search queries pages and documents through it.

The change: Wagtail expects `update_index` to have created each index before
the first write; Elasticsearch would otherwise create a missing index on the
first write with mappings guessed from that one document (no analysers, the
wrong field types). Here the first write to a missing index creates it with
Wagtail's settings and its models' mappings, as a rebuild would.
"""

from elasticsearch import BadRequestError
from modelsearch.index import get_indexed_models
from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8Index,
    Elasticsearch8SearchBackend,
)

# Indexes this process has seen exist, by name (an index renamed by a rebuild
# stays behind its alias, so the name keeps answering).
_existing = set()


class Index(Elasticsearch8Index):
    def ensure(self):
        """Create this index with Wagtail's mappings if it does not exist."""
        key = (repr(self.backend.hosts), self.name)
        if key in _existing:
            return
        if not self.es.indices.exists(index=self.name):
            try:
                self.put()
            except BadRequestError as error:
                # Another process created it meanwhile.
                if "already_exists" not in str(error):
                    raise
            for model in get_indexed_models():
                if self.backend.get_index_for_model(model).name == self.name:
                    self.add_model(model)
        _existing.add(key)

    def add_item(self, item):
        self.ensure()
        super().add_item(item)

    def add_items(self, model, items):
        self.ensure()
        super().add_items(model, items)


class SearchBackend(Elasticsearch8SearchBackend):
    index_class = Index


def site_models():
    """The models site search reads through Wagtail: pages, documents' text."""
    from wagtail.models import Page

    from ..models import DocumentText

    return [
        model
        for model in get_indexed_models()
        if issubclass(model, Page) or model is DocumentText
    ]


def rebuild_site_models(progress=None):
    """Rebuild Wagtail's indexes of pages and documents' text, each into a new
    index whose alias moves once it is full (Wagtail's atomic rebuilder, as
    its `update_index` command does), with progress; counts per kind.

    Wagtail's other indexes (images, snippets, the admin's searches) are
    rebuilt by Wagtail's own `update_index` command.
    """
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    by_index = {}
    for model in site_models():
        index = backend.get_index_for_model(model)
        by_index.setdefault(index.name, (index, []))[1].append(model)
    counts = {}
    for index, models in by_index.values():
        rebuilder = backend.rebuilder_class(index)
        new_index = rebuilder.start()
        try:
            for model in models:
                new_index.add_model(model)
            for model in models:
                objects = model.get_indexed_objects().order_by("pk")
                total, done = objects.count(), 0
                chunk = []
                for obj in objects.iterator(chunk_size=500):
                    chunk.append(obj)
                    if len(chunk) == 500:
                        new_index.add_items(model, chunk)
                        done, chunk = done + len(chunk), []
                        if progress:
                            progress(done, total)
                if chunk:
                    new_index.add_items(model, chunk)
                    done += len(chunk)
                # Each page model indexes the pages of exactly its type; the
                # tree's root (a plain Page) is no page anyone finds.
                kind = "pages" if issubclass(model, Page) else "documents"
                if model is not Page:
                    counts[kind] = counts.get(kind, 0) + done
                if progress:
                    progress(done, total)
        except BaseException:
            new_index.delete()
            raise
        rebuilder.finish()
    return counts
