"""A moderator clears the one moderation queue: a reported comment, proposal and
petition listed together, two of them ticked and hidden with one reason in one
go, in both languages on a phone and a desktop. axe-core finds no violation."""

import pytest

from tests import factories
from tests.browser.steps import click_through

# The consultation fixtures (make_consultation, index_page) come from the browser conftest.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def reported(site_pages, consultation):
    from consultations import services as consultation_services
    from moderation import services
    from tests.petitions.factories import PetitionFactory

    author, reporter = factories.resident(), factories.resident()
    comment = consultation_services.comment_create(
        page=consultation, author=author, body="Cheap pills here"
    )
    proposal = consultation_services.proposal_create(
        page=consultation, author=author, title="Ramps at the station", body="Please."
    )
    petition = PetitionFactory(creator=author, title="Buy my watches")
    for item in (comment, proposal, petition):
        services.report_create(user=reporter, target=item, reason="spam")
    return comment, proposal, petition


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_moderator_bulk_hides_from_the_queue(
    live_server, browser, login, axe_violations, reported, lang, device
):
    comment, proposal, petition = reported
    context = browser.new_context(viewport=VIEWPORTS[device])
    page = context.new_page()
    try:
        login(page, factories.moderator(), lang)
        page.goto(f"{live_server.url}/{lang}/moderation/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main input[name=items]").count() == 3
        assert axe_violations(page) == []
        page.check(f"#select-comment-{comment.pk}")
        page.check(f"#select-petition-{petition.pk}")
        page.check("main input[name=action][value=hide]")
        page.select_option("#id_reason", "spam")
        click_through(page, "main .moderation-bulk-actions button[type=submit]")
        assert page.locator(".messages").is_visible()
        # What was hidden left the list of reported items; the proposal waits still.
        assert page.locator("main input[name=items]").count() == 1
        assert page.locator(f"#select-proposal-{proposal.pk}").count() == 1
        assert axe_violations(page) == []
        page.goto(f"{live_server.url}/{lang}/moderation/?status=hidden")
        assert page.locator("main input[name=items]").count() == 2
        assert axe_violations(page) == []
        # The public sees the reason as a sentence in their language.
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/{lang}/petitions/{petition.pk}/")
        sentence = page.locator("main .comment-hidden").inner_text()
        assert ("광고나 스팸" in sentence) if lang == "ko" else ("advertising or spam" in sentence)
        assert "Buy my watches" not in page.content()
        assert axe_violations(page) == []
    finally:
        context.close()
