import pytest
from django.urls import reverse
from wagtail.models import Locale

from cms.models import HomePage, OfficeSettings, StandardPage

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(site_pages):
    from io import StringIO

    site_pages.seed(stdout=StringIO())
    assert HomePage.objects.count() == 2
    assert StandardPage.objects.filter(slug="charter").count() == 2
    assert OfficeSettings.objects.count() == 1


def test_charter_content_in_both_languages(client, site_pages):
    korean = client.get("/ko/charter/").content.decode()
    english = client.get("/en/charter/").content.decode()
    assert "5·18 민주화운동" in korean and "세계인권도시포럼" in korean
    assert "May 18 Democratic Uprising" in english
    assert "Memory of the World" in english and "25 May 2011" in english
    assert "World Human Rights Cities Forum" in english


def test_navigation_and_footer(client, site_pages):
    html = client.get("/en/").content.decode()
    assert 'href="/en/charter/"' in html  # the charter is in the menu
    assert "Gwangju City Hall, 111 Naebang-ro" in html  # office settings in the footer
    assert "062-120" in html
    korean = client.get("/ko/").content.decode()
    assert "광주광역시 서구 내방로 111" in korean


def test_translated_pages_share_a_translation_key(site_pages):
    ko = StandardPage.objects.get(slug="charter", locale__language_code="ko")
    en = ko.get_translation(Locale.objects.get(language_code="en"))
    assert en.live and en.translation_key == ko.translation_key


def test_editors_can_submit_a_page_for_translation(client_for, superuser, site_pages):
    page = StandardPage.objects.get(slug="charter", locale__language_code="ko")
    url = reverse("simple_translation:submit_page_translation", args=[page.pk])
    assert client_for(superuser).get(url).status_code == 200


def test_residents_cannot_reach_the_cms_admin(client_for, resident, site_pages):
    response = client_for(resident).get("/cms-admin/")
    assert response.status_code in (302, 403)
