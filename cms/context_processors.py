from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import fragments


def site(request):
    return {"SITE_URL": settings.SITE_URL}


def fragments_version(request):
    """What templates that keep a fragment vary it on and keep it for
    (cms.fragments); the version is read from the cache only when used."""
    return {
        "fragments_version": SimpleLazyObject(lambda: fragments.version(request)),
        "fragments_timeout": fragments.TIMEOUT,
    }
