"""Live pages that stay whole (issue 20), as readers would see them: a reader
has the consultation open (phone and desktop, Korean and English) while
another resident posts a comment through the page's form; the reader's page
offers it, shows it with its date, stance and section exactly as a reload
would, and the count beside the heading moves. axe-core finds nothing.

Runs on SQLite and the in-memory layer under uvicorn in this process
(tests/browser/conftest.AsgiLiveServer); the comment goes through the server,
so its event is published on the server's own loop, as in production."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.consultations.test_live_fragments import translate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
STANCE = {"ko": "찬성", "en": "For"}
BODY = {"ko": "강변 산책로에 벤치를 더 놓아 주세요.", "en": "Please add benches along the river."}


def sign_in(page, base: str, user, language: str) -> None:
    page.goto(f"{base}/{language}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def outer(page, selector: str) -> str:
    return page.locator(selector).evaluate("node => node.outerHTML")


def test_a_comment_by_another_resident_arrives_whole(
    asgi_live_server, browser, consultation, axe_violations
):
    base = asgi_live_server.url
    pages = {"ko": consultation, "en": translate(consultation)}
    poster = factories.resident()
    posting = browser.new_context()
    form = posting.new_page()
    sign_in(form, base, poster, "ko")
    count = 0
    try:
        for language, consultation_page in pages.items():
            section = consultation_page.sections()[0]
            for size, viewport in VIEWPORTS.items():
                reader_context = browser.new_context(viewport=viewport)
                reader = reader_context.new_page()
                reader.goto(f"{base}{consultation_page.url}")
                expect(reader.locator("#live-connection")).to_have_attribute("data-state", "open")
                heading = reader.locator("[data-comment-count]")
                expect(heading).to_have_text(str(count))

                body = f"{BODY[language]} ({size})"
                form.goto(f"{base}{consultation_page.url}")
                form.select_option("#id_section", section["anchor"])
                form.fill("#id_body", body)
                form.check("input[name=stance][value=for]")
                form.click("form.comment-form button[type=submit]")
                form.wait_for_url(re.compile(r"#comment-\d+$"))
                comment_id = int(form.url.rsplit("-", 1)[1])
                count += 1

                # The count moves at once; the comment waits for the reader's click.
                expect(heading).to_have_text(str(count))
                notice = reader.locator("#live-comments button")
                expect(notice).to_have_text(
                    reader.locator("#live-comments").get_attribute("data-template-one")
                )
                notice.click()
                live = reader.locator(f"#comment-{comment_id}")
                expect(live).to_be_focused()
                expect(live.locator(".comment-body")).to_have_text(body)
                expect(live.locator("time")).to_have_count(1)
                expect(live.locator(".status")).to_have_text(STANCE[language])
                expect(live.locator(f'a[href="#section-{section["anchor"]}"]')).to_have_text(
                    section["title"]
                )
                expect(live.get_by_role("link", name=re.compile("Report|신고"))).to_have_count(1)
                assert axe_violations(reader) == [], (language, size)
                if shots := os.environ.get("SHOTS_DIR"):  # for a person to look at
                    live.scroll_into_view_if_needed()
                    reader.screenshot(path=f"{shots}/live-comment-{language}-{size}.png")

                shown = outer(reader, f"#comment-{comment_id}").replace(' tabindex="-1"', "")
                reader.reload()
                assert outer(reader, f"#comment-{comment_id}") == shown, (language, size)
                expect(heading).to_have_text(str(count))
                reader_context.close()
    finally:
        posting.close()
