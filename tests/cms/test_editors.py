"""The demo editor writes and translates pages; the Human Rights Ordinance in
both languages (CONTRACT.md section 2)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale

from accounts import demo as accounts_demo
from accounts.models import User
from cms.models import StandardPage
from tests import factories

pytestmark = pytest.mark.django_db


def test_ordinance_in_both_languages(client, site_pages):
    korean = client.get("/ko/ordinance/")
    english = client.get("/en/ordinance/")
    assert korean.status_code == english.status_code == 200
    assert "광주광역시 인권 기본 조례" in korean.content.decode()
    assert "Gwangju Human Rights Ordinance" in english.content.decode()
    ko = StandardPage.objects.get(slug="ordinance", locale__language_code="ko")
    assert ko.get_translation(Locale.objects.get(language_code="en")).live
    site_pages.seed(stdout=StringIO())
    assert StandardPage.objects.filter(slug="ordinance").count() == 2


def test_demo_editor_is_in_the_editors_group():
    accounts_demo.seed(stdout=StringIO())
    accounts_demo.seed(stdout=StringIO())
    editor = User.objects.get(username="editor")
    assert editor.check_password(accounts_demo.demo_password())
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert editor.has_perm("wagtailadmin.access_admin")


def _translate_url(page) -> str:
    return reverse("simple_translation:submit_page_translation", args=[page.pk])


def test_an_editor_may_open_the_translate_view_and_translate(client_for, site_pages):
    editor = factories.UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    page = StandardPage.objects.get(slug="charter", locale__language_code="ko")
    page.get_translation(Locale.objects.get(language_code="en")).delete()
    client = client_for(editor)
    response = client.get(_translate_url(page))
    assert response.status_code == 200  # not sent back to the dashboard
    en = Locale.objects.get(language_code="en")
    response = client.post(_translate_url(page), {"locales": [en.pk]})
    assert response.status_code == 302
    assert StandardPage.objects.filter(translation_key=page.translation_key, locale=en).exists()


def test_a_resident_may_not_translate(client_for, resident, site_pages):
    page = StandardPage.objects.get(slug="charter", locale__language_code="ko")
    response = client_for(resident).get(_translate_url(page))
    assert response.status_code in (302, 403)
    assert "/admin/translation/" not in response.get("Location", "")
