"""The resident's path through public accountability, in both languages, on a
phone and a desktop: find the indicator for a ground, see its five-year trend,
follow a decision to its recommendation and the department's answer. axe-core
finds no violation on any page, charts included."""

from io import StringIO

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def demo(site_pages):
    from accountability import demo

    demo.seed(stdout=StringIO())


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_indicator_decision_recommendation(
    live_server, browser, axe_violations, demo, lang, device
):
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    try:
        base = f"{live_server.url}/{lang}/accountability"
        page.goto(f"{base}/indicators/")
        assert axe_violations(page) == []
        # Find the indicator for a ground (disability) with the form, without JavaScript tricks.
        page.select_option("#id_ground", "disability")
        page.click("main form button[type=submit]")
        # Each click starts a navigation: wait for the page it leads to, not a time.
        page.wait_for_url("**ground=disability**")
        page.click("main .card-list a >> nth=0")
        expect(page.locator("svg[role=img] desc")).to_have_count(1)  # the trend chart, described
        assert page.locator("main table tbody tr").count() >= 6  # baseline and five targets
        assert axe_violations(page) == []
        screenshot(page, f"accountability/indicator-{lang}-{device}.png")
        # A published decision, to its recommendation and the department's answer.
        page.goto(f"{base}/decisions/?ground=age")
        assert axe_violations(page) == []
        page.click("main .card-list a >> nth=0")
        expect(page.locator("#easy-read")).to_have_count(1)
        assert axe_violations(page) == []
        page.click("main ul a[href*='/recommendations/'] >> nth=0")
        expect(page.locator("#answer")).to_have_count(1)
        assert page.locator("blockquote").is_visible()  # the department's answer
        assert axe_violations(page) == []
        for path in (
            "",
            "statistics/",
            "statistics/?by=channel",
            "recommendations/?status=rejected",
        ):
            page.goto(f"{base}/{path}")
            assert axe_violations(page) == [], path
        page.goto(f"{live_server.url}/{lang}/search/?q=%EC%B0%A8%EB%B3%84")
        assert axe_violations(page) == []
    finally:
        context.close()
