"""Security headers on every response (issue 17): one strict Content Security
Policy and one Permissions-Policy, whatever served the response (a page, the
API, its docs, a static file, an error page, a redirect).

The policy allows this site only: no inline script, no third-party script,
style, font, image or frame, no plugin. The API docs' Swagger UI comes from
the app itself (django-ninja's bundled assets, "ninja" in INSTALLED_APPS),
never from a CDN. A response that brings a stricter policy of its own keeps
it: the evidence download sends `default-src 'none'; sandbox`.

The Wagtail admin (ADMIN_PREFIX) gets the same policy with one relaxation:
`style-src-elem 'unsafe-inline'`, because its rich-text editor (Draftail,
React) inserts <style> elements whose text changes with each editor's
content, so no hash or nonce can name them. Scripts stay 'self' only (the
admin's inline scripts are replaced: core/templates/wagtailadmin/ and
static/js/admin-csp.js), style attributes stay blocked, and no third party is
allowed anywhere (docs/architecture.md, "The Wagtail admin under the strict CSP").
"""

from __future__ import annotations

__all__ = [
    "ADMIN_CONTENT_SECURITY_POLICY",
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


ADMIN_PREFIX = "/cms-admin/"
# <style> elements (not style attributes, not scripts) in the Wagtail admin only.
_ADMIN_DIRECTIVES = [("style-src-elem", "'self' 'unsafe-inline'")]


def content_security_policy(*, frame_ancestors: str = "'none'", admin: bool = False) -> str:
    directives = _DIRECTIVES + (_ADMIN_DIRECTIVES if admin else [])
    return "; ".join(
        f"{name} {frame_ancestors if name == 'frame-ancestors' else value}"
        for name, value in directives
    )


CONTENT_SECURITY_POLICY = content_security_policy()
ADMIN_CONTENT_SECURITY_POLICY = content_security_policy(admin=True)
# A page that may be framed by this site only (Wagtail's preview, which sends
# X-Frame-Options: SAMEORIGIN) keeps that in its policy too.
_SAME_ORIGIN_FRAMING_POLICY = content_security_policy(frame_ancestors="'self'")
_ADMIN_SAME_ORIGIN_FRAMING_POLICY = content_security_policy(frame_ancestors="'self'", admin=True)

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


def apply_security_headers(response, *, path: str = ""):
    """Set the site's policy unless the response carries its own (stricter) one."""
    if "Content-Security-Policy" not in response:
        same_origin = response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
        if path.startswith(ADMIN_PREFIX):
            policy = (
                _ADMIN_SAME_ORIGIN_FRAMING_POLICY
                if same_origin
                else (ADMIN_CONTENT_SECURITY_POLICY)
            )
        else:
            policy = _SAME_ORIGIN_FRAMING_POLICY if same_origin else CONTENT_SECURITY_POLICY
        response["Content-Security-Policy"] = policy
    response["Permissions-Policy"] = PERMISSIONS_POLICY
    return response


class SecurityHeadersMiddleware:
    """First in MIDDLEWARE, so nothing inside it (WhiteNoise, the page cache,
    error handlers) returns a response without the headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return apply_security_headers(self.get_response(request), path=request.path)
