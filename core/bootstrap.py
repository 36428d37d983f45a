"""Rows that data migrations create (role groups, Wagtail's root page and
default locale), recreated on demand for databases flushed by transactional
tests. Idempotent."""

from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page

from accounts.roles import Role

from .health import ensure_canary


def ensure_base_data() -> None:
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))

    ensure_canary()
