"""Background work that keeps search in step with the site (django_tasks)."""

from django_tasks import task


@task()
def extract_document_text(document_id):
    """Read a saved document's file, store its text, then update the index."""
    from .documents import refresh_document_text
    from .site import get_site_engine

    if refresh_document_text(document_id) is None:
        get_site_engine().remove("documents", document_id)
    else:
        get_site_engine().update("documents", document_id)


@task()
def index_object(kind, pk):
    """Add or refresh one object of a kind (pages, documents, discussions, ...)."""
    from .site import get_site_engine

    get_site_engine().update(kind, pk)


@task()
def remove_object(kind, pk):
    from .site import get_site_engine

    get_site_engine().remove(kind, pk)


@task()
def index_catalogue_entry(index_name, pk):
    """A registered index's row changed (the catalogue): refresh it in the engine."""
    from .registry import get_engine

    engine = get_engine(index_name)
    if hasattr(engine, "update"):
        engine.update(pk)


@task()
def write_search_hits(rows):
    """Add a process's popular-query hits ([query, ISO date, hits]) to the
    report in a few statements, then age out one-off queries now and then."""
    from .popular import age_out_now_and_then, write

    write(rows)
    age_out_now_and_then()
