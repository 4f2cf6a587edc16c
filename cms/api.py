"""The JSON API at /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Micro-certification API",
    version="1.0.0",
    urls_namespace="api-v1",
    docs_url="/docs",
)
