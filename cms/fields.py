from wagtail import fields


class StreamField(fields.StreamField):
    """A StreamField whose block definitions stay out of migration files.

    Block definitions change often and are not part of the database schema;
    keeping them out of migrations avoids a new migration for every tweak to a
    block and keeps migration files small.
    """

    def deconstruct(self):
        name, path, _, kwargs = super().deconstruct()
        kwargs.pop("block_lookup", None)
        return name, path, [[]], kwargs
