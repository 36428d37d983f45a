"""A whole-page cache for anonymous visitors of public pages.

When a consultation goes viral, almost every reader is anonymous and sees the
same HTML. A page view opts in with `allow_anonymous_caching(response, seconds)`;
this middleware then answers the next anonymous request for the same URL from
the cache, before routing, sessions or templates cost anything.

Freshness comes from a generation token rather than from expiry: every cached
page is stored under the token current when its request began, and any write
that changes public content calls `invalidate()` after commit, which replaces
the token. A page rendered while a write commits is stored under the old token,
which nobody reads again, so a hidden comment never comes back from the cache.
The time limit each view gives only covers what no write announces (a
consultation opening at a set hour) and, with the per-process cache of the
embedded set-up, writes made by another process (docs/architecture.md).

Only visitors who carry no session and no pending messages are served from or
stored in the cache: anyone signed in, holding a complainant session or about
to see a "your comment was published" message gets a fresh page.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from . import cache_generations

logger = logging.getLogger(__name__)

GENERATION_KEY = "anon-page:generation"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
# The longest a page opted in may be kept; views may ask for less.
MAX_SECONDS = 300


def allow_anonymous_caching(response: HttpResponse, seconds: int) -> HttpResponse:
    """Mark a page any anonymous visitor may be given for up to `seconds`."""
    response.anonymous_cache_seconds = max(0, min(int(seconds), MAX_SECONDS))
    return response


def invalidate() -> None:
    """From the commit of the current transaction on, no cached page is served."""
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache_generations.renew(GENERATION_KEY)


def _may_use_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _key(request, generation: str) -> str:
    url = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"anon-page:{generation}:{hashlib.sha256(url).hexdigest()}"


def _may_store(request, response) -> bool:
    seconds = getattr(response, "anonymous_cache_seconds", 0)
    user = getattr(request, "user", None)
    return (
        seconds > 0
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and (user is None or not user.is_authenticated)
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        try:
            key = _key(request, cache_generations.current(GENERATION_KEY))
            stored = cache.get(key)
        except Exception as exc:  # a cache that is down must not take the site down
            logger.warning("Page cache unavailable: %s", type(exc).__name__)
            return self.get_response(request)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            try:
                cache.set(key, (response.content, headers), response.anonymous_cache_seconds)
            except Exception as exc:
                logger.warning("Page cache unavailable: %s", type(exc).__name__)
        return response
