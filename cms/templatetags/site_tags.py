"""Navigation and the language switcher for the base template."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.models import OfficeSettings
from cms.routing import cached as page_route_cached
from cms.selectors import SiteChrome, office_settings_for, page_translation_urls, site_chrome_for
from core.permissions import may

register = template.Library()


@register.simple_tag(takes_context=True)
def site_chrome(context) -> SiteChrome:
    """The home link, main menu and office contact of this site and language."""
    return site_chrome_for(request=context.get("request"))


@register.simple_tag(takes_context=True)
def office_names(context) -> OfficeSettings:
    """`{% office_names as office %}`: `office.name` (the human rights division),
    `office.ombuds_name` (the complaints body), from the office settings."""
    return office_settings_for(request=context.get("request"))


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language to this same page in that language."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page):
        translations = (
            page_route_cached(
                request, f"translations:{page.pk}", lambda: page_translation_urls(page=page)
            )
            if request is not None
            else page_translation_urls(page=page)
        )
    links = []
    for code, name in settings.LANGUAGES:
        url = translations.get(code)
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
    ("complaints:new", pgettext_lazy("menu", "Report discrimination")),
    ("complaints:status", _("Check a complaint")),
    ("accountability:overview", _("Human rights in the city")),
    ("search:search", _("Search")),
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
    return bool(user and may(user, "complaints.casework"))


@register.simple_tag(takes_context=True)
def breadcrumbs(context) -> list[dict]:
    """The trail below home: a Wagtail page's ancestors under the site root (one
    query) and the page itself, or the platform section (main menu entry) that a
    page of an app belongs to. The last item is the current one when `current`."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page):
        if page.depth <= 2:
            return []
        trail = []
        if page.depth > 3:  # a page right under home needs no query

            def build() -> list[dict]:
                ancestors = page.get_ancestors().filter(depth__gt=2)
                return [{"title": a.title, "url": a.get_url(request=request)} for a in ancestors]

            # Cached with the page routes: any page change renews them (cms/routing.py).
            trail = (
                page_route_cached(request, f"crumbs:{page.pk}:{get_language()}", build)
                if request is not None
                else build()
            )
        return [*trail, {"title": page.title, "url": None, "current": True}]
    for link in app_links(context):
        if link["current"]:
            on_index = request is not None and request.path == link["url"]
            return [{"title": link["label"], "url": link["url"], "current": on_index}]
    return []
