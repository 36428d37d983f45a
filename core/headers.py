"""Security headers on every response (issue 17): one strict Content Security
Policy and one Permissions-Policy, whatever served the response (a page, the
API, its docs, a static file, an error page, a redirect).

The policy allows this site only: no inline script, no third-party script,
style, font, image or frame, no plugin. The API docs' Swagger UI comes from
the app itself (django-ninja's bundled assets, "ninja" in INSTALLED_APPS),
never from a CDN. A response that brings a stricter policy of its own keeps
it: the evidence download sends `default-src 'none'; sandbox`.
"""

from __future__ import annotations

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "SecurityHeadersMiddleware",
    "content_security_policy",
]

_DIRECTIVES = [
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),  # includes ws(s):// to this host (CSP level 3)
    ("media-src", "'self'"),
    ("object-src", "'none'"),
    ("frame-src", "'self'"),  # the CMS preview frames this site's own pages
    ("worker-src", "'self'"),
    ("manifest-src", "'self'"),
    ("frame-ancestors", "'none'"),
    ("form-action", "'self'"),
    ("base-uri", "'none'"),
]


def content_security_policy(*, frame_ancestors: str = "'none'") -> str:
    return "; ".join(
        f"{name} {frame_ancestors if name == 'frame-ancestors' else value}"
        for name, value in _DIRECTIVES
    )


CONTENT_SECURITY_POLICY = content_security_policy()
# A page that may be framed by this site only (Wagtail's preview, which sends
# X-Frame-Options: SAMEORIGIN) keeps that in its policy too.
_SAME_ORIGIN_FRAMING_POLICY = content_security_policy(frame_ancestors="'self'")

# No page here needs a camera, microphone, location, payment or any sensor.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
)


def apply_security_headers(response):
    """Set the site's policy unless the response carries its own (stricter) one."""
    if "Content-Security-Policy" not in response:
        same_origin = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        response["Content-Security-Policy"] = (
            _SAME_ORIGIN_FRAMING_POLICY if same_origin else CONTENT_SECURITY_POLICY
        )
    response["Permissions-Policy"] = PERMISSIONS_POLICY
    return response


class SecurityHeadersMiddleware:
    """First in MIDDLEWARE, so nothing inside it (WhiteNoise, the page cache,
    error handlers) returns a response without the headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return apply_security_headers(self.get_response(request))
