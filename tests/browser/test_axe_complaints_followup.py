"""The complainant's follow-up pages (receipt check, case view, reply, evidence,
withdraw) pass axe in both languages, and work with JavaScript off."""

import pytest

from tests.browser.steps import click_through

from .complaint_form import fill_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def anonymous_case(site_pages):
    from complaints import services
    from tests import factories

    supervisor, caseworker = factories.supervisor(), factories.caseworker()
    submission = services.complaint_submit(
        grounds=["age"], description="The gym refused me at the door.", anonymous=True
    )
    complaint = submission.complaint
    services.complaint_assign(complaint=complaint, actor=supervisor, caseworker=caseworker)
    services.complaint_message_post(
        complaint=complaint, author=caseworker, body="When did it happen?"
    )
    return complaint, submission.receipt


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_status_case_view_and_forms_pass_axe(
    live_server, anonymous_case, page, axe_violations, lang
):
    complaint, receipt = anonymous_case
    page.goto(f"{live_server.url}/{lang}/complaints/status/")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    page.fill("#id_receipt", "0000-0000-0000-0000")
    click_through(page, "main button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.fill("#id_receipt", receipt)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/{lang}/complaints/{complaint.reference}/")
    assert "When did it happen?" in page.content()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/complaints/{complaint.reference}/withdraw/")
    assert axe_violations(page) == []
    click_through(page, "main button[type=submit]")  # without the tick: an error, not a withdrawal
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_receipt_page_with_its_saved_step_passes_axe(
    live_server, site_pages, page, axe_violations, lang
):
    fill_intake(page, live_server.url, lang)
    assert page.locator(".receipt-group").count() == 4
    assert axe_violations(page) == []
    page.check("#id_saved")
    page.click("main form[action$='/new/saved/'] button[type=submit]")
    page.wait_for_url(f"**/{lang}/complaints/status/")
    assert axe_violations(page) == []


def test_status_check_reply_and_upload_work_with_javascript_off(
    live_server, anonymous_case, browser, tmp_path
):
    from complaints.models import Complaint

    complaint, receipt = anonymous_case
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/complaints/status/")
        page.fill("#id_receipt", receipt)
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/en/complaints/{complaint.reference}/")
        page.fill("#id_body", "It happened on the 3rd of March.")
        page.click("main form[action$='/messages/'] button[type=submit]")
        page.wait_for_url(f"**/en/complaints/{complaint.reference}/")
        assert "It happened on the 3rd of March." in page.content()
        evidence = tmp_path / "ticket.txt"
        evidence.write_text("Ticket number 42")
        page.set_input_files("#id_file", str(evidence))
        page.click("main form[action$='/files/'] button[type=submit]")
        page.wait_for_url(f"**/en/complaints/{complaint.reference}/")
        assert "ticket.txt" in page.content()
        page.goto(f"{live_server.url}/en/complaints/{complaint.reference}/withdraw/")
        page.check("#id_confirm")
        page.click("main button[type=submit]")
        page.wait_for_url(f"**/en/complaints/{complaint.reference}/")
    finally:
        context.close()
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == "withdrawn"
    assert complaint.messages.filter(from_office=False).count() == 1
    assert complaint.attachments.count() == 1
