"""Any change to what the site publishes makes cached anonymous pages stale:
the navigation, the footer and the page itself may all show it."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core import page_cache

from .models import OfficeSettings


def _invalidate(**kwargs) -> None:
    page_cache.invalidate()


def _invalidate_if_page(instance, **kwargs) -> None:
    if isinstance(instance, Page):
        page_cache.invalidate()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_invalidate, dispatch_uid="page_cache")
    # Deleting a page sends no Wagtail signal of its own; a subclass is the sender.
    post_delete.connect(_invalidate_if_page, dispatch_uid="page_cache")
    # A view restriction added to a live page must take it off the anonymous cache.
    for model in (PageViewRestriction, Site, Locale, OfficeSettings):
        for signal in (post_save, post_delete):
            signal.connect(_invalidate, sender=model, dispatch_uid="page_cache")
