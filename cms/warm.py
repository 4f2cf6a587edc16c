"""Work each fresh process would do in its first requests, done once before forking.

gunicorn loads the application in its master process (`preload_app`) and
forks the workers from it. Django and Wagtail still build a good deal lazily,
on the first request that needs it: the URL resolver (importing every view
module), each template's compiled form, the translation catalogues of each
language. Done in a worker, that costs its first visitors a few hundred
milliseconds, again every time a worker is recycled (`max_requests`). Done
here, in the master, the workers inherit it, and it is shared between them
until written to (copy-on-write).

Nothing here touches the database: connections opened before the fork would
be shared by every worker.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def _template_names(directory):
    root = Path(directory)
    for path in sorted(root.rglob("*")):
        if path.suffix in {".html", ".txt", ".xml"} and path.is_file():
            yield path.relative_to(root).as_posix()


def compile_templates():
    """Compile the project's templates into the cached template loader."""
    count = 0
    for engine in engines.all():
        for directory in getattr(engine, "dirs", ()):
            for name in _template_names(directory):
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                    # A fragment that only compiles inside another template,
                    # or a file that is not a template: the request path
                    # reports its own errors.
                    continue
                count += 1
    return count


def load_translations():
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")


def import_cache_clients():
    """Import each cache's client library (django-redis imports redis, ~150 ms).

    Only the objects are made: the connection pools open on first use, in
    each worker.
    """
    for alias in settings.CACHES:
        caches[alias]  # noqa: B018


def warm_up():
    """Build the URL resolver, compile templates, load the translations."""
    import_cache_clients()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every URL module and view
    resolver._populate()  # what the first reverse() would build
    load_translations()
    count = compile_templates()
    logger.info("Warmed up: URL resolver, %d templates, translations", count)
    return count
