"""News of followed things to the people who follow them: as it happens
(`news_deliver_batch`), or in a daily or weekly digest (`digest_batch`).

Both walk their recipients in batches, in user id order with a cursor, one
task per batch (core.tasks.deliver_news, core.tasks.send_digest_batch): a
hundred thousand followers are a few hundred tasks, never one per person.
Each batch writes what it did (the notifications, the `DigestSent` rows, the
cursor) and enqueues its e-mails as one task in the same transaction, so a
batch run twice (a retry, a second worker, the command run again) finds its
work done and sends nothing twice. Queries per batch are bounded: they do not
grow with the batch size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import follows
from .models import (
    FOLLOW_KINDS,
    DigestRun,
    DigestSent,
    Follow,
    FollowNews,
    FollowTarget,
    Frequency,
    NotificationPreference,
)
from .notifications import render_line, render_message

CATCH_UP = 4  # periods a missed digest run reaches back
PERIODS = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


def batch_size() -> int:
    """Recipients per task, for news as it happens and for digests."""
    return int(getattr(settings, "FOLLOW_BATCH_SIZE", 500))


# --- small helpers ---------------------------------------------------------------


def language_of(user) -> str:
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def localize_path(url: str, language: str) -> str:
    """`/ko/...` as `/en/...` for an English reader (and back): links in a
    message follow the reader's language, not the writer's."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if url.startswith(prefix):
            return f"/{language}/" + url[len(prefix) :]
    return url


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _settings(user_ids, kinds) -> dict[tuple[int, str], tuple[str, bool, bool]]:
    """(user id, kind) -> (frequency, in_app, email) of the stored choices."""
    return {
        (user_id, kind): (frequency, in_app, email)
        for user_id, kind, frequency, in_app, email in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind__in=kinds
        ).values_list("user_id", "kind", "frequency", "in_app", "email")
    }


def _default(kind: str) -> tuple[str, bool, bool]:
    return (
        NotificationPreference.DEFAULT_FREQUENCY,
        True,
        NotificationPreference.default_email(kind),
    )


def _resolve_in(language: str, target: str, ids) -> dict[int, tuple[str, str]]:
    with translation.override(language):
        return follows.resolve(target, ids)


def _enqueue_emails(messages: list[dict]) -> None:
    """One task for the batch's e-mails, written in the caller's transaction
    (the database task backend): it commits, or is rolled back, with the
    rows that record the e-mails as sent."""
    # Late: core.tasks imports this module at its top (tasks use digests).
    from .tasks import send_emails

    if messages:
        send_emails.enqueue(messages=messages)


# --- as it happens -----------------------------------------------------------------


def news_deliver_batch(*, key: str, after: int = 0, size: int | None = None) -> int | None:
    """Tell one batch of followers (user id > `after`) who want news as it
    happens: in-app and/or by e-mail, as each chose for this kind. Returns
    the cursor for the next batch, or None after the last."""
    # Late: core.services imports core.tasks, which imports this module.
    from .services import notification_send, unsubscribe_url

    size = size or batch_size()
    news = list(FollowNews.objects.filter(key=key).order_by("pk"))
    if not news:
        return None
    first = news[0]
    target = first.target
    by_object = {item.object_id: item for item in news}
    rows = list(
        Follow.objects.filter(
            target=target, object_id__in=list(by_object), user_id__gt=after, user__is_active=True
        )
        .order_by("user_id", "object_id")
        .values_list("user_id", "object_id")[:size]
    )
    if not rows:
        return None
    followed: dict[int, int] = {}
    for user_id, object_id in rows:
        followed.setdefault(user_id, object_id)
    users = get_user_model().objects.in_bulk(list(followed))
    chosen = _settings(list(followed), [target])
    skip = follows.skipped(target, first.kind, first.object_id, list(followed))
    if isinstance(first.payload.get("by"), int):
        skip.add(first.payload["by"])
    names: dict[str, dict[int, tuple[str, str]]] = {}
    emails = []
    for user_id, object_id in followed.items():
        user = users.get(user_id)
        frequency, in_app, email = chosen.get((user_id, target), _default(target))
        if user is None or user_id in skip or frequency != Frequency.NOW:
            continue
        language = language_of(user)
        if language not in names:
            names[language] = _resolve_in(language, target, list(by_object))
        if object_id not in names[language]:
            continue  # no longer public
        title, thing_url = names[language][object_id]
        item = by_object[object_id]
        # Who caused it stays out of the notification (identifiers of things only).
        payload = {**{k: v for k, v in item.payload.items() if k != "by"}, "thing": title}
        url = localize_path(item.url, language) if item.url else thing_url
        if in_app:
            notification_send(user=user, kind=item.kind, payload=payload, url=url)
        if email and user.email:
            with translation.override(language):
                emails.append(
                    {
                        "to": user.email,
                        "subject": _("News about “%(title)s”") % {"title": title},
                        "body": render_to_string(
                            "core/email/news.txt",
                            {
                                "message": render_message(item.kind, payload),
                                "url": absolute(url),
                                "preferences_url": absolute(reverse("core:preferences")),
                                "unsubscribe_url": unsubscribe_url(user=user, kind=target),
                            },
                        ),
                    }
                )
    _enqueue_emails(emails)
    return rows[-1][0] if len(rows) >= size else None


# --- digests -------------------------------------------------------------------------


def period_start(period: str, now: datetime.datetime) -> datetime.date:
    """The day a digest period is named by: today (daily), this week's Monday
    (weekly), in the site's time zone."""
    today = timezone.localdate(now)
    if period == Frequency.WEEKLY:
        return today - datetime.timedelta(days=today.weekday())
    return today


def digest_run_start(*, period: str, now=None) -> tuple[DigestRun, bool]:
    """The run of this period's digests (created once: a second call the same
    day, or week, returns the same run, `created` False)."""
    if period not in PERIODS:
        raise ValueError(period)
    now = now or timezone.now()
    with transaction.atomic():
        return DigestRun.objects.get_or_create(
            period=period, period_start=period_start(period, now), defaults={"until": now}
        )


def digest_recipient_ids(*, period: str, after: int, size: int) -> list[int]:
    """The next `size` people (user id > `after`) who chose this period for
    some kind of news, with a channel on."""
    return list(
        NotificationPreference.objects.filter(
            kind__in=FOLLOW_KINDS, frequency=period, user_id__gt=after, user__is_active=True
        )
        .filter(Q(email=True) | Q(in_app=True))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:size]
    )


def digest_batch(*, run_id: int, after: int, size: int | None = None) -> int | None:
    """Send one batch of the run's digests: the people after `after` who chose
    this period, each a digest of the news of what they follow since their
    last one, grouped by followed thing, in their language; nobody gets an
    empty one. Returns the next cursor, or None when the run is finished (or
    this batch was already done: the cursor moved past `after`)."""
    size = size or batch_size()
    with transaction.atomic():
        run = DigestRun.objects.select_for_update().get(pk=run_id)
        if run.finished_at is not None or run.cursor != after:
            return None
        ids = digest_recipient_ids(period=run.period, after=after, size=size)
        sent = _digests_for(run=run, user_ids=ids) if ids else 0
        run.batches += 1
        run.sent += sent
        if ids:
            run.cursor = ids[-1]
        if len(ids) < size:
            run.finished_at = timezone.now()
        run.save()
    return run.cursor if run.finished_at is None else None


def _digests_for(*, run: DigestRun, user_ids: list[int]) -> int:
    # Late: core.services imports core.tasks, which imports this module.
    from .services import notification_send, unsubscribe_url

    period = run.period
    users = get_user_model().objects.in_bulk(user_ids)
    chosen = _settings(user_ids, FOLLOW_KINDS)
    done = set(
        DigestSent.objects.filter(
            user_id__in=user_ids, period=period, period_start=run.period_start
        ).values_list("user_id", flat=True)
    )
    last = dict(
        DigestSent.objects.filter(user_id__in=user_ids, period=period)
        .values("user_id")
        .annotate(until=Max("until"))
        .values_list("user_id", "until")
    )
    length = PERIODS[Frequency(period)]
    default_since = run.until - length
    # A missed run is caught up (news since the person's last digest), up to
    # CATCH_UP periods back.
    floor = run.until - CATCH_UP * length
    # What each person follows, of the kinds they want in this period's digest.
    wanted: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for user_id, target, object_id in (
        Follow.objects.filter(user_id__in=user_ids, target__in=FOLLOW_KINDS)
        .order_by("user_id", "target", "created_at", "id")
        .values_list("user_id", "target", "object_id")
    ):
        frequency, in_app, email = chosen.get((user_id, target), _default(target))
        if frequency == period and (in_app or email):
            wanted[user_id].append((target, object_id))
    objects: dict[str, set[int]] = defaultdict(set)
    for things in wanted.values():
        for target, object_id in things:
            objects[target].add(object_id)
    if not objects:
        return 0
    since_all = max(floor, min([default_since, *[v for v in last.values() if v]]))
    condition = Q()
    for target, ids in objects.items():
        condition |= Q(target=target, object_id__in=list(ids))
    news_by_thing: dict[tuple[str, int], list[FollowNews]] = defaultdict(list)
    for item in (
        FollowNews.objects.filter(condition, created_at__gt=since_all, created_at__lte=run.until)
        .order_by("created_at", "pk")
        .iterator(chunk_size=2000)
    ):
        news_by_thing[(item.target, item.object_id)].append(item)
    names: dict[tuple[str, str], dict[int, tuple[str, str]]] = {}
    records, emails, count = [], [], 0
    for user_id in user_ids:
        user = users.get(user_id)
        if user is None or user_id in done or not wanted.get(user_id):
            continue
        since = max(last.get(user_id) or default_since, floor)
        language = language_of(user)
        groups, seen, news_ids = [], set(), []
        for target, object_id in wanted[user_id]:
            items = [
                item
                for item in news_by_thing.get((target, object_id), [])
                if item.created_at > since
                and item.key not in seen
                and item.payload.get("by") != user_id
            ]
            if not items:
                continue
            if (language, target) not in names:
                names[(language, target)] = _resolve_in(language, target, objects[target])
            if object_id not in names[(language, target)]:
                continue  # no longer public
            title, url = names[(language, target)][object_id]
            seen.update(item.key for item in items)
            news_ids.extend(item.pk for item in items)
            groups.append({"target": target, "title": title, "url": url, "items": items})
        if not groups:
            continue  # never an empty digest
        wants_in_app = any(
            chosen.get((user_id, g["target"]), _default(g["target"]))[1] for g in groups
        )
        wants_email = any(
            chosen.get((user_id, g["target"]), _default(g["target"]))[2] for g in groups
        )
        records.append(
            DigestSent(
                user_id=user_id,
                period=period,
                period_start=run.period_start,
                until=run.until,
                news=news_ids,
            )
        )
        count += 1
        with translation.override(language):
            rendered = _render(groups=groups, language=language)
            if wants_email and user.email:
                emails.append(
                    {
                        "to": user.email,
                        "subject": _digest_subject(period, len(news_ids)),
                        "body": render_to_string(
                            "core/email/digest.txt",
                            {
                                "period": period,
                                "groups": rendered,
                                "preferences_url": absolute(reverse("core:preferences")),
                                "unsubscribe_url": unsubscribe_url(user=user, kind="follows"),
                            },
                        ),
                    }
                )
        if wants_in_app:
            notification_send(
                user=user,
                kind="follows.digest",
                payload={"count": len(news_ids), "period": period},
                url=localize_path(reverse("core:preferences"), language),
            )
    DigestSent.objects.bulk_create(records)
    _enqueue_emails(emails)
    return count


def _digest_subject(period: str, count: int) -> str:
    from django.utils.translation import ngettext

    if period == Frequency.WEEKLY:
        text = ngettext(
            "Your weekly news: %(count)d update on what you follow",
            "Your weekly news: %(count)d updates on what you follow",
            count,
        )
    else:
        text = ngettext(
            "Your daily news: %(count)d update on what you follow",
            "Your daily news: %(count)d updates on what you follow",
            count,
        )
    return text % {"count": count}


def _render(*, groups: list[dict], language: str) -> list[dict]:
    """The groups with each item as a line and an absolute link, for the
    e-mail template (in the active language)."""
    return [
        {
            "kind": FollowTarget(group["target"]).label,
            "title": group["title"],
            "url": absolute(group["url"]),
            "items": [
                {
                    "line": render_line(item.kind, item.payload),
                    "url": absolute(localize_path(item.url, language)) if item.url else "",
                    "at": timezone.localtime(item.created_at),
                }
                for item in group["items"]
            ],
        }
        for group in groups
    ]
