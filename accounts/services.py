from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.services import email_send, notification_send

from .models import User
from .roles import Role
from .tokens import email_verification_token


def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    preferred_language: str = "ko",
    site_url: str,
) -> User:
    """Create a resident account and send the e-mail verification link."""
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            display_name=display_name,
            preferred_language=preferred_language,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.add(Group.objects.get(name=Role.RESIDENT))
        email_verification_send(user=user, site_url=site_url)
    return user


def email_verification_send(*, user: User, site_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    with translation.override(user.preferred_language):
        path = reverse("accounts:verify-email", kwargs={"uidb64": uid, "token": token})
        subject = _("Confirm your e-mail address")
        body = _(
            "Hello %(name)s,\n\nPlease confirm your e-mail address by opening this link:\n"
            "%(link)s\n\nIf you did not create an account, you can ignore this message."
        ) % {"name": user.get_display_name(), "link": site_url.rstrip("/") + path}
    email_send(to=user.email, subject=subject, body=body)


def email_verify(*, user: User, token: str) -> bool:
    """Mark the address verified if the token is valid; returns whether it was."""
    if not email_verification_token.check_token(user, token):
        return False
    with transaction.atomic():
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        notification_send(user=user, kind="account.email_verified")
    return True


def user_set_roles(*, user: User, roles: list[str]) -> None:
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_role_names", None)
