"""A caseworker enrols a second factor in the browser, then opens casework."""

import base64

import pytest

from tests.browser.steps import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_enrolment(live_server, site_pages, page, axe_violations, lang):
    from django_otp.oath import totp

    from tests import factories

    caseworker = factories.caseworker()
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.fill("input[name=username]", caseworker.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/{lang}/casework/")
    assert "/accounts/second-factor/" in page.url  # sent to enrol, not to the cases
    assert page.locator("main figure svg").count() == 1
    assert axe_violations(page) == []
    secret = page.locator("main p code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=token]", f"{totp(key):06d}")
    click_through(page, "main button[type=submit]")

    # Wait for the answer page (a condition, not a time), then count.
    page.locator("main ul.recovery-codes li").first.wait_for()
    assert page.locator("main ul.recovery-codes li").count() == 10
    assert axe_violations(page) == []
    page.click("main a.button")
    page.wait_for_url(lambda url: url.endswith(f"/{lang}/casework/"))
    assert page.locator("main h1").count() == 1
