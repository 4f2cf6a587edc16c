"""The JSON API at /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

from .api_language import install as install_language

api = NinjaAPI(
    title="Micro-certification API",
    version="1.0.0",
    urls_namespace="api-v1",
    docs_url="/docs",
)
# Errors in the language asked for: ?lang= or Accept-Language.
install_language(api)

# Catalogue (credentials): /api/v1/credentials
from credentials.api import router as credentials_router  # noqa: E402

api.add_router("/", credentials_router)

# Community: /api/v1/community/…
from community.api import router as community_router  # noqa: E402

api.add_router("/", community_router)

# Events: /api/v1/events
from events.api import router as events_router  # noqa: E402

api.add_router("/", events_router)

# Frameworks: /api/v1/frameworks
from frameworks.api import router as frameworks_router  # noqa: E402

api.add_router("/", frameworks_router)

# Consultations on framework drafts: /api/v1/consultations
from frameworks.consultation_api import router as consultations_router  # noqa: E402

api.add_router("/", consultations_router)
