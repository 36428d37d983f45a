"""One search over everything public: pages, consultations, proposals,
petitions, decisions, recommendations and indicators.

Korean is often written without spaces between words, so a word-based full
text index misses "차별" inside "고용차별". Every source is therefore matched
as a case-insensitive substring: pages through the plain text Wagtail's
database search backend keeps for each page (`IndexEntry`), then checked
against the page as published (the index can hold a draft's words); the other
records through their own text columns. On PostgreSQL the substring match
uses the trigram indexes made by migration 0003 (pg_trgm); on SQLite it is a
scan, fine at a city's size. Each source is one query, at most PER_TYPE rows.

Only public content is searched: live pages without view restrictions, visible
proposals of live consultations, petitions in a public status, published
decisions and recommendations, live indicators.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, get_page_models
from wagtail.search.models import IndexEntry

from consultations.models import ConsultationPage, Proposal, Visibility
from petitions.selectors import petition_public_list

from . import selectors
from .models import localized

PER_TYPE = 10
Q_MAX_LENGTH = 100
TYPE_LABELS = {
    "page": _("Page"),
    "consultation": _("Consultation"),
    "proposal": _("Proposal"),
    "petition": _("Petition"),
    "decision": _("Decision"),
    "recommendation": _("Recommendation"),
    "indicator": _("Indicator"),
}


@dataclass
class Result:
    type: str
    title: str
    url: str
    snippet: str

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])


def snippet_of(text: str, q: str, width: int = 160) -> str:
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    at = text.casefold().find(q.casefold())
    if at < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 3)
    piece = text[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _any_contains(fields, q: str) -> Q:
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return condition


def _page_text(page) -> str:
    """The page as published: its title, intro and rendered body, as text."""
    parts = [page.title, getattr(page, "search_description", "")]
    parts += [str(getattr(page, field, "") or "") for field in ("intro", "easy_read_summary")]
    for field in ("body", "draft"):
        stream = getattr(page, field, None)
        if stream is not None and hasattr(stream, "render_as_block"):
            parts.append(strip_tags(str(stream.render_as_block())))
    return " ".join(p for p in parts if p)


def _pages(q: str, language: str) -> list[Result]:
    text_fields = (
        ("title_text", "body_text") if connection.vendor == "postgresql" else ("title", "body")
    )
    page_type_ids = {ct.pk for ct in _page_content_types()}
    candidate_ids = list(
        IndexEntry.objects.filter(content_type_id__in=page_type_ids)
        .filter(_any_contains(text_fields, q))
        .values_list("object_id", flat=True)[: PER_TYPE * 5]
    )
    locale = Locale.objects.filter(language_code=language).first()
    # The index is updated by a background task; a page's title is matched
    # directly too, so a page just published is found before the task ran.
    pages = (
        Page.objects.live()
        .public()
        .filter(Q(pk__in=[int(i) for i in candidate_ids if i.isdigit()]) | Q(title__icontains=q))
    )
    if locale is not None:
        pages = pages.filter(locale=locale)
    results = []
    for page in pages.specific()[: PER_TYPE * 2]:
        text = _page_text(page)
        if q.casefold() not in text.casefold():
            continue  # matched a draft's words in the index, not the published page
        kind = "consultation" if page.specific_class.__name__ == "ConsultationPage" else "page"
        results.append(Result(kind, page.title, page.url, snippet_of(text, q)))
        if len(results) >= PER_TYPE:
            break
    return results


def _page_content_types():
    return ContentType.objects.get_for_models(*get_page_models()).values()


def _proposals(q: str) -> list[Result]:
    live_keys = ConsultationPage.objects.live().public().values("translation_key")
    proposals = Proposal.objects.filter(
        state=Visibility.VISIBLE, discussion__translation_key__in=live_keys
    ).filter(_any_contains(("title", "body"), q))[:PER_TYPE]
    return [
        Result(
            "proposal",
            p.title,
            reverse("consultations:proposal_detail", args=[p.pk]),
            snippet_of(p.body, q),
        )
        for p in proposals
    ]


def _petitions(q: str) -> list[Result]:
    petitions = petition_public_list(search=q)[:PER_TYPE]
    return [
        Result(
            "petition",
            html.unescape(p.title),
            reverse("petitions:detail", args=[p.pk]),
            snippet_of(html.unescape(p.action), html.unescape(q)),
        )
        for p in petitions
    ]


def _decisions(q: str) -> list[Result]:
    return [
        Result(
            "decision",
            localized(d, "title"),
            reverse("accountability:decision", args=[d.pk]),
            snippet_of(localized(d, "summary"), q),
        )
        for d in selectors.decision_list_public(q=q)[:PER_TYPE]
    ]


def _recommendations(q: str) -> list[Result]:
    fields = (
        "title_ko",
        "title_en",
        "text_ko",
        "text_en",
        "department__name_ko",
        "department__name_en",
    )
    found = selectors.recommendation_list_public().filter(_any_contains(fields, q))[:PER_TYPE]
    return [
        Result(
            "recommendation",
            localized(r, "title"),
            reverse("accountability:recommendation", args=[r.pk]),
            snippet_of(localized(r, "text"), q),
        )
        for r in found
    ]


def _indicators(q: str) -> list[Result]:
    fields = ("code", "title_ko", "title_en", "definition_ko", "definition_en")
    found = selectors.indicator_list_public().filter(_any_contains(fields, q))[:PER_TYPE]
    return [
        Result(
            "indicator",
            localized(i, "title"),
            reverse("accountability:indicator", args=[i.code]),
            snippet_of(localized(i, "definition"), q),
        )
        for i in found
    ]


def search_public(*, q: str, language: str) -> list[Result]:
    """Everything public that contains `q`, grouped by type."""
    q = (q or "").strip()[:Q_MAX_LENGTH]
    if not q:
        return []
    return [
        *_pages(q, language),
        *_proposals(q),
        *_petitions(q),
        *_decisions(q),
        *_recommendations(q),
        *_indicators(q),
    ]
