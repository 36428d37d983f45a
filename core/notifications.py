"""The catalogue of notification kinds and how each reads to a person.

Apps register their kinds in AppConfig.ready(), e.g.::

    register_kind("complaint.assigned", _("Case %(reference)s was assigned to you."))

A message may also be a function of the payload that returns the text.
"""

import html

from django.utils.translation import gettext_lazy as _

_MESSAGES: dict[str, object] = {
    "system.test": _("This is a test notification."),
    "account.email_verified": _("Your e-mail address is confirmed."),
}


_SUBJECTS: dict[str, object] = {}
_LINES: dict[str, object] = {}
# How a kind reads when its payload names nothing (a complainant's notification
# names no case: complaints.services._tell_complainant).
_PLAIN: dict[str, object] = {}

# News of followed things (core.follows.news_publish; docs/architecture.md,
# "Follows, news and digests"): `thing` is the followed thing's title in the
# reader's language, added when the news is delivered.
_MESSAGES.update(
    {
        "follows.digest": _("Your digest: %(count)s updates on what you follow."),
        "follows.proposal_new": _("New proposal in “%(thing)s”: “%(title)s”."),
        "follows.proposal_answered": _("%(office)s answered the proposal “%(title)s”."),
        "follows.consultation_opened": _("“%(thing)s” is now open for comments."),
        "follows.consultation_closed": _("“%(thing)s” has closed for comments."),
        "follows.event_announced": _("A public event on “%(thing)s”: “%(title)s”."),
        "follows.petition_threshold": _(
            "The petition “%(thing)s” reached %(threshold)s signatures: %(office)s will answer it."
        ),
        "follows.petition_closed": _("Signing has closed for the petition “%(thing)s”."),
        "follows.indicator_measured": _(
            "New figure in “%(thing)s”: %(indicator)s, %(year)s: %(value)s."
        ),
    }
)
_LINES.update(
    {
        "follows.proposal_new": _("New proposal: “%(title)s”."),
        "follows.proposal_answered": _("%(office)s answered the proposal “%(title)s”."),
        "follows.consultation_opened": _("Now open for comments."),
        "follows.consultation_closed": _("Closed for comments."),
        "follows.event_announced": _("A public event about it: “%(title)s”."),
        "follows.petition_threshold": _(
            "Reached %(threshold)s signatures: %(office)s will answer it."
        ),
        "follows.petition_closed": _("Signing has closed."),
        "petition.answered": _("%(office)s published its official answer."),
        "follows.indicator_measured": _("New figure: %(indicator)s, %(year)s: %(value)s."),
    }
)


def register_kind(kind: str, message, subject=None, line=None, *, plain=None) -> None:
    """`message` is the notification as it reads alone (naming the thing);
    `line`, for news of followed things, the same news as one line of a
    digest, under the thing's heading (so without naming it again); `plain`,
    how it reads when its payload names nothing."""
    _MESSAGES[kind] = message
    if subject is not None:
        _SUBJECTS[kind] = subject
    if line is not None:
        _LINES[kind] = line
    if plain is not None:
        _PLAIN[kind] = plain


def render_line(kind: str, payload: dict) -> str:
    """A news item as a digest line (the kind's `line`, else its message)."""
    template = _LINES.get(kind)
    if template is None:
        return render_message(kind, payload)
    return _format(template, payload)


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
    if callable(template):
        # A kind whose words depend on the payload (moderation.hidden: the reason
        # as a sentence), rendered in the reader's language when read.
        return str(template(payload or {}))
    # A message is plain text (escaped by the page, set as textContent by the
    # socket script); titles in payloads are stored as sanitised, escaped text.
    return _format(template, payload)


def _format(template, payload: dict) -> str:
    values = {k: html.unescape(v) if isinstance(v, str) else v for k, v in (payload or {}).items()}
    if "%(office)s" in str(template) and "office" not in values:
        # The office's name comes from its settings (docs/glossary.md), never a literal.
        # Late: core.models imports this module while models load; cms.selectors needs them loaded.
        from cms.selectors import office_settings_for

        values["office"] = office_settings_for().name
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
