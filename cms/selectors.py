"""Reads for the site chrome every HTML page renders: the home link, the main
menu and the office's contact details (cached per site and language), and the
language switcher's links to this page's translations."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.models import Page, Site

from core import cache_generations
from core.cache_generations import CACHE_DOWN

from .models import OfficeSettings

# A new version when a cached entry changes shape, so that a deploy sharing the
# cache (Redis) never reads an entry written by the old code.
logger = logging.getLogger(__name__)

_PREFIX = "site-chrome:v2"
_GENERATION_KEY = f"{_PREFIX}:generation"
# Every change that could alter the chrome starts a new generation (see
# site_chrome_cache_clear), so entries need no timeout to be correct. This one
# bounds how long a process with its own local-memory cache lags behind a change
# made in another process (several workers should share Redis).
CHROME_CACHE_TIMEOUT = 300
# Pages under home that the footer links to when they exist (privacy notice,
# accessibility statement), in this order.
FOOTER_PAGE_SLUGS = ("privacy", "accessibility")


@dataclass(frozen=True)
class MenuItem:
    pk: int
    title: str
    url: str | None


@dataclass(frozen=True)
class SiteChrome:
    home_url: str | None
    menu: tuple[MenuItem, ...]
    office: OfficeSettings | None
    footer_pages: tuple[MenuItem, ...] = ()


def site_chrome_for(*, request: HttpRequest | None) -> SiteChrome:
    """The chrome of this request's site in the active language, from the cache;
    built from the database only after a change that could alter it."""
    language = get_language()
    if request is None:
        return SiteChrome(home_url=f"/{language}/", menu=(), office=None)
    try:
        generation = cache_generations.current(_GENERATION_KEY)
        key = f"{_PREFIX}:{generation}:{_site_key(request)}:{language}"
        data = cache.get(key)
        if data is None:
            data = _chrome_data(request, language)
            cache.set(key, data, CHROME_CACHE_TIMEOUT)
    except CACHE_DOWN as exc:  # a cache that is down must not take every page down
        logger.warning("Site chrome cache unavailable: %s", type(exc).__name__)
        data = _chrome_data(request, language)
    return SiteChrome(
        home_url=data["home_url"],
        menu=tuple(MenuItem(*item) for item in data["menu"]),
        office=OfficeSettings(**data["office"]) if data["office"] is not None else None,
        footer_pages=tuple(MenuItem(*item) for item in data["footer_pages"]),
    )


def office_settings_for(*, request: HttpRequest | None = None) -> OfficeSettings:
    """The office names and contact of this request's site (from the cached chrome),
    or of the default site for an e-mail or notification written outside a request.
    Empty names read as the glossary's defaults (OfficeSettings.name, .ombuds_name)."""
    if request is not None:
        office = site_chrome_for(request=request).office
        if office is not None:
            return office
    office = OfficeSettings.objects.filter(site__is_default_site=True).first()
    return office or OfficeSettings()


def page_translation_urls(*, page: Page) -> dict[str, str | None]:
    """Language code -> URL of the live translation of `page` in that language
    (the page itself included), in one query."""
    translations = (
        page.get_translations(inclusive=True).live().select_related("locale").defer_streamfields()
    )
    return {translation.locale.language_code: translation.url for translation in translations}


def site_chrome_cache_clear() -> None:
    """Retire every cached chrome entry: at once, so this process shows the change
    on its next page, and again when the transaction commits, so that an entry
    another process built from the database before the commit is never read."""
    cache_generations.renew(_GENERATION_KEY)
    transaction.on_commit(lambda: cache_generations.renew(_GENERATION_KEY))


def _chrome_data(request: HttpRequest, language: str) -> dict:
    # Only builtins go into the cache: a pickled class would break the next deploy.
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    home = root.localized if root else None
    footer_pages = []
    menu: list = []
    if home is None:
        home_url = f"/{language}/"
    else:
        home_url = home.url
        # One query for both: the menu, and the footer's privacy/accessibility pages.
        children = (
            home.get_children()
            .live()
            .filter(Q(show_in_menus=True) | Q(slug__in=FOOTER_PAGE_SLUGS))
            .specific(defer=True)
        )
        menu, found = [], {}
        for item in children:
            entry = [item.pk, item.title, item.get_url(request=request)]
            if item.show_in_menus:
                menu.append(entry)
            if item.slug in FOOTER_PAGE_SLUGS:
                found[item.slug] = entry
        footer_pages = [found[slug] for slug in FOOTER_PAGE_SLUGS if slug in found]
    office = None
    if site is not None:
        # Not Wagtail's for_request: its get_or_create would write on a GET, and
        # that save would retire the entry this very request is building.
        settings = OfficeSettings.objects.filter(site=site).first() or OfficeSettings(site=site)
        office = {
            field.attname: getattr(settings, field.attname)
            for field in OfficeSettings._meta.concrete_fields
        }
    return {"home_url": home_url, "menu": menu, "office": office, "footer_pages": footer_pages}


def _site_key(request: HttpRequest) -> str:
    # The host and port Wagtail picks the site by (Site.find_for_request), so a
    # cached entry needs no site query; hashed, as a Host header is sender-chosen.
    hostname = split_domain_port(request._get_raw_host())[0]  # type: ignore[attr-defined]
    return hashlib.sha256(f"{hostname}:{request.get_port()}".encode()).hexdigest()[:32]
