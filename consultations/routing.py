from django.urls import path

from .consumers import ConsultationConsumer

websocket_urlpatterns = [
    path("ws/consultations/<int:pk>/", ConsultationConsumer.as_asgi()),
]
