"""Accessibility sweep of the complaint form and the caseworkers' workspace, in both languages."""

from io import StringIO

import pytest

from tests.browser.steps import click_through

from .complaint_form import fill_intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_cases(site_pages):
    from accounts import demo as accounts_demo
    from complaints import demo

    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    from accounts.models import User
    from complaints.models import Complaint
    from tests.factories import PASSWORD

    users = {u.username: u for u in User.objects.all()}
    for user in users.values():  # the login fixture signs in with the factories' password
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    case = Complaint.objects.filter(status="investigating").first()
    return users, case


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_complaint_form_and_its_errors(live_server, site_pages, page, axe_violations, lang):
    page.goto(f"{live_server.url}/{lang}/complaints/new/")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    click_through(page, "main form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    fill_intake(page, live_server.url, lang, send=False)
    assert axe_violations(page) == []  # check your answers
    click_through(page, "main form button[type=submit]")  # without consent
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_anonymous_submission_and_receipt_page(live_server, site_pages, page, axe_violations, lang):
    fill_intake(page, live_server.url, lang)
    assert page.locator("main strong").first.inner_text().startswith("HR-")
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_workspace_pages(live_server, demo_cases, page, login, axe_violations, lang):
    users, case = demo_cases
    login(page, users["supervisor"], lang)
    for path in ("casework/", "casework/?view=all", "casework/?view=overdue"):
        page.goto(f"{live_server.url}/{lang}/{path}")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/{lang}/casework/{case.reference}/")
    assert case.reference in page.content()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_caseworker_and_resident_pages(live_server, demo_cases, page, login, axe_violations, lang):
    users, case = demo_cases
    from complaints.models import Complaint

    login(page, users["caseworker1"], lang)
    page.goto(f"{live_server.url}/{lang}/casework/")
    assert axe_violations(page) == []
    mine = Complaint.objects.filed_by(users["resident1"]).first()
    page.context.clear_cookies()
    login(page, users["resident1"], lang)
    page.goto(f"{live_server.url}/{lang}/complaints/mine/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/complaints/{mine.reference}/")
    assert axe_violations(page) == []
