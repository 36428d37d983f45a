from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import routing as cms_routing
from core.views import healthz

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("", include("core.urls")),
    path("complaints/", include("complaints.urls")),
    path("casework/", include("complaints.casework_urls")),
    path("consultations/", include("consultations.urls")),
    path("petitions/", include("petitions.urls")),
    path("moderation/", include("moderation.urls")),
    path("accountability/", include("accountability.urls")),
    path("search/", include("accountability.search_urls")),
    path("events/", include("events.urls")),
    # Wagtail's page tree comes last: it matches every remaining path. Its
    # serve view first finds the route in the cache (cms/routing.py).
    path("", include([p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"])),
    re_path(wagtail_urls.serve_pattern, cms_routing.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

if settings.BENCH_REFERENCE_VIEWS:
    urlpatterns.insert(0, path("bench/ref/", include("bench.views")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "core.busy.server_error"
