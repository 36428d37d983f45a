"""A resident's privacy rights: download everything the platform holds about
them, and delete their account (CONTRACT.md, `GET me/data`, `DELETE me`)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints.models import Complaint
from complaints.services import complaints_unlink_account
from core.errors import Invalid
from core.models import Notification
from core.services import email_send
from petitions.services import signatures_remove_for_user

from .models import RoleGrant

# Rows kept out of the export: case content stays behind the office's doors
# (a complainant reads their own case on its page; the export names it), the
# second factor's secrets, and permission plumbing.
_NOT_EXPORTED_APPS = {"complaints", "guardian", "otp_totp", "otp_static", "admin", "axes"}
_SECRET_FIELDS = {"password", "key", "token", "session_key"}


def account_data(*, user) -> dict:
    """Everything held about `user`, as JSON-ready values: the profile, then
    every table that points at the account (one query each)."""
    data = {
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "roles": sorted(user.role_names()),
        },
        "complaints": list(
            Complaint.objects.filed_by(user).values("reference", "status", "created_at")
        ),
    }
    for relation in get_user_model()._meta.related_objects:
        model = relation.related_model
        if relation.hidden or model._meta.app_label in _NOT_EXPORTED_APPS:
            continue
        if relation.many_to_many:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in _SECRET_FIELDS and f.name != relation.field.name
        ]
        key = f"{model._meta.app_label}.{model._meta.model_name}"
        rows = model._default_manager.filter(**{relation.field.name: user}).values(*fields)
        data[key] = list(rows)
    return data


def account_delete(*, user, password: str) -> None:
    """Delete the account: what it wrote stays as a deleted user's (the row is
    kept, emptied, so comments, proposals and supports keep their counts), its
    signatures are removed with the petitions' counts kept exact, its complaints
    stay with the office unlinked from it, and a confirmation goes to its
    address."""
    if not password or not user.check_password(password):
        raise Invalid(_("This password is not right."), field="password")
    address, language = user.email, user.preferred_language
    with transaction.atomic():
        signatures_remove_for_user(user=user)
        complaints_unlink_account(user=user)
        Notification.objects.filter(user=user).delete()
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )

        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        user.groups.clear()
        user.username = f"deleted-{secrets.token_hex(8)}"
        user.email = user.display_name = user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = user.email_verified = False
        user.deleted_at = timezone.now()
        user.save()
        with translation.override(language):
            email_send(
                to=address,
                subject=_("Your account is deleted"),
                body=_(
                    "Your account on the Human Rights City platform is deleted, as you asked.\n\n"
                    "What you wrote stays, shown as a deleted user's; your petition signatures "
                    "are removed. If you did not ask for this, reply to this message."
                ),
            )
    user.__dict__.pop("_role_names", None)
