from django.urls import path, register_converter

from .consumers import NotificationConsumer
from .websocket import IdConverter, RefuseConsumer

register_converter(IdConverter, "id")

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]

# config.routing puts this after every app's routes.
refuse_everything_else = RefuseConsumer.as_asgi()
