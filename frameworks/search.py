"""What frameworks makes findable in site search, and who may find it: the
documents of collections this user may download (`frameworks.managers`)."""

from wagtail.models import Collection, CollectionViewRestriction

from search.registry import register_visibility

from .managers import documents_visible_to

# A document is downloadable when its collection is: Elasticsearch keeps the
# collection of each document and filters by the collections of visible ones.
register_visibility(
    "documents",
    documents_visible_to,
    key="collection_id",
    depends_on=(
        Collection,
        CollectionViewRestriction,
        CollectionViewRestriction.groups.through,
    ),
)
