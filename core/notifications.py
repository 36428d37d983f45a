"""The catalogue of notification kinds and how each reads to a person.

Apps register their kinds in AppConfig.ready(), e.g.::

    register_kind("complaint.assigned", _("Case %(reference)s was assigned to you."))
"""

import html

from django.utils.translation import gettext_lazy as _

_MESSAGES: dict[str, object] = {
    "system.test": _("This is a test notification."),
    "account.email_verified": _("Your e-mail address is confirmed."),
}


_SUBJECTS: dict[str, object] = {}
# How a kind reads when its payload names nothing (a complainant's notification
# names no case: complaints.services._tell_complainant).
_PLAIN: dict[str, object] = {}


def register_kind(kind: str, message, subject=None, *, plain=None) -> None:
    _MESSAGES[kind] = message
    if subject is not None:
        _SUBJECTS[kind] = subject
    if plain is not None:
        _PLAIN[kind] = plain


def render_subject(kind: str, payload: dict) -> str:
    """The subject of a notification's e-mail copy: the kind's own, else the
    case reference (identifiers only), else a plain "new notification"."""
    payload = payload or {}
    template = _SUBJECTS.get(kind)
    if template is None and "reference" in payload:
        template = _("Human Rights Office: case %(reference)s")
    if template is None:
        return str(_("Human Rights City: you have a new notification"))
    try:
        return str(template) % payload
    except (KeyError, TypeError, ValueError):
        return str(template)


def render_message(kind: str, payload: dict) -> str:
    template = _MESSAGES.get(kind)
    if not payload and kind in _PLAIN:
        template = _PLAIN[kind]
    if template is None:
        return str(_("You have a new notification."))
    # A message is plain text (escaped by the page, set as textContent by the
    # socket script); titles in payloads are stored as sanitised, escaped text.
    values = {k: html.unescape(v) if isinstance(v, str) else v for k, v in (payload or {}).items()}
    if "%(office)s" in str(template) and "office" not in values:
        # The office's name comes from its settings (docs/glossary.md), never a literal.
        from cms.selectors import office_settings_for

        values["office"] = office_settings_for().name
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
