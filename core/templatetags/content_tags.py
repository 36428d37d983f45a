from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.content_language import lang_attribute

register = template.Library()


@register.simple_tag
def content_lang(*texts, stored: str = ""):
    """` lang="ko"` on an element holding user-written text in the language
    the page is not in (core.content_language), else nothing:

        <div class="comment-body"{% content_lang comment.body stored=comment.language %}>
    """
    value = lang_attribute(
        *(str(t) for t in texts if t), page_language=get_language() or "", fallback=stored
    )
    return mark_safe(value)  # noqa: S308 - only ' lang="ko"' or ' lang="en"' or ""
