from django.db.models import QuerySet

from . import follows
from .models import Follow, Frequency, Notification, NotificationPreference, PreferenceKind


def notification_list_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


NOTIFICATIONS_PAGE = 50


def notifications_after(
    *, user, after: int, limit: int = NOTIFICATIONS_PAGE
) -> tuple[list[Notification], bool]:
    """`user`'s notifications stored after notification `after`, oldest first
    (what a page missed while its socket was away): at most `limit`, and
    whether there are more."""
    limit = max(1, min(limit, NOTIFICATIONS_PAGE))
    rows = list(Notification.objects.filter(user=user, id__gt=after).order_by("id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def notification_latest_id(*, user) -> int:
    """The id of `user`'s newest notification, 0 for none."""
    latest = Notification.objects.filter(user=user).order_by("-id").values_list("id", flat=True)
    return latest.first() or 0


# --- follows and preferences -------------------------------------------------

FOLLOWS_LIMIT = 500  # one person's follows listed at once; bounded


def follow_list_for(*, user) -> list[dict]:
    """What `user` follows, newest first, as `{"target", "id", "title", "url"}`;
    one query per kind of target, and things no longer public are left out."""
    rows = list(
        Follow.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("target", "object_id")[:FOLLOWS_LIMIT]
    )
    by_target: dict[str, list[int]] = {}
    for target, object_id in rows:
        by_target.setdefault(target, []).append(object_id)
    names = {target: follows.resolve(target, ids) for target, ids in by_target.items()}
    result = []
    for target, object_id in rows:
        if object_id in names[target]:
            title, url = names[target][object_id]
            result.append({"target": target, "id": object_id, "title": title, "url": url})
    return result


def is_following(*, user, target: str, object_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Follow.objects.filter(user=user, target=target, object_id=object_id).exists()


def follower_ids(*, target: str, object_ids: list[int]) -> QuerySet:
    """Ids of the users following any of these things (a queryset, for batching)."""
    return (
        Follow.objects.filter(target=target, object_id__in=object_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


def preferences_for(*, user) -> dict[str, str]:
    """kind -> frequency for every kind, defaults filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {
        kind: stored.get(kind, NotificationPreference.DEFAULT_FREQUENCY)
        for kind in PreferenceKind.values
    }


def users_opted_out(*, kind: str, user_ids) -> set[int]:
    """Of `user_ids`, those who chose `never` for `kind` (one query)."""
    return set(
        NotificationPreference.objects.filter(
            kind=kind, frequency=Frequency.NEVER, user_id__in=user_ids
        ).values_list("user_id", flat=True)
    )


def preference_settings_for(*, user) -> dict[str, dict]:
    """kind -> {"frequency", "in_app", "email"} for every kind, defaults filled in."""
    stored = {
        kind: {"frequency": frequency, "in_app": in_app, "email": email}
        for kind, frequency, in_app, email in NotificationPreference.objects.filter(
            user=user
        ).values_list("kind", "frequency", "in_app", "email")
    }
    return {
        kind: stored.get(
            kind,
            {
                "frequency": NotificationPreference.DEFAULT_FREQUENCY,
                "in_app": True,
                "email": NotificationPreference.default_email(kind),
            },
        )
        for kind in PreferenceKind.values
    }
