"""The receipt page's script: it asks before the person leaves without having
confirmed they saved their receipt, stops asking once they confirm, and offers a
copy button that exists only where it works. Without JavaScript the page still
does everything it must."""

import pytest

from .complaint_form import fill_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNS_ON_LEAVE = """() => {
    const event = new Event("beforeunload", {cancelable: true});
    window.dispatchEvent(event);
    return event.defaultPrevented;
}"""


def file_anonymous_complaint(page, base_url, lang="en"):
    fill_intake(page, base_url, lang, identity="anonymous")


def test_leaving_before_confirming_asks_first_and_confirming_stops_asking(
    live_server, site_pages, page
):
    dialogs = []

    def refuse_to_leave(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", refuse_to_leave)
    file_anonymous_complaint(page, live_server.url)
    receipt_url = page.url
    assert page.evaluate(WARNS_ON_LEAVE) is True
    # Chromium asks only on a page the person has interacted with.
    page.check("#id_saved")
    with page.expect_event("dialog"):
        page.click(".site-name")
    assert dialogs == ["beforeunload"]
    assert page.url == receipt_url
    assert page.locator(".receipt-group").count() == 4

    # Were the warning still there, this submission would raise a second dialog,
    # and its dismissal would keep the person on this page.
    page.click("main form[action$='/new/saved/'] button[type=submit]")
    page.wait_for_url("**/en/complaints/status/")
    assert dialogs == ["beforeunload"]


def test_an_unticked_box_is_no_confirmation(live_server, site_pages, page):
    file_anonymous_complaint(page, live_server.url)
    # Browser validation would stop this submission; dispatching the event shows
    # what happens where a browser lets it through.
    page.evaluate(
        """() => document.querySelector("form[data-receipt-saved]")
            .dispatchEvent(new Event("submit", {cancelable: true}))"""
    )
    assert page.evaluate(WARNS_ON_LEAVE) is True
    page.check("#id_saved")
    page.evaluate(
        """() => document.querySelector("form[data-receipt-saved]")
            .dispatchEvent(new Event("submit", {cancelable: true}))"""
    )
    assert page.evaluate(WARNS_ON_LEAVE) is False


@pytest.mark.parametrize(("lang", "copied"), [("ko", "복사했습니다"), ("en", "Copied")])
def test_copy_button_copies_the_receipt_and_says_so(
    live_server, site_pages, browser, axe_violations, lang, copied
):
    context = browser.new_context(java_script_enabled=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        file_anonymous_complaint(page, live_server.url, lang)
        receipt = "-".join(page.locator(".receipt-group").all_inner_texts())
        button = page.locator("[data-copy] button")
        assert button.is_visible()
        assert axe_violations(page) == []
        button.click()
        status = page.locator("[data-copy] [role=status]")
        status.filter(has_text=copied).wait_for()
        assert page.evaluate("() => navigator.clipboard.readText()") == receipt
        assert axe_violations(page) == []
    finally:
        context.close()


def test_without_javascript_no_copy_button_and_confirming_works(live_server, site_pages, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        file_anonymous_complaint(page, live_server.url)
        assert page.locator("[data-copy]").count() == 1
        assert not page.locator("[data-copy] button").is_visible()
        page.check("#id_saved")
        page.click("main form[action$='/new/saved/'] button[type=submit]")
        page.wait_for_url("**/en/complaints/status/")
    finally:
        context.close()
