"""Channel-layer group names, in one place so senders and consumers agree."""


def user_notifications_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"
