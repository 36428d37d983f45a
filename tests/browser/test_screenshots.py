"""Screenshots of every page type at 390x844 and 1280x800 in both languages, for
people to look at (issue 13). Runs only when HRC_SCREENSHOTS names a folder:

    HRC_SCREENSHOTS=screenshots .venv/bin/python -m pytest \\
        tests/browser/test_screenshots.py -m browser

(`screenshots/` is ignored by git.)"""

import os
from pathlib import Path

import pytest

from tests.browser.steps import click_through
from tests.petitions.factories import PetitionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("HRC_SCREENSHOTS"), reason="set HRC_SCREENSHOTS=<folder>"
    ),
]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_screenshots_of_every_page_type(live_server, site_pages, browser, lang):
    folder = Path(os.environ["HRC_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    petition = PetitionFactory(title="광주천 산책로에 쉼터 벤치를 놓아 주세요")
    pages = {
        "home": "",
        "standard-page": "charter/",
        "complaint-form": "complaints/new/",
        "complaint-status": "complaints/status/",
        "petition-list": "petitions/",
        "petition-detail": f"petitions/{petition.pk}/",
        "consultation-index": "consultations/",
        "login": "accounts/login/",
        "signup": "accounts/signup/",
        "not-found": "no-such-page/",
    }
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{live_server.url}/{lang}/{path}")
            page.screenshot(path=folder / f"{name}-{lang}-{size}.png", full_page=True)
        page.goto(f"{live_server.url}/{lang}/accounts/signup/")
        click_through(page, "main button[type=submit]")
        page.screenshot(path=folder / f"form-errors-{lang}-{size}.png", full_page=True)
        if size == "phone":
            page.click(".mobile-menu summary")
            page.screenshot(path=folder / f"menu-open-{lang}-{size}.png")
        context.close()
