from django.conf import settings

from .selectors import notification_unread_count


def site_chrome(request):
    """What the base template needs on every page."""
    return {
        "LANGUAGES": settings.LANGUAGES,
        "unread_notifications": _unread_count(request),
    }


def _unread_count(request) -> int:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0

    return notification_unread_count(user=user)
