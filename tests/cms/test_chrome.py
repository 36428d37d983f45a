"""The site chrome (home link, main menu, language switcher, office contact):
a fixed, small number of queries per page, and never out of date."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Site

from cms.models import OfficeSettings, StandardPage

pytestmark = pytest.mark.django_db


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _render_base(page=None) -> int:
    """Render the base template alone for a new anonymous request; its queries."""
    request = RequestFactory().get("/en/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        html = render_to_string("base.html", {"page": page}, request=request)
    assert "Gwangju City Hall" in html
    return len(queries)


def _add_menu_page(parent, title: str, slug: str, *, publish: bool = True) -> StandardPage:
    page = parent.add_child(
        instance=StandardPage(title=title, slug=slug, show_in_menus=True, live=False)
    )
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def _menu(client, path: str = "/en/") -> str:
    html = client.get(path).content.decode()
    start = html.index('<nav class="main-nav"')
    return html[start : html.index("</nav>", start)]


def test_chrome_costs_no_query_once_cached(site_pages):
    charter = StandardPage.objects.get(slug="charter", locale__language_code="en")
    home = site_pages.home_page("en")
    _render_base(charter)  # Wagtail's own per-process cache of site root paths
    for size in (1, 10):
        for i in range(size):
            _add_menu_page(home, f"Page {size}.{i}", f"page-{size}-{i}")
        # The first page after a change builds the chrome of this site and
        # language: the site, the locale and the home in this language, the menu,
        # the office; then the switcher's query.
        assert _render_base(charter) == 5 + 1
        # Every later page reads the chrome and the page's translations (the
        # switcher's links, cms/routing.py) from the cache.
        assert _render_base(charter) == 0
        assert _render_base() == 0


def test_a_page_that_is_not_wagtails_runs_no_chrome_query(client, site_pages):
    client.get("/en/accounts/login/")
    assert _count(client, "/en/accounts/login/") == 0
    html = client.get("/en/accounts/login/").content.decode()
    assert 'href="/en/charter/"' in html and "Gwangju City Hall" in html


def test_menu_shows_a_page_as_soon_as_it_is_published(client, site_pages):
    home = site_pages.home_page("en")
    draft = _add_menu_page(home, "Accessibility", "access-guide", publish=False)
    assert "/en/access-guide/" not in _menu(client)
    draft.save_revision().publish()
    assert '<li><a href="/en/access-guide/">Accessibility</a></li>' in _menu(client)
    assert "/ko/access-guide/" not in _menu(client, "/ko/")


def test_menu_follows_edits_unpublishing_moves_and_deletion(client, site_pages):
    home = site_pages.home_page("en")
    page = _add_menu_page(home, "Accessibility", "access-guide")
    assert "Accessibility" in _menu(client)

    page.title = "Access for everyone"
    page.save_revision().publish()
    assert "Access for everyone" in _menu(client)

    page.unpublish()
    assert "Access for everyone" not in _menu(client)

    page.save_revision().publish()
    charter = StandardPage.objects.get(slug="charter", locale__language_code="en")
    page.move(charter, pos="last-child")
    menu = _menu(client)
    assert "Access for everyone" not in menu and 'href="/en/charter/"' in menu

    page.move(home, pos="last-child")
    assert "/en/access-guide/" in _menu(client)
    page.delete()
    assert "/en/access-guide/" not in _menu(client)


def test_a_live_page_added_without_publishing_shows_at_once(client, site_pages):
    # Scripts and data migrations add live pages with add_child alone.
    _menu(client)
    site_pages.home_page("en").add_child(
        instance=StandardPage(title="Annual report", slug="report", show_in_menus=True)
    )
    assert '<a href="/en/report/">Annual report</a>' in _menu(client)


def test_footer_shows_a_change_of_office_details_at_once(client, site_pages):
    assert "062-120" in client.get("/en/").content.decode()
    office = OfficeSettings.objects.get()
    office.phone = "062-613-2000"
    office.save()
    html = client.get("/en/").content.decode()
    assert 'href="tel:062-613-2000"' in html and "062-120" not in html


def test_a_site_without_office_details_gets_the_default_footer_without_a_write(client, site_pages):
    OfficeSettings.objects.all().delete()
    client.get("/en/accounts/login/")
    assert _count(client, "/en/accounts/login/") == 0
    assert not OfficeSettings.objects.exists()
    assert "Human Rights Office</h2>" in client.get("/en/accounts/login/").content.decode()


def test_menu_belongs_to_the_site_of_the_request(client, site_pages):
    charter = StandardPage.objects.get(slug="charter", locale__language_code="ko")
    _add_menu_page(charter, "Article 1", "article-1")
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=charter, site_name="Charter")
    assert 'href="/ko/charter/"' in _menu(client, "/ko/")
    other = _menu(client.__class__(HTTP_HOST="127.0.0.1"), "/ko/")
    assert "Article 1" in other and 'href="/ko/charter/"' not in other


def test_entries_built_before_a_commit_are_not_read_after_it(
    client, site_pages, django_capture_on_commit_callbacks
):
    # Another process may build the menu from the database between a publish and
    # its commit; what it caches then must not outlive the commit.
    client.get("/en/")
    warm = _count(client, "/en/")
    with django_capture_on_commit_callbacks(execute=True):
        _add_menu_page(site_pages.home_page("en"), "Accessibility", "access-guide")
        client.get("/en/")
        assert _count(client, "/en/") == warm
    assert _count(client, "/en/") > warm


def test_switcher_links_to_the_translation_or_falls_back_to_the_same_path(client, site_pages):
    korean = _add_menu_page(site_pages.home_page("ko"), "접근성", "jeopgeunseong")
    english = korean.copy_for_translation(Locale.objects.get(language_code="en"))
    english.slug = "access-guide"
    english.save_revision().publish()
    english.refresh_from_db()
    switcher = 'href="{}" lang="en" hreflang="en"'

    def korean_page() -> str:
        return client.get("/ko/jeopgeunseong/").content.decode()

    assert switcher.format("/en/access-guide/") in korean_page()
    english.unpublish()
    # Without a live translation, the same path under the other language prefix.
    assert switcher.format("/en/jeopgeunseong/") in korean_page()


def test_a_cache_that_is_down_still_renders_the_chrome(client, site_pages, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    from cms import selectors

    real_get = selectors.cache.get

    def get(key, *args, **kwargs):
        if key.startswith("site-chrome"):  # only the chrome's keys fail
            raise RedisDown("cache down")
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(selectors.cache, "get", get)
    response = client.get("/ko/")
    assert response.status_code == 200
    assert 'href="/ko/charter/"' in response.content.decode()  # the menu, built afresh
