"""Page routing from the cache (issue 21, "fewer queries where people wait").

Wagtail finds a page by walking the tree one level per query (site, locale,
root, then each slug and its specific row), then reads the page's ancestors
and their view restrictions: 9 queries before the page's own content. The
route of a plain, live, unrestricted page is stored here in the shared cache
under the site chrome's generation, which every page save or delete, site,
locale and view-restriction change renews (cms/signals.py); a cached route
costs one query (the specific page by id). Anything else (a routable page with
sub-paths, a restricted or unpublished page, a miss) goes Wagtail's own way.

Only builtins are cached: a pickled class would break the next deploy.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.core.cache import cache
from django.http import HttpRequest
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site

from core import cache_generations
from core.cache_generations import CACHE_DOWN

from .selectors import _GENERATION_KEY, CHROME_CACHE_TIMEOUT

logger = logging.getLogger(__name__)

_PREFIX = "page-route:v1"
_SITE_FIELDS = ("id", "hostname", "port", "site_name", "root_page_id", "is_default_site")


def _key(request: HttpRequest, suffix: str) -> str:
    generation = cache_generations.current(_GENERATION_KEY)
    return f"{_PREFIX}:{generation}:{request.get_host()}:{suffix}"


def cached(request: HttpRequest, suffix: str, build):
    """`build()` from the cache under the chrome generation (a builtin value)."""
    try:
        key = _key(request, suffix)
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, CHROME_CACHE_TIMEOUT)
        return value
    except CACHE_DOWN as exc:
        logger.warning("Page route cache unavailable: %s", type(exc).__name__)
        return build()


def _route_entry(request: HttpRequest, path: str) -> dict:
    """What the cache keeps of Wagtail's own route; {} for a route it must not keep."""
    result = Page.route_for_request(request, path)
    if result is None:
        return {}
    page, args, kwargs = result
    if args or kwargs or not page.live or page.get_view_restrictions().exists():
        return {}
    site = Site.find_for_request(request)
    return {
        "site": {name: getattr(site, name) for name in _SITE_FIELDS} if site else None,
        "page": page.pk,
        "model": page._meta.label,
    }


def route(request: HttpRequest, path: str) -> None:
    """Prime Wagtail's per-request route (and site) from the cached entry, so that
    wagtail.views.serve finds it; leave them alone on a miss."""
    entry = cached(request, f"{request.path}", lambda: _route_entry(request, path))
    if not entry or hasattr(request, "_wagtail_route_for_request"):
        return
    try:
        model = apps.get_model(entry["model"])
    except LookupError:
        return
    queryset = model.objects.filter(pk=entry["page"], live=True)
    if hasattr(model, "routed_queryset"):  # a page type may read what it shows along
        queryset = model.routed_queryset(queryset)
    page = queryset.first()
    if page is None:
        return
    page._hrc_unrestricted = True  # read by get_view_restrictions (below)
    if entry["site"] is not None and not hasattr(request, "_wagtail_site"):
        request._wagtail_site = Site(**entry["site"])
    request._wagtail_route_for_request = (page, [], {})


def serve(request: HttpRequest, path: str):
    """Wagtail's serve view, with the route from the cache when it is there."""
    route(request, path)
    return wagtail_views.serve(request, path)


_wagtail_view_restrictions = Page.get_view_restrictions


def get_view_restrictions(self):
    """A page whose cached route says it has no view restriction (checked when
    the route was cached; any restriction change renews the generation) needs
    no query to say so."""
    if getattr(self, "_hrc_unrestricted", False):
        return PageViewRestriction.objects.none()
    return _wagtail_view_restrictions(self)


def install() -> None:
    Page.get_view_restrictions = get_view_restrictions
