"""Settings shared by every environment; values come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def gettext_noop(message):
    """Marks a message for translation without translating it. Settings may
    not import Django's translation functions: the first call reads the
    settings being defined (and hid production's refusals of a missing
    SECRET_KEY)."""
    return message


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "cms",
    "frameworks",
    "events",
    "community",
    "credentials",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "csp",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers on every response, cached or refused (cms/security.py).
    "cms.security.ContentSecurityPolicyMiddleware",
    "cms.security.PermissionsPolicyMiddleware",
    # NUL and control characters, and text that is not UTF-8, get a 400 before
    # any view, static file or cache sees them (cms/request_guards.py).
    "cms.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What a shared HTTP cache may keep (Cache-Control, Vary, xkey): first, so
    # that it sees every cookie and header the others add (cms/http_cache.py).
    "cms.http_cache.HttpCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Pages take their language from the address alone (cms/locales.py).
    "cms.locales.LocaleMiddleware",
    # The API's language: ?lang= or Accept-Language (cms/api_language.py).
    "cms.api_language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Which Wagtail Site answers, kept with the page fragments (cms/sites.py).
    "cms.sites.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.middleware.TwoFactorGateMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
                "cms.context_processors.fragments_version",
            ],
            # `{% csrf_token %}` as an ESI include behind Varnish (cms/esi.py).
            "builtins": ["cms.esi"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Planner settings for a web server's many short queries:
    # - random_page_cost: the default assumes spinning disks, so the planner
    #   reads a whole table rather than follow an index to a sixth of its rows;
    #   on SSDs, or with the data in memory, 1.1 is the usual value.
    # - max_parallel_workers_per_gather: parallel workers take the cores that
    #   other requests need; on a small server one core per query serves more.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c random_page_cost="
        + os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
        + " -c max_parallel_workers_per_gather="
        + os.environ.get("PG_PARALLEL_WORKERS", "0")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caching (issue 8): Redis when REDIS_URL is set (shared by every process),
# local memory otherwise. "renditions" is the cache Wagtail uses for image
# renditions when it exists.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Sites (or databases: the benchmark) that share one Redis keep apart by prefix.
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "mc")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-{alias}",
            "TIMEOUT": 600,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
        for alias in ("default", "renditions")
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "microcert",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "microcert-renditions",
            "TIMEOUT": 3600,
        },
    }
# The shared HTTP cache in front (Varnish: deploy/varnish/, docs/caching.md).
# Anonymous pages that are the same for everyone say how long it may keep them
# (CACHE_S_MAXAGE) and how long it may serve them stale while it fetches a
# fresh copy (CACHE_STALE_WHILE_REVALIDATE); browsers revalidate after
# CACHE_MAX_AGE. VARNISH_URL (comma-separated) is where purges go; without it
# purges are skipped and s-maxage alone bounds staleness.
CACHE_S_MAXAGE = int(os.environ.get("CACHE_S_MAXAGE", "600"))
CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "0"))
CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("CACHE_STALE_WHILE_REVALIDATE", "30"))
VARNISH_URLS = env_list("VARNISH_URL")
WAGTAILFRONTENDCACHE = {
    f"varnish{number}": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": url,
    }
    for number, url in enumerate(VARNISH_URLS)
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): email is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks for the name members see (not the email's local part).
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupDetailsForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming signs in, only in the browser session that signed up (allauth's
# rule: the link alone, opened elsewhere, confirms without signing in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Translated where it is used (community.adapters, community.emails).
ACCOUNT_EMAIL_SUBJECT_PREFIX = gettext_noop("[Micro-certification] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
# Signing up with a taken address costs what a new one does (community/signup.py).
ACCOUNT_FORMS = {"signup": "community.signup.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Micro-certification"
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring code: phone clocks drift
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# English and French (issue 21). French is "fr", not "fr-ca": its URLs are
# /fr/…, and Django, Wagtail and allauth ship their French as "fr"; our own
# catalogue (locale/fr/) is written in Canadian French. English stays at /….
# Each language is named in its own language in the switcher.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Documents and avatars are stored here, outside MEDIA_ROOT, and only leave
# through views that check privacy (cms/storage.py). Never serve this folder.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
STORAGES = {
    "default": {"BACKEND": "cms.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Micro-certification programme <noreply@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework (the django-tasks backport).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Wagtail
WAGTAIL_SITE_NAME = "Micro-certification"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "microcert")
ELASTICSEARCH_TIMEOUT = 5


def wagtail_search_backends(url, prefix="microcert", timeout=5):
    """Wagtail's own search (modelsearch): on the database, or on Elasticsearch
    8 when `url` is set, where it indexes pages, documents' text and the admin's
    models (docs/search.md says which engine code is Wagtail's and which ours).
    Both backends are Wagtail's with English and French stemming added."""
    if not url:
        # Wagtail's database backend, French pages also stemmed in French.
        return {"default": {"BACKEND": "search.backends.wagtail_database"}}
    return {
        "default": {
            "BACKEND": "search.backends.wagtail_elasticsearch",
            "URLS": [url],
            "INDEX_PREFIX": f"{prefix}-wagtail-",
            "TIMEOUT": timeout,
            # An unreachable engine answers at once, as our own client does.
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        }
    }


WAGTAILSEARCH_BACKENDS = wagtail_search_backends(
    ELASTICSEARCH_URL, ELASTICSEARCH_INDEX_PREFIX, ELASTICSEARCH_TIMEOUT
)
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "vtt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# The embed's size comes from site.css: Wagtail's responsive wrapper sets an
# inline style, which the Content-Security-Policy refuses.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
# Pages and snippets have a locale; French pages are translations of English
# ones (wagtail-localize), in their own tree under a French home page.
WAGTAIL_I18N_ENABLED = True
# A page translated with wagtail-localize starts as a draft (not live with the
# source's text in place of its translation) and is published through review
# (cms/translations.py; docs/i18n.md).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILMEDIA = {"MEDIA_MODEL": "wagtailmedia.Media"}

# Contact form spam control
CONTACT_RATE_LIMIT = os.environ.get("CONTACT_RATE_LIMIT", "5/h")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail previews opt back in to SAMEORIGIN
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp; cms/security.py; docs/security.md).
# The public site: no inline script or style at all (scripts and styles are
# static files), so no nonce either: public pages are kept by the shared
# cache, and a nonce must never be served twice.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth's two-factor enrolment shows its QR code as a data: image.
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        # The embed block (wagtail.embeds): the video players editors may embed.
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# The Wagtail admin and the Django admin: the tightest policy their scripts
# work under (docs/security.md explains each source beyond the public policy).
CSP_ADMIN_PATHS = ["/admin/", "/django-admin/"]
CSP_ADMIN_POLICY = {
    "default-src": [SELF],
    # Wagtail's widgets start with inline scripts naming their field's id.
    "script-src": [SELF, UNSAFE_INLINE],
    # Wagtail's scripts (vendor.js) add <style> elements.
    "style-src": [SELF, UNSAFE_INLINE],
    # Image previews and icons drawn by the admin's scripts.
    "img-src": [SELF, "data:", "blob:"],
    "media-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    # The admin's own pages may frame each other (previews, choosers).
    "frame-ancestors": [SELF],
    "form-action": [SELF],
}
# Wagtail's admin shows no Gravatar: no image from elsewhere, and staff email
# addresses' hashes are not sent to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does it ask Wagtail's server for a newer release from every staff browser
# (updates come through requirements.txt).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Browser features the site never uses, off for the site and anything it frames
# (cms.security.PermissionsPolicyMiddleware). Fullscreen stays for the webinar
# player and embedded videos.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
# Sessions are read from the cache (Redis in production) and written through
# to the database: a signed-in page reads its session without a query, and a
# session outlives a flushed cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Catalogue (credentials) and search: PostgreSQL lookups (trigram "did you mean");
# SEARCH_ENGINE picks the engine class behind search.registry.get_engine().
INSTALLED_APPS += ["django.contrib.postgres"]
SEARCH_ENGINE = os.environ.get(
    "SEARCH_ENGINE", "search.backends.database.DatabaseEngine"
)
# The popular-queries report's hits are counted in memory and handed to a task
# this often per process (search/popular.py); 0 hands each hit over at once.
SEARCH_HITS_FLUSH_SECONDS = int(os.environ.get("SEARCH_HITS_FLUSH_SECONDS", "30"))

# --- Client addresses behind proxies (issue 17, item 8) ----------------------
# cms.http.client_ip believes X-Forwarded-For only for requests from
# TRUSTED_PROXIES, and only its last TRUSTED_PROXY_COUNT entries (those our own
# proxies appended). 0, the default, ignores the header: right when gunicorn
# faces the clients. Production (TLS terminator -> Varnish -> gunicorn): 2.
# allauth reads the address through community.adapters.AccountAdapter, so its
# own ALLAUTH_TRUSTED_PROXY_COUNT stays 0.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.0/8,::1")

# --- Sign-in failures and two-factor (issue 17, items 5 and 6) ---------------
# Failed passwords count per account *and* client address (the adapter adds the
# address to allauth's "key"), so an attacker's failures lock only their own
# address out; each address also has its own budget. A member locked out can
# still sign in with a code sent by email.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
# Staff, superusers, chairs and anyone holding a permission are signed in only
# once their second factor is verified: community.accounts, the adapter and
# community.middleware.TwoFactorGateMiddleware.

# --- Password-protected pages (issue 17, item 7) ------------------------------
# Wrong passwords per client address and page restriction (cms.page_passwords).
PAGE_PASSWORD_RATE_LIMIT = os.environ.get("PAGE_PASSWORD_RATE_LIMIT", "10/15m")

# --- Community notification emails (issue 17, item 9) -------------------------
# Immediate emails wait this many seconds to collect a thread's new posts into
# one message per member (community.tasks.send_notification_emails); 0 sends
# each post at once. The daily digest is unchanged.
COMMUNITY_NOTIFICATION_INTERVAL = int(
    os.environ.get("COMMUNITY_NOTIFICATION_INTERVAL", "300")
)
