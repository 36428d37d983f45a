"""Accessibility sweep of the consultation pages, in both languages."""

from io import StringIO

import pytest

from tests.browser.steps import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_consultations(site_pages):
    from accounts import demo as accounts_demo
    from consultations import demo

    accounts_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    from consultations.models import Comment, ConsultationPage, Proposal

    return {
        "pages": list(ConsultationPage.objects.live()),
        "comment": Comment.objects.filter(parent__isnull=True).first(),
        "proposal": Proposal.objects.first(),
    }


def _public_paths(data, lang):
    pages = [p for p in data["pages"] if p.locale.language_code == lang]
    return [
        f"/{lang}/consultations/",
        *[p.url for p in pages],
        f"/{lang}/consultations/comments/{data['comment'].pk}/",
        f"/{lang}/consultations/proposals/{data['proposal'].pk}/",
    ]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_public_consultation_pages(live_server, demo_consultations, page, axe_violations, lang):
    for path in _public_paths(demo_consultations, lang):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_resident_forms(
    live_server, demo_consultations, page, login, axe_violations, resident, lang
):
    login(page, resident, lang)
    open_page = next(
        p
        for p in demo_consultations["pages"]
        if p.locale.language_code == lang and p.phase == "open"
    )
    page.goto(live_server.url + open_page.url)
    assert page.locator("textarea[name=body]").count() == 1
    assert axe_violations(page) == []
    for path in (
        f"/{lang}/consultations/{open_page.pk}/proposals/new/",
        f"/{lang}/consultations/comments/{demo_consultations['comment'].pk}/report/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
        click_through(page, "main button[type=submit]")
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == [], path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_office_pages(live_server, demo_consultations, page, login, axe_violations, lang):
    from tests import factories

    staff = factories.UserFactory(roles=["supervisor", "moderator"])
    login(page, staff, lang)
    open_page = next(
        p
        for p in demo_consultations["pages"]
        if p.locale.language_code == lang and p.phase == "open"
    )
    for path in (
        f"/{lang}/consultations/{open_page.pk}/summary/",
        f"/{lang}/consultations/moderation/",
        f"/{lang}/consultations/proposals/{demo_consultations['proposal'].pk}/answer/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], path
