"""Accessibility sweep of the site-wide pages, in both languages."""

import pytest

from tests.browser.steps import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PATHS = [
    "/{lang}/",
    "/{lang}/charter/",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_have_no_axe_violations(
    live_server, site_pages, page, axe_violations, lang, path
):
    page.goto(live_server.url + path.format(lang=lang))
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_signed_in_pages_have_no_axe_violations(
    live_server, site_pages, page, login, axe_violations, resident, lang
):
    login(page, resident, lang)
    for path in ("accounts/profile/", "notifications/", "accounts/password/change/"):
        page.goto(f"{live_server.url}/{lang}/{path}")
        assert axe_violations(page) == [], path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_signup_form_errors_have_no_axe_violations(
    live_server, site_pages, page, axe_violations, lang
):
    page.goto(f"{live_server.url}/{lang}/accounts/signup/")
    click_through(page, "main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
