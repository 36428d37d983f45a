"""What can be followed, and how each app names and links its own things.

core knows no other app's models: each app registers its targets in
AppConfig.ready(), e.g.::

    register_target("petition", resolve=petition_titles_and_urls)

`resolve(ids)` returns `{id: (title, url)}` for the ids the public may see;
an id it leaves out is treated as not existing (404), exactly like a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from .models import FollowNews

Resolver = Callable[[list[int]], dict[int, tuple[str, str]]]

_TARGETS: dict[str, Resolver] = {}


def register_target(name: str, *, resolve: Resolver) -> None:
    _TARGETS[name] = resolve


def resolve(name: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    resolver = _TARGETS.get(name)
    ids = list(ids)
    if resolver is None or not ids:
        return {}
    return resolver(ids)


# --- news of followed things ---------------------------------------------------
#
# An app tells core that something happened to a thing people may follow:
#
#     follows.news_publish(key="proposal:7:answered", target="proposal",
#                          object_ids=[7], kind="follows.proposal_answered",
#                          payload={"proposal": 7, "title": "..."}, url="/ko/...")
#
# The news is stored once per thing (FollowNews), inside the caller's
# transaction; after it commits, one task per batch of followers tells those
# who want news as it happens. The digests (core.digests) read the same rows.

Skipper = Callable[[str, int, list[int]], set[int]]
Scanner = Callable[..., int]

_SKIP: dict[str, Skipper] = {}
_SCANS: list[Scanner] = []


def register_skip(name: str, skip: Skipper) -> None:
    """`skip(kind, object_id, user_ids)` names the followers among `user_ids`
    who hear of this news another way (e.g. a petition's signers get its
    answer as signers) and are not told again as followers."""
    _SKIP[name] = skip


def skipped(name: str, kind: str, object_id: int, user_ids: list[int]) -> set[int]:
    skip = _SKIP.get(name)
    return skip(kind, object_id, user_ids) if skip and user_ids else set()


def register_scan(scan: Scanner) -> None:
    """`scan(now=...)` publishes news that comes from the clock rather than a
    write (a consultation opening or closing on its date). Run by
    `manage.py send_digests` before it sends anything; must be idempotent
    (news keys make it so)."""
    _SCANS.append(scan)


def news_scan(*, now=None) -> int:
    return sum(scan(now=now) for scan in _SCANS)


def news_publish(
    *,
    key: str,
    target: str,
    object_ids: Iterable[int],
    kind: str,
    payload: dict | None = None,
    url: str = "",
    at=None,
    by: int | None = None,
) -> int:
    """Store the news for each of `object_ids` (the pages of one thing in
    each language) and, after commit, tell the followers who want it now.
    The same `key` published again changes nothing. `by` (a user id) is the
    person who caused it, who is not told of their own doing. Returns how
    many rows were new."""
    payload = dict(payload or {})
    if by is not None:
        payload["by"] = by
    created_any = 0
    with transaction.atomic():
        for object_id in dict.fromkeys(object_ids):
            _news, created = FollowNews.objects.get_or_create(
                key=key[:120],
                target=target,
                object_id=object_id,
                defaults={
                    "kind": kind,
                    "payload": payload,
                    "url": url[:300],
                    "created_at": at or timezone.now(),
                },
            )
            created_any += int(created)
    if created_any:
        transaction.on_commit(lambda: _enqueue_delivery(key[:120]))
    return created_any


def _enqueue_delivery(key: str) -> None:
    # Late: core.tasks imports core.digests, which imports this module.
    from .tasks import deliver_news

    deliver_news.enqueue(key=key, after=0)
