from django.db.models import QuerySet

from .models import Notification


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
