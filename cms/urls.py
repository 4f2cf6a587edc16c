from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from community import accounts as community_accounts
from credentials.sitemaps import CredentialSitemap
from events import views as events_views

from . import esi, page_passwords, views
from .api import api
from .sitemaps import LocalizedSitemap

# The Django admin signs in through allauth too, so it cannot skip verification
# or two-factor sign-in.
admin.site.login = secure_admin_login(admin.site.login)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

# Addresses that are the same in both languages: the admin, files, the API,
# machine-read documents and the edge's fragments. Pages people read are below,
# in i18n_patterns.
urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, privacy checked before the file name (cms.views).
    re_path(r"^documents/(\d+)/(.*)$", views.serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", views.api_not_found),
    # Wagtail's view is Django's sitemap view that passes the request to
    # Wagtail's sitemap, which lists each page in its own language (/… and
    # /fr/…); the catalogue adds its published entries.
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"wagtail": LocalizedSitemap, "catalogue": CredentialSitemap}},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # A new CSRF secret for Varnish (cms/esi.py)
    path("-/csrf-secret/", esi.csrf_secret, name="csrf_secret"),
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
        views.media,
        name="media",
    ),
]

# Pages people read, in English at /… and in French at /fr/… (issue 21). The
# language comes from the address alone: a browser that prefers French still
# gets English at /… (LocaleMiddleware activates LANGUAGE_CODE there).
urlpatterns += i18n_patterns(
    # A first authenticator takes a code sent by email too (community.accounts).
    path("accounts/2fa/totp/activate/", community_accounts.activate_totp),
    path("accounts/", include("allauth.urls")),
    path("community/", include("community.urls")),
    path("catalogue/", include("credentials.urls")),
    path("registrations/", include("events.urls")),
    # events: the calendar feed (Wagtail's page routes cannot end in ".ics")
    path("events/feed.ics", events_views.feed, name="events_feed"),
    path("search/", include("search.urls")),
    path("site-map/", views.site_map, name="site_map"),
    # Frameworks: version URLs with dots (/frameworks/<slug>/v/1.0/).
    path("", include("frameworks.urls")),
    # Wagtail's password form for protected pages, with a limit on guesses.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/"
        "<int:page_id>/",
        page_passwords.authenticate_with_password,
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
