"""Lists people can scan (issue 20): closing dates and phases on every
consultation card, and `lang` on user-written text in the language the page
is not in (core.content_language)."""

import re

import pytest
from django.utils import dateformat, timezone

from consultations import services
from core.content_language import detect, lang_attribute
from tests.petitions.factories import PetitionFactory

from .test_live_fragments import translate

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("<p>광주 인권 조례에 찬성합니다.</p>", "ko"),
        ("<p>UN 권고에 따라 NGO와 협력해야 합니다.</p>", "ko"),  # Latin acronyms in Korean
        ("<p>More benches along the river, please.</p>", "en"),
        ('<p><a href="https://example.org/very/long/path">링크</a> 참고하세요</p>', "ko"),
        ("<p>2026 👍</p>", ""),
    ],
)
def test_the_language_of_a_text(text, language):
    assert detect(text) == language


def test_lang_is_said_only_for_the_other_language():
    assert lang_attribute("한국어 의견입니다", page_language="en") == ' lang="ko"'
    assert lang_attribute("한국어 의견입니다", page_language="ko") == ""
    assert lang_attribute("An English comment", page_language="ko") == ' lang="en"'
    assert lang_attribute("123", page_language="ko") == ""


def _body(html: str, pk: int) -> str:
    match = re.search(rf'id="comment-{pk}".*?(<div class="comment-body"[^>]*>)', html, re.DOTALL)
    assert match
    return match.group(1)


def test_comments_and_proposals_carry_lang_in_the_other_language(
    client_for, consultation, resident
):
    page_en = translate(consultation)
    korean = services.comment_create(
        page=consultation, author=resident, body="<p>광주 인권 조례에 찬성합니다.</p>"
    )
    english = services.comment_create(
        page=consultation, author=resident, body="<p>I support the ordinance.</p>", language="ko"
    )
    proposal = services.proposal_create(
        page=consultation,
        author=resident,
        title="공원에 벤치를 더 놓아 주세요",
        body="<p>강변에</p>",
    )
    client = client_for(None)
    html_ko = client.get(consultation.url).content.decode()
    html_en = client.get(page_en.url).content.decode()
    assert _body(html_ko, korean.pk) == '<div class="comment-body">'
    assert _body(html_ko, english.pk) == '<div class="comment-body" lang="en">'
    assert _body(html_en, korean.pk) == '<div class="comment-body" lang="ko">'
    assert _body(html_en, english.pk) == '<div class="comment-body">'
    link = f'href="/en/consultations/proposals/{proposal.pk}/" lang="ko">'
    assert link in html_en
    assert f'href="/ko/consultations/proposals/{proposal.pk}/">' in html_ko
    detail = client.get(f"/en/consultations/proposals/{proposal.pk}/").content.decode()
    assert '<h1 lang="ko">' in detail and '<div lang="ko"><p>강변에</p></div>' in detail


def test_petitions_carry_lang_in_the_other_language(client_for):
    petition = PetitionFactory(
        title="강변에 벤치를 더 놓아 주세요",
        action="강변 산책로에 벤치를 놓아 주세요.",
        background="Older people cannot walk far without a rest.",
    )
    client = client_for(None)
    detail_en = client.get(f"/en/petitions/{petition.pk}/").content.decode()
    assert '<h1 lang="ko">' in detail_en
    assert '<p lang="ko">강변 산책로에' in detail_en
    assert "<p>Older people" in detail_en  # the English part says nothing
    detail_ko = client.get(f"/ko/petitions/{petition.pk}/").content.decode()
    assert "<h1>" in detail_ko and '<p lang="en">Older people' in detail_ko
    listing = client.get("/en/petitions/").content.decode()
    assert f'href="/en/petitions/{petition.pk}/" lang="ko">' in listing


def test_consultation_cards_show_phase_and_dates(client_for, make_consultation, index_page):
    upcoming = make_consultation("upcoming", title="Upcoming draft")
    open_ = make_consultation("open", title="Open draft")
    closed = make_consultation("closed", title="Closed draft")
    html = client_for(None).get(index_page.url).content.decode()
    cards = {
        page.pk: re.search(
            rf'<li class="card">\s*<h2><a href="{re.escape(page.url)}">.*?</li>', html, re.DOTALL
        ).group(0)
        for page in (upcoming, open_, closed)
    }

    def when(value):
        return f'<time datetime="{dateformat.format(timezone.localtime(value), "c")}">'

    assert "시작일" in cards[upcoming.pk] and when(upcoming.opens_at) in cards[upcoming.pk]
    for page in (upcoming, open_, closed):
        assert "마감일" in cards[page.pk] and when(page.closes_at) in cards[page.pk]
        assert f'class="status status-{page.phase}"' in cards[page.pk]
    assert "시작일" not in cards[open_.pk]
