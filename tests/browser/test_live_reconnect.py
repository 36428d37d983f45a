"""Pages that reconnect and catch up (issue 11): the server drops a
consultation page's socket (a restart), a comment is posted while the page is
away, and when the server is back the page reconnects on its own, says so
quietly, and offers that comment exactly once.

Runs on SQLite and the in-memory layer, and on PostgreSQL and Redis (CI's
second pass runs it with `-m "not browser or live"`)."""

import pytest
from playwright.sync_api import expect

from consultations import services

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]


def test_a_dropped_page_reconnects_and_shows_what_it_missed(
    asgi_live_server, consultation, resident, page
):
    shown = services.comment_create(page=consultation, author=resident, body="<p>Before.</p>")
    page.goto(f"{asgi_live_server.url}{consultation.url}")
    expect(page.locator(f"#comment-{shown.pk}")).to_be_visible()
    status = page.locator("#live-connection")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("data-state", "open")
    expect(status).to_have_text("")

    asgi_live_server.stop()
    expect(status).to_have_attribute("data-state", "away")
    expect(status).to_have_text(status.get_attribute("data-reconnecting"))
    missed = services.comment_create(
        page=consultation, author=resident, body="<p>Posted while the page was away.</p>"
    )

    asgi_live_server.start()
    expect(status).to_have_attribute("data-state", "open", timeout=20_000)
    expect(status).to_have_text("")
    notice = page.locator("#live-comments button")
    expect(notice).to_have_text(page.locator("#live-comments").get_attribute("data-template-one"))
    notice.click()
    expect(page.locator(f"#comment-{missed.pk}")).to_have_count(1)
    expect(page.locator(f"#comment-{missed.pk}")).to_contain_text("Posted while the page was away.")
    expect(page.locator(f"#comment-{shown.pk}")).to_have_count(1)
    expect(page.locator("#live-comments button")).to_have_count(0)
