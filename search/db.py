"""Migration helpers for PostgreSQL-only schema parts."""

from django.db.migrations.operations.base import Operation


class PostgresOnly(Operation):
    """Run the wrapped operation's SQL on PostgreSQL only; the state changes always.

    GIN indexes and tsvector columns exist only on PostgreSQL; the SQLite demo
    keeps the same model state so `makemigrations --check` stays clean.
    """

    reduces_to_sql = False

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.operation], {})

    def state_forwards(self, app_label, state):
        self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(
                app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(
                app_label, schema_editor, from_state, to_state
            )

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"
