"""The stored text of discussion threads for the database engine (`ThreadText`)."""

from django.db import connection, transaction

# The text of a very long thread is cut here: a tsvector holds at most 1 MB.
MAX_THREAD_CHARS = 500_000
TEXT_CONFIG = "english"


def refresh_thread_text(ids=None):
    """Rebuild the stored text of these threads (every thread if None)."""
    if connection.vendor != "postgresql":
        return
    from .registry import kind_model

    Thread, Post = kind_model("discussions"), kind_model("posts")

    from .models import ThreadText

    texts = ThreadText._meta.db_table
    threads = Thread._meta.db_table
    posts = Post._meta.db_table
    if ids is None:
        where, params = "", []
        delete = f"DELETE FROM {texts}"  # noqa: S608
    else:
        where, params = "WHERE t.id = ANY(%s)", [list(ids)]
        delete = f"DELETE FROM {texts} WHERE thread_id = ANY(%s)"  # noqa: S608
    insert = f"""
        INSERT INTO {texts} (thread_id, search_vector)
        SELECT t.id,
            setweight(to_tsvector(%s::regconfig, t.title), 'A') ||
            setweight(to_tsvector(%s::regconfig, left(coalesce((
                SELECT string_agg(p.body, ' ' ORDER BY p.created_at, p.id)
                FROM {posts} AS p
                WHERE p.thread_id = t.id
                    AND p.deleted_at IS NULL AND p.hidden_at IS NULL
            ), ''), %s)), 'D')
        FROM {threads} AS t {where}
    """  # noqa: S608 (table names come from the models, values are parameters)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(delete, params)
        cursor.execute(insert, [TEXT_CONFIG, TEXT_CONFIG, MAX_THREAD_CHARS, *params])
