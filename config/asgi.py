"""ASGI entry point: HTTP through Django, WebSocket through Channels with
session authentication and an allowed-hosts origin check."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from core.asgi import BodyLimitMiddleware, InFlightLimitMiddleware, freeze_startup_heap  # noqa: E402

application = ProtocolTypeRouter(
    {
        # A body over the limit is refused before Django buffers any of it;
        # one within it waits for a place among the requests in flight.
        "http": BodyLimitMiddleware(
            InFlightLimitMiddleware(django_asgi_app, settings.ASGI_IN_FLIGHT_LIMIT)
        ),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Last: everything loaded so far stays out of the collector's full passes.
freeze_startup_heap()
