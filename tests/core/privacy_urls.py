"""URLs for tests/core/test_privacy.py only."""

from django.http import HttpResponse
from django.urls import path

from core.privacy import sensitive_page


@sensitive_page
def confidential(request):
    response = HttpResponse("<p>case</p>")
    response["Cache-Control"] = "max-age=3600"  # a weaker header is replaced
    return response


@sensitive_page
async def confidential_async(request):
    return HttpResponse("<p>case</p>")


def ordinary(request):
    return HttpResponse("<p>public</p>")


urlpatterns = [
    path("confidential/", confidential),
    path("confidential-async/", confidential_async),
    path("ko/complaints/status/", ordinary),
    path("complaints/other/", ordinary),
    path("petitions/", ordinary),
]
