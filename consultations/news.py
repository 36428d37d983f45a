"""News of consultations and proposals for the people who follow them
(core.follows.news_publish; which events, in docs/architecture.md, "Follows,
news and digests"):

- a new proposal in a followed consultation;
- an official answer to a proposal, for the proposal's followers and the
  consultation's (the proposer and supporters are told already, as such);
- a consultation opening and closing on its dates (found by
  `manage.py send_digests`, which runs the scan first).
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from core import follows

from .models import ConsultationPage, Proposal

SCAN_DAYS = 8  # a week's digest plus a day: a missed scan is caught up


def _page_ids(translation_key: UUID) -> list[int]:
    """Every language's page of one consultation: people follow the page in
    their language, the news is the same."""
    return list(
        ConsultationPage.objects.filter(translation_key=translation_key).values_list(
            "pk", flat=True
        )
    )


def proposal_created(proposal: Proposal, url: str) -> None:
    follows.news_publish(
        key=f"proposal:{proposal.pk}:new",
        target="consultation",
        object_ids=_page_ids(proposal.discussion.translation_key),
        kind="follows.proposal_new",
        payload={"proposal": proposal.pk, "title": proposal.title},
        url=url,
        by=proposal.author_id,
    )


def proposal_answered(proposal: Proposal, url: str) -> None:
    payload = {"proposal": proposal.pk, "title": proposal.title}
    key = f"proposal:{proposal.pk}:answered"
    follows.news_publish(
        key=key,
        target="proposal",
        object_ids=[proposal.pk],
        kind="follows.proposal_answered",
        payload=payload,
        url=url,
    )
    follows.news_publish(
        key=key,
        target="consultation",
        object_ids=_page_ids(proposal.discussion.translation_key),
        kind="follows.proposal_answered",
        payload=payload,
        url=url,
    )


def told_of_answer(kind: str, object_id: int, user_ids: list[int]) -> set[int]:
    """The proposer and the supporters hear of an answer as such, not again
    as followers of the proposal."""
    if kind != "follows.proposal_answered":
        return set()
    proposal = Proposal.objects.filter(pk=object_id).values_list("author_id", flat=True).first()
    supporters = set(
        Proposal.objects.filter(pk=object_id, supports__user_id__in=user_ids).values_list(
            "supports__user_id", flat=True
        )
    )
    return supporters | ({proposal} if proposal else set())


def phases_scan(*, now=None) -> int:
    """Publish the openings and closings of the last SCAN_DAYS days (each
    once: the news key names the consultation and the phase)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=SCAN_DAYS)
    published = 0
    pages = (
        ConsultationPage.objects.live()
        .public()
        .filter(
            Q(opens_at__gt=since, opens_at__lte=now) | Q(closes_at__gt=since, closes_at__lte=now)
        )
        .values_list("pk", "translation_key", "opens_at", "closes_at")
    )
    groups: dict[UUID, list] = {}
    for pk, key, opens_at, closes_at in pages:
        groups.setdefault(key, [opens_at, closes_at, []])[2].append(pk)
    for key, (opens_at, closes_at, ids) in groups.items():
        if since < opens_at <= now:
            published += follows.news_publish(
                key=f"consultation:{key}:opened",
                target="consultation",
                object_ids=ids,
                kind="follows.consultation_opened",
                at=opens_at,
            )
        if since < closes_at <= now:
            published += follows.news_publish(
                key=f"consultation:{key}:closed",
                target="consultation",
                object_ids=ids,
                kind="follows.consultation_closed",
                at=closes_at,
            )
    return published
