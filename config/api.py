"""The JSON API at /api/v1/ (CONTRACT.md section 3). Each app owns a router."""

from accountability.api import router as accountability_router
from complaints.api import router as complaints_router
from consultations.api import router as consultations_router
from core.api import Api
from core.api_follows import router as follows_router
from core.api_health import router as core_router
from events.api import router as events_router
from moderation.api import router as moderation_router
from petitions.api import router as petitions_router

api = Api(
    title="Human Rights City API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("/", core_router)
api.add_router("/", follows_router)
api.add_router("/", complaints_router)
api.add_router("/", consultations_router)
api.add_router("/", petitions_router)
api.add_router("/", accountability_router)
api.add_router("/", events_router)
api.add_router("/", moderation_router)
