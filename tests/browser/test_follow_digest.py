"""A resident follows a consultation, chooses a daily e-mail digest, and after
a new proposal and `manage.py send_digests` reads the digest; then registers
for a full hearing and lands on the waiting list. Phone and desktop, both
languages; axe-core on every page this adds to (issue 20)."""

import datetime
import html

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale

from consultations import services as consultation_services
from events import services as event_services
from tests import factories
from tests.browser.steps import click_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
WORDS = {
    "en": {"following": "You follow this", "waiting": "You are on the waiting list",
           "line": "New proposal: “Ramps at the library”", "saved": "Your choices are saved"},
    "ko": {"following": "구독 중입니다", "waiting": "대기자 명단에 있습니다",
           "line": "새 제안: “Ramps at the library”", "saved": "설정을 저장했습니다"},
}  # fmt: skip


def _in(page, language):
    """The page in `language` (a translation for English)."""
    if language == "ko":
        return page
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = f"{page.title} (English)"
    english.save_revision().publish()
    english.refresh_from_db()
    return english


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_follow_digest_and_waiting_list(
    settings, live_server, page, login, axe_violations, make_consultation, make_event, lang, size
):
    settings.SITE_URL = live_server.url
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    words = WORDS[lang]
    consultation = _in(make_consultation(title="Ordinance on ramps"), lang)
    resident = factories.resident(email="reader@example.org", preferred_language=lang)
    login(page, resident, lang)

    # Follow the consultation from its page (a plain form: no JavaScript needed).
    page.goto(f"{live_server.url}{consultation.url}")
    click_through(page, page.locator(".follow button[type=submit]"))
    assert page.get_by_text(words["following"]).first.is_visible()

    # How often: a daily digest, by e-mail.
    page.goto(f"{live_server.url}/{lang}/me/notifications/")
    assert consultation.title in page.content()
    assert axe_violations(page) == []
    page.check("input[name=consultation][value=daily]")
    page.check("input[name=consultation_email]")
    click_through(page, page.locator("main form.preferences-form button[type=submit]"))
    assert page.get_by_text(words["saved"]).first.is_visible()
    assert page.locator("input[name=consultation][value=daily]").is_checked()
    assert axe_violations(page) == []

    # News, then the digest command: one e-mail, in the reader's language.
    consultation_services.proposal_create(
        page=consultation, author=factories.resident(), title="Ramps at the library", body="Yes."
    )
    assert not mail.outbox  # daily: nothing as it happens
    call_command("send_digests", period="daily")
    [digest] = mail.outbox
    assert digest.to == ["reader@example.org"]
    page.set_content(
        f'<!doctype html><html lang="{lang}"><head><title>{html.escape(digest.subject)}</title>'
        f"</head><body><main><h1>{html.escape(digest.subject)}</h1>"
        f"<pre>{html.escape(digest.body)}</pre></main></body></html>"
    )
    text = page.locator("pre").inner_text()
    assert consultation.title in text and words["line"] in text
    assert f"{live_server.url}/{lang}/unsubscribe/" in text
    call_command("send_digests", period="daily")
    assert len(mail.outbox) == 1  # never twice

    # A hearing that is full: the resident lands on the waiting list.
    hearing = _in(make_event(capacity=1, days=5, title="Public hearing on ramps"), lang)
    event_services.registration_create(event=hearing, user=factories.resident())
    page.goto(f"{live_server.url}{hearing.url}")
    assert axe_violations(page) == []
    click_through(page, page.locator("main form[action$='/register/'] button[type=submit]"))
    assert page.get_by_text(words["waiting"]).first.is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_past_event_with_minutes(live_server, page, axe_violations, make_event, lang):
    event = make_event(capacity=5, days=1, title="Forum session")
    event.starts_at = timezone.now() - datetime.timedelta(days=2)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.minutes = "<p>The draft was read section by section.</p>"
    event.minutes_url = "https://video.example.org/forum"
    event.save_revision().publish()
    event = _in(event, lang)
    page.goto(f"{live_server.url}{event.url}")
    assert page.get_by_text("section by section").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_follow_a_topic_on_the_indicators_page(live_server, page, login, axe_violations, lang):
    from tests.accountability.conftest import make_indicator

    make_indicator("EQ-01")
    login(page, factories.resident(), lang)
    page.goto(f"{live_server.url}/{lang}/accountability/indicators/")
    assert axe_violations(page) == []
    click_through(page, page.locator("main section .follow button[type=submit]").first)
    assert page.get_by_text(WORDS[lang]["following"]).first.is_visible()
    assert axe_violations(page) == []
