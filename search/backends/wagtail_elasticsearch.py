"""Wagtail's own Elasticsearch 8 backend (modelsearch's `elasticsearch8`), as
Wagtail configures it, with two changes.

It is `WAGTAILSEARCH_BACKENDS["default"]` when `ELASTICSEARCH_URL` is set
(`cms.settings.base.wagtail_search_backends`): it indexes pages, documents'
text (`search.models.DocumentText`) and the admin's models as they are saved,
and site search queries pages and documents through it.

The change: Wagtail expects `update_index` to have created each index before
the first write; Elasticsearch would otherwise create a missing index on the
first write with mappings guessed from that one document (no analysers, the
wrong field types). Here the first write to a missing index creates it with
Wagtail's settings and its models' mappings, as a rebuild would.

Languages: Wagtail's mapping names no analyser for its text, which
Elasticsearch then analyses with `standard` (no stemming, no stop words).
Here each of those text fields is analysed by `english` and gets a `.fr`
subfield analysed by `french`, and a search of a translatable model (pages)
on the French site reads the `.fr` fields: site search finds only the pages
of the site's language (`search.site.pages_in_this_language`), so French
pages are matched in French and English ones in English. (The analysers are
named in the mapping rather than made the index's `default` in
`INDEX_SETTINGS`: the stand-in engine the tests run on ignores an index's
default analyser.)
"""

from django.utils import translation
from elasticsearch import BadRequestError
from modelsearch.backends.elasticsearchbase import Field
from modelsearch.index import get_indexed_models
from wagtail.models import TranslatableMixin
from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
)

# The subfield of every analysed text field that French is matched on.
FRENCH = "fr"

# Indexes this process has seen exist, by name (an index renamed by a rebuild
# stays behind its alias, so the name keeps answering).
_existing = set()


def with_languages(properties):
    """Analyse every text field that names no analyser in English, with a
    `.fr` subfield analysed in French (autocomplete fields keep their own)."""
    for mapping in properties.values():
        if mapping.get("type") == "nested":
            with_languages(mapping["properties"])
        elif mapping.get("type") == "text" and "analyzer" not in mapping:
            mapping["analyzer"] = "english"
            mapping.setdefault("fields", {})[FRENCH] = {
                "type": "text",
                "analyzer": "french",
            }
    return properties


def searches_in_french(model):
    """Whether a search of `model` now matches French: a translatable model
    (pages) searched on the French site."""
    language = translation.get_language() or ""
    return language.startswith("fr") and issubclass(model, TranslatableMixin)


class Mapping(Elasticsearch8Mapping):
    def get_mapping(self):
        mapping = super().get_mapping()
        with_languages(mapping["properties"])
        return mapping


class SearchQueryCompiler(Elasticsearch8SearchQueryCompiler):
    mapping_class = Mapping

    def _remap_fields(self, fields):
        remapped = super()._remap_fields(fields)
        if not searches_in_french(self.queryset.model):
            return remapped
        return [
            Field(f"{field.field_name}.{FRENCH}", field.boost) for field in remapped
        ]


class AutocompleteQueryCompiler(Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = Mapping


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
    mapping_class = Mapping
    index_class = Index
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler


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
