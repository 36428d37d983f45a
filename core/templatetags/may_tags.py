"""`{% load may_tags %}{% may "petitions.moderate" petition as allowed %}`: the templates' way of
asking core.permissions.may, for the signed-in user of the request."""

from django import template

from core.permissions import may as _may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return _may(user, action, obj)
