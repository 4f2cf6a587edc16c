"""The stored text of discussion threads for the database engine (`ThreadText`).

What a thread's text is comes from the app that owns threads, through the
registered `texts()` of the "discussions" kind (`search.registry`): here it is
only turned into weighted vectors, every thread in one statement.
"""

from django.db import connection, transaction

# The text of a very long thread is cut here: a tsvector holds at most 1 MB.
MAX_THREAD_CHARS = 500_000
TEXT_CONFIG = "english"


def refresh_thread_text(ids=None):
    """Rebuild the stored text of these threads (every thread if None)."""
    if connection.vendor != "postgresql":
        return
    from .models import ThreadText
    from .registry import documents

    texts = documents("discussions").texts().order_by()
    if ids is not None:
        texts = texts.filter(pk__in=list(ids))
    select, select_params = texts.values_list(
        "pk", "search_title", "search_body"
    ).query.sql_with_params()
    table = ThreadText._meta.db_table
    if ids is None:
        delete, params = f"DELETE FROM {table}", []  # noqa: S608
    else:
        delete = f"DELETE FROM {table} WHERE thread_id = ANY(%s)"  # noqa: S608
        params = [list(ids)]
    insert = f"""
        INSERT INTO {table} (thread_id, search_vector)
        SELECT t.id,
            setweight(to_tsvector(%s::regconfig, coalesce(t.title, '')), 'A') ||
            setweight(to_tsvector(%s::regconfig, left(coalesce(t.body, ''), %s)), 'D')
        FROM ({select}) AS t (id, title, body)
    """  # noqa: S608 (the table name and subquery come from the models)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(delete, params)
        cursor.execute(
            insert, [TEXT_CONFIG, TEXT_CONFIG, MAX_THREAD_CHARS, *select_params]
        )
