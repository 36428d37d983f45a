from django.urls import path

import core.routing  # noqa: F401 - registers the <id:...> converter

from .consumers import ConsultationConsumer

websocket_urlpatterns = [
    path("ws/consultations/<id:pk>/", ConsultationConsumer.as_asgi()),
]
