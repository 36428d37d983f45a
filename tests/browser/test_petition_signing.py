"""Signing a petition as a resident would: on a phone in Korean without
JavaScript and on a desktop in English with it. The page they are sent back
to counts their signature at once, before the task worker's fold (there is
none beside the live server), and reloading it signs nothing twice."""

import pytest

from petitions.models import Signature
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.steps import click_through
from tests.petitions.factories import PetitionFactory, add_signatures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGN = 'main form[action$="/sign/"] button[type=submit]'
COUNTED = {"ko": "공식 답변에 필요한 서명 10명 중 5명", "en": "5 signatures of 10 needed"}


@pytest.mark.parametrize(
    "lang,javascript,viewport",
    [("ko", False, {"width": 390, "height": 844}), ("en", True, {"width": 1280, "height": 900})],
)
def test_a_signer_sees_their_signature_counted(
    live_server, browser, login, site_pages, lang, javascript, viewport
):
    petition = PetitionFactory(title="광주천 산책로에 쉼터 벤치를 놓아 주세요", threshold=10)
    add_signatures(petition, 4)
    context = browser.new_context(java_script_enabled=javascript, viewport=viewport)
    page = context.new_page()
    try:
        login(page, factories.resident(), lang)
        address = f"{live_server.url}/{lang}/petitions/{petition.pk}/"
        page.goto(address)
        click_through(page, SIGN)
        screenshot(page, f"petition-signed-{lang}-{viewport['width']}.png")

        assert COUNTED[lang] in page.locator("#progress-text").inner_text()
        assert page.locator("progress").get_attribute("value") == "5"
        page.reload()  # the page after the POST, shown again: nothing signed twice
        page.goto(address)
        assert COUNTED[lang] in page.locator("#progress-text").inner_text()
        assert Signature.objects.filter(petition=petition).count() == 5
    finally:
        context.close()
