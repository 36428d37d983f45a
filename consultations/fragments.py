"""One comment as HTML, the same for a reloaded page, the live stream and the
catch-up after a reconnect (issue 20, "live pages that stay whole"; issue 21,
"render each event once, not once per socket").

The page includes `consultations/includes/comment.html`; the publisher renders
that same fragment once per language of the consultation for every event
(never once per socket), and each socket picks the text of its page's
language. The fragment depends on nothing about the viewer (the Report link is
there for everyone; signing in is asked for when it is followed), so one
rendering is right for every reader and nothing of one viewer reaches another.
"""

from __future__ import annotations

import json
import logging
import uuid

from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation

from core.precompiled import Precompiled

from .events import PLAIN
from .models import Comment, ConsultationPage, Discussion
from .selectors import restricted

logger = logging.getLogger(__name__)

FRAGMENT = "consultations/includes/comment.html"


def section_titles(page: ConsultationPage) -> dict[str, str]:
    return {s["anchor"]: s["title"] for s in page.sections()}


def comment_html(comment: Comment, *, page: ConsultationPage, titles: dict | None = None) -> str:
    """The fragment of `comment` as `page` shows it, in `page`'s language: a
    top-level comment as in the page's list (with its section), a reply as in
    its thread."""
    if titles is None:
        titles = section_titles(page)
    comment.section_title = titles.get(comment.section, "")
    language = getattr(page, "locale_language", None) or page.locale.language_code
    with translation.override(language):
        return render_to_string(
            FRAGMENT, {"comment": comment, "show_section": comment.parent_id is None}
        )


# The consultation's live, public translations, each with its language: read
# for every event, compiled once (core.precompiled). The mark is a
# translation key no page has.
_LIVE_TRANSLATIONS = Precompiled(
    lambda key: (
        ConsultationPage.objects.live()
        .filter(translation_key=key)
        .exclude(restricted())
        .annotate(locale_language=F("locale__language_code"))
    ),
    key=uuid.UUID("00000000-0000-4000-8000-000007340137"),
)


def _comment_id(event: dict) -> int | None:
    if event.get("type") == "comment.created":
        return (event.get("comment") or {}).get("id")
    if event.get("type") == "comment.hidden":
        return event.get("id")
    return None


def event_texts(
    translation_key,
    event: dict,
    *,
    comment: Comment | None = None,
    comment_count: int | None = None,
) -> dict[str, str]:
    """The JSON text of `event` for each language of the consultation, keyed by
    language code, plus PLAIN (the event as it came). A comment event gains
    `html` (the fragment), `parent_html` for a reply (the parent's fragment,
    whose reply count moved) and `comment_count` (the number beside the
    heading). Rendered here, once per language, whatever the number of sockets.

    The publisher that just wrote the comment passes it (with its author and
    its parent) and the count its write returned, so nothing is read again;
    without them both are read here (moderation's hide and unhide)."""
    texts = {PLAIN: json.dumps(event, ensure_ascii=False)}
    comment_id = _comment_id(event)
    if comment_id is None:
        return texts
    if comment is None:
        comment = (
            Comment.objects.select_related("author", "parent__author").filter(pk=comment_id).first()
        )
        if comment is None:
            return texts
    count = comment_count
    if count is None:
        count = (
            Discussion.objects.filter(pk=comment.discussion_id)
            .values_list("comment_count", flat=True)
            .first()
        )
    for page in _LIVE_TRANSLATIONS.all(key=translation_key):
        titles = section_titles(page)
        extra: dict = {"html": comment_html(comment, page=page, titles=titles)}
        if comment.parent is not None:
            extra["parent_html"] = comment_html(comment.parent, page=page, titles=titles)
        if count is not None:
            extra["comment_count"] = count
        texts[page.locale_language] = json.dumps({**event, **extra}, ensure_ascii=False)
    return texts
