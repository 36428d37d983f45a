"""The catalogue of notification kinds and how each reads to a person.

Apps register their kinds in AppConfig.ready(), e.g.::

    register_kind("complaint.assigned", _("Case %(reference)s was assigned to you."))
"""

from django.utils.translation import gettext_lazy as _

_MESSAGES: dict[str, object] = {
    "system.test": _("This is a test notification."),
    "account.email_verified": _("Your e-mail address is confirmed."),
}


def register_kind(kind: str, message) -> None:
    _MESSAGES[kind] = message


def render_message(kind: str, payload: dict) -> str:
    template = _MESSAGES.get(kind)
    if template is None:
        return str(_("You have a new notification."))
    try:
        return str(template) % (payload or {})
    except (KeyError, TypeError, ValueError):
        return str(template)
