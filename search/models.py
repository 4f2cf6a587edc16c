"""The vocabulary that "did you mean" proposes words from."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models


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
