"""Any change to what the site publishes makes the cached site chrome (menu,
footer) and the cached anonymous pages stale."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, PageViewRestriction, Site, get_page_models

from core import page_cache

from .models import OfficeSettings
from .selectors import site_chrome_cache_clear


def _site_changed(**kwargs) -> None:
    site_chrome_cache_clear()
    page_cache.invalidate()


def connect() -> None:
    # Publishing, unpublishing and moving a page all end in the page's save(), as
    # do editors' draft saves and scripts that add live pages directly, so saves
    # and deletes of every page model cover what menus and pages show. A view
    # restriction added to a live page must take it off the anonymous cache.
    models = [*get_page_models(), Site, Locale, OfficeSettings, PageViewRestriction]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(_site_changed, sender=model, dispatch_uid="cms.site_changed")
