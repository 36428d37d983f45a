"""Reads for moderation: the one queue over every moderated type, its counts,
the log. A fixed number of queries whatever the number of rows: one for the
items and one for their open reports per type, plus one for the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from . import registry
from .models import ModerationLog, Report, Visibility

QUEUE_LIMIT = 100  # items of each type on one page of the queue
STATUSES = ("reported", "hidden")


@dataclass
class QueueItem:
    kind: registry.Kind
    obj: Any
    reports: list[Report] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The bulk form's value for this item: "comment:12"."""
        return f"{self.kind.name}:{self.obj.pk}"

    @property
    def author(self):
        return self.kind.author_of(self.obj)

    @property
    def title(self) -> str:
        return self.kind.title(self.obj)

    @property
    def url(self) -> str:
        return self.kind.url(self.obj)


def _status_q(status: str) -> Q:
    if status == "hidden":
        return Q(state=Visibility.HIDDEN)
    return Q(report_count__gt=0)


def moderation_open_counts() -> dict[str, int]:
    """kind name -> how many items of that type have open reports (one query per type)."""
    return {
        kind.name: kind.model._default_manager.filter(report_count__gt=0).count()
        for kind in registry.kinds()
    }


def moderation_queue(
    *, kind: str | None = None, status: str = "reported", limit: int = QUEUE_LIMIT
) -> list[QueueItem]:
    """Reported (or hidden) items of every type, or of one, most reported first,
    each with its open reports and their reporters."""
    status = status if status in STATUSES else "reported"
    chosen = [k for k in registry.kinds() if kind in (None, "", k.name)]
    items: list[QueueItem] = []
    for k in chosen:
        author = k.author_field
        rows = list(
            k.model._default_manager.filter(_status_q(status))
            .select_related(author, "hidden_by", *k.select_related)
            .order_by("-report_count", "-pk")[:limit]
        )
        if not rows:
            continue
        by_pk = {row.pk: QueueItem(k, row) for row in rows}
        reports = (
            Report.objects.filter(
                content_type=ContentType.objects.get_for_model(k.model),
                object_id__in=list(by_pk),
                resolved_at__isnull=True,
            )
            .select_related("reporter")
            .order_by("created_at", "id")
        )
        for report in reports:
            by_pk[report.object_id].reports.append(report)
        items.extend(by_pk[row.pk] for row in rows)
    items.sort(key=lambda item: (-item.obj.report_count, item.kind.name, -item.obj.pk))
    return items


def moderation_log(*, limit: int = 50):
    return ModerationLog.objects.select_related("actor", "subject").order_by("-created_at", "-id")[
        :limit
    ]
