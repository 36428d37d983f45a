from complaints.routing import websocket_urlpatterns as complaints_ws
from consultations.routing import websocket_urlpatterns as consultations_ws
from core.routing import websocket_urlpatterns as core_ws
from petitions.routing import websocket_urlpatterns as petitions_ws

websocket_urlpatterns = [*core_ws, *consultations_ws, *complaints_ws, *petitions_ws]
