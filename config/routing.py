from django.conf import settings
from django.urls import re_path

from complaints.routing import websocket_urlpatterns as complaints_ws
from consultations.routing import websocket_urlpatterns as consultations_ws
from core.routing import refuse_everything_else
from core.routing import websocket_urlpatterns as core_ws
from petitions.routing import websocket_urlpatterns as petitions_ws

websocket_urlpatterns = [*core_ws, *consultations_ws, *complaints_ws, *petitions_ws]

if settings.BENCH_REFERENCE_VIEWS:
    from bench.views import websocket_urlpatterns as bench_ws

    websocket_urlpatterns += bench_ws

# Last: any other path is refused at the handshake (never "No route found").
websocket_urlpatterns.append(re_path(r"", refuse_everything_else))
