"""The vocabulary that "did you mean" proposes words from, and document text."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from wagtail.search import index


class Term(models.Model):
    """A word that occurs in an index's searchable content."""

    index_name = models.CharField(max_length=50)
    word = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["index_name", "word"], name="search_term_unique"
            )
        ]
        indexes = [
            GinIndex(
                fields=["word"], name="search_term_trgm", opclasses=["gin_trgm_ops"]
            )
        ]

    def __str__(self):
        return self.word


class DocumentText(index.Indexed, models.Model):
    """The text of an uploaded document (PDF, DOCX, text), kept for site search.

    Filled by `search.tasks.extract_document_text` whenever a document is saved;
    `search_vector` (PostgreSQL) weights the title above the body.

    Wagtail's own search indexes it too (title and text), so Elasticsearch
    finds documents through Wagtail's backend: the stock document model
    indexes only its title and tags, never the file's text.
    """

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Why no text could be read (a damaged file, an unknown format), for staff.
    error = models.CharField(max_length=200, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("text"),
        index.RelatedFields("document", [index.SearchField("title", boost=4)]),
        index.FilterField("document_id"),
    ]

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="search_doctext_vector")]

    def __str__(self):
        return f"Text of document {self.document_id}"


class ThreadText(models.Model):
    """The searchable text of a discussion thread, one row per thread (PostgreSQL).

    The title (weight A) and the bodies of the thread's posts that every reader
    of the thread sees (not deleted, not hidden), so a query matches threads
    with one index lookup, however many posts share its words. Who may read
    the thread is checked when the query runs (`Thread.objects.visible_to`).
    Refreshed by `search.threads.refresh_thread_text` whenever a thread or
    one of its posts changes.
    """

    thread = models.OneToOneField(
        "community.Thread",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="search_threadtext_vector")]

    def __str__(self):
        return f"Text of thread {self.thread_id}"
