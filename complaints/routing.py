from django.urls import re_path

from .consumers import CaseConsumer

websocket_urlpatterns = [
    # A reference is HR-<year>-<digits>; anything longer is no match (refused).
    re_path(r"^ws/cases/(?P<reference>[A-Za-z0-9-]{1,20})/$", CaseConsumer.as_asgi()),
]
