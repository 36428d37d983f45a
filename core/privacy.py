"""Headers for pages that show or collect confidential matters (complaints):
nothing cached, no Referer leaking the URL to another site (same-origin only), and a Content
Security Policy that allows only this site (no third-party script, font,
image or frame that could learn who visits).

Apply with the `sensitive_page` decorator on a view, or list path prefixes in
settings.SENSITIVE_PATH_PREFIXES and add `core.privacy.SensitivePagesMiddleware`.
"""

import re
from functools import wraps

from asgiref.sync import iscoroutinefunction
from django.conf import settings

from .headers import CONTENT_SECURITY_POLICY

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SensitivePagesMiddleware",
    "apply_sensitive_headers",
    "sensitive_page",
]


def apply_sensitive_headers(response):
    """Set the headers, replacing any weaker caching or referrer header set before.

    Referrer-Policy is `same-origin`, not `no-referrer`: under `no-referrer`
    browsers (the Fetch standard, Chromium first) send `Origin: null` with a
    form POST, which Django's CSRF check refuses, so no confidential form could
    be sent. `same-origin` still sends nothing to any other site, which is
    what keeps a case URL from leaking."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    # A stricter policy of the response's own (the evidence download) stays.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    # Some proxies ignore Cache-Control on HTTP/1.0 clients.
    response["Pragma"] = "no-cache"
    return response


def sensitive_page(view):
    """Decorate a view (sync or async) whose pages are confidential."""
    if iscoroutinefunction(view):

        @wraps(view)
        async def async_wrapper(request, *args, **kwargs):
            return apply_sensitive_headers(await view(request, *args, **kwargs))

        return async_wrapper

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return apply_sensitive_headers(view(request, *args, **kwargs))

    return wrapper


class SensitivePagesMiddleware:
    """Sets the headers on every response whose path (after an optional
    language prefix such as /ko/) starts with one of SENSITIVE_PATH_PREFIXES,
    e.g. ["complaints/", "casework/", "api/complaints"]. Covers error pages
    and redirects too, which a decorator would miss."""

    def __init__(self, get_response):
        self.get_response = get_response
        prefixes = getattr(settings, "SENSITIVE_PATH_PREFIXES", [])
        languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        self.pattern = re.compile(
            rf"^/(?:(?:{languages})/)?(?:{'|'.join(re.escape(p) for p in prefixes)})"
            if prefixes
            else r"(?!)"  # nothing configured: match nothing
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.pattern.match(request.path_info):
            apply_sensitive_headers(response)
        return response
