"""The staff second factor (docs/architecture.md, "Second factor").

TOTP (django-otp's TOTPDevice) with one-time recovery codes (its StaticDevice).
With settings.DEBUG off, caseworkers, supervisors, moderators and
administrators must have verified a device in this session before any case,
moderation or admin page answers (SecondFactorMiddleware).

We do not use django-otp's OTPMiddleware: it loads the device on every
request (one more query on every page). The session remembers which user
verified; Django's login() flushes the session when another user signs in and
logout flushes it, so the mark cannot pass from one person to another.
"""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role

SESSION_KEY = "second_factor_verified_user"
RECOVERY_CODES = 10
STAFF_ROLES = frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.MODERATOR})

# URL spaces that need a verified second factor (for staff). Resolved names,
# so the language prefix does not matter.
_PROTECTED_NAMESPACES = {"casework", "complaints", "moderation"}
_PROTECTED_NAMES = {
    ("consultations", "moderation_queue"),
    ("consultations", "moderate"),
    ("petitions", "moderation"),
    ("petitions", "moderate"),
    ("accounts", "office-roles"),
    ("accounts", "office-role-decide"),
}
_ADMIN_PREFIXES = ("/django-admin/", "/cms-admin/")
_PROTECTED_API = re.compile(
    r"^/api/v1/(complaints|moderation/|(comments|proposals|petitions)/[^/]+/(hide|restore|dismiss))"
)


def needs_second_factor(user) -> bool:
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_superuser or user.is_staff or (STAFF_ROLES & user.role_names()))


def session_verified(user, session) -> bool:
    """Whether this session verified `user`'s second factor."""
    return bool(session is not None and user and session.get(SESSION_KEY) == str(user.pk))


def is_verified(request) -> bool:
    return session_verified(request.user, getattr(request, "session", None))


def second_factor_satisfied(user, session) -> bool:
    """The one policy, for pages (SecondFactorMiddleware) and sockets
    (core.consumers): with DEBUG off, staff must have verified their second
    factor in this session; everyone else, and everyone with DEBUG on, passes.
    Synchronous (it may read the roles and the session): sockets call it
    through database_sync_to_async."""
    if settings.DEBUG or not needs_second_factor(user):
        return True
    return session_verified(user, session)


def mark_verified(request) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(request.user.pk)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG (no script, no style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-hidden="true" focusable="false" ', 1)


def secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def second_factor_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrolment with a first code from the app. Returns the new
    recovery codes (to show once), or None if the code is wrong."""
    token = token.replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=device.user)
    mark_verified(request)
    return codes


def recovery_codes_replace(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def second_factor_verify(*, request, token: str) -> bool:
    """A code from the app, or one recovery code (used up)."""
    token = token.strip().replace(" ", "")
    user = request.user
    # Six digits go to the app's device, anything else to the recovery codes,
    # so a recovery code never counts as a failed TOTP attempt (throttling).
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                mark_verified(request)
                return True
    return False


def _protected(request, match) -> bool:
    if request.path.startswith(_ADMIN_PREFIXES) or _PROTECTED_API.match(request.path):
        return True
    if match is None:
        return False
    return match.namespace in _PROTECTED_NAMESPACES or (
        (match.namespace, match.url_name) in _PROTECTED_NAMES
    )


class SecondFactorMiddleware:
    """Sends staff without a verified second factor to enrol or verify before
    a case, moderation or admin page answers; the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.DEBUG or not _protected(request, request.resolver_match):
            return None
        user = request.user
        if second_factor_satisfied(user, getattr(request, "session", None)):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("Verify your second factor first."),
                    "code": "second_factor_required",
                },
                status=403,
            )
        target = "accounts:second-factor-verify" if has_device(user) else "accounts:second-factor"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
