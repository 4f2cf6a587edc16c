"""Settings for the test suite: fast hashing, local memory, immediate tasks."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tests",
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each search counts its hit at once (tests/search/test_site.py covers batches).
SEARCH_HITS_FLUSH_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests choose their engine (tests/search/conftest.py reads ELASTICSEARCH_URL).
ELASTICSEARCH_URL = ""
WAGTAILSEARCH_BACKENDS = wagtail_search_backends("")  # noqa: F405
