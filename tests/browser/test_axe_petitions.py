"""Accessibility sweep of the petition pages, in both languages."""

import pytest

from petitions.models import Petition
from tests import factories
from tests.browser.steps import click_through
from tests.petitions.factories import PetitionFactory, add_signatures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = Petition.Status


@pytest.fixture
def petitions(site_pages):
    open_ = PetitionFactory(title="Ramps at the library", threshold=10)
    add_signatures(open_, 4)
    answered = PetitionFactory(
        status=S.ANSWERED, answer="<p>We will build them.</p>", title="Benches"
    )
    waiting = PetitionFactory(status=S.AWAITING_MODERATION, title="Night buses")
    awaiting = PetitionFactory(status=S.AWAITING_RESPONSE, title="Signs")
    return {"open": open_, "answered": answered, "waiting": waiting, "awaiting": awaiting}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_public_petition_pages(live_server, page, axe_violations, petitions, lang):
    for path in (
        "petitions/",
        "petitions/?status=answered&sort=closing&q=Ben",
        f"petitions/{petitions['open'].pk}/",
        f"petitions/{petitions['answered'].pk}/",
    ):
        page.goto(f"{live_server.url}/{lang}/{path}")
        assert page.locator("html").get_attribute("lang") == lang
        assert axe_violations(page) == [], path


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_resident_petition_pages(live_server, page, login, axe_violations, petitions, lang):
    resident = factories.resident()
    login(page, resident, lang)
    page.goto(f"{live_server.url}/{lang}/petitions/{petitions['open'].pk}/")
    assert page.locator("progress").count() == 1
    assert axe_violations(page) == []
    click_through(page, "main form button[type=submit]")  # sign without JavaScript-only controls
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/petitions/new/")
    assert axe_violations(page) == []
    click_through(page, "main form button[type=submit]")  # empty form: error summary
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{lang}/petitions/mine/")
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_staff_petition_pages(live_server, page, login, axe_violations, petitions, lang):
    login(page, factories.moderator(), lang)
    for path in ("petitions/moderation/", f"petitions/{petitions['waiting'].pk}/"):
        page.goto(f"{live_server.url}/{lang}/{path}")
        assert axe_violations(page) == [], path
    click_through(page, "main form button[type=submit]")  # no decision chosen: errors
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    login(page, factories.supervisor(), lang)
    page.goto(f"{live_server.url}/{lang}/petitions/{petitions['awaiting'].pk}/answer/")
    assert axe_violations(page) == []
