from django import template

from core.selectors import is_following

register = template.Library()


@register.inclusion_tag("core/includes/follow_button.html", takes_context=True)
def follow_button(context, target: str, object_id: int, title: str = ""):
    """A follow / unfollow button that works without JavaScript (a form POST)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "request": request,
        "target": target,
        "object_id": object_id,
        "title": title,
        "signed_in": bool(user and user.is_authenticated),
        "following": is_following(user=user, target=target, object_id=object_id),
        "csrf_token": context.get("csrf_token"),
    }
