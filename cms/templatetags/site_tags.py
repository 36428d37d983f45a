"""Navigation and the language switcher for the base template."""

from django import template
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

register = template.Library()


def _home_for(request) -> Page | None:
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    root = site.root_page
    return root.localized if root else None


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[Page]:
    """Live pages marked "show in menus" under the home page in this language."""
    home = _home_for(context.get("request"))
    if home is None:
        return []
    return list(home.get_children().live().in_menu().specific(defer=True))


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    home = _home_for(context.get("request"))
    return home.url if home else f"/{get_language()}/"


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language to this same page in that language."""
    from django.conf import settings

    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            try:
                translated = page.get_translation(Locale.objects.get(language_code=code))
                if translated.live:
                    url = translated.url
            except (Page.DoesNotExist, Locale.DoesNotExist):
                url = None
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
            if url == request.get_full_path() and code != current:
                url = f"/{code}/"
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


# The platform's own sections, in menu order. A section whose URL is not
# installed is left out, so an app can be switched off without template edits.
APP_LINKS = [
    ("consultations:index", _("Consultations")),
    ("petitions:list", _("Petitions")),
    ("complaints:new", _("Report discrimination")),
    ("casework:queue", _("Casework")),
]


@register.simple_tag(takes_context=True)
def app_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    links = []
    for name, label in APP_LINKS:
        if name.startswith("casework:") and not _is_office_staff(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = bool(request and request.path.startswith(url))
        links.append({"url": url, "label": label, "current": current})
    return links


def _is_office_staff(user) -> bool:
    from accounts.rules import is_office_staff

    return bool(user and is_office_staff(user))
