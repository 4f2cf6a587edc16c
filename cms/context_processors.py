from django.conf import settings

from . import cache


def site(request):
    return {"SITE_URL": settings.SITE_URL}


def csrf(request):
    """The CSRF token, or on a page that may be shared a stand-in for it that
    the page cache replaces with each visitor's own (cms.cache, CSRF_HOLE).

    Listed after Django's own `csrf` processor, which it overrides only there.
    """
    if cache.may_share(request):
        return {"csrf_token": cache.CsrfTokenHole(request)}
    return {}
