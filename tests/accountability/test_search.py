"""One search over everything public, in Korean and English. Nothing hidden,
draft or private ever appears (every kind of source has a hidden twin here
that carries the same word)."""

import json

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import StandardPage
from consultations import services as consultation_services
from consultations.models import ConsultationPage
from moderation import services as moderation_services
from petitions.models import Petition
from tests import factories
from tests.accountability.conftest import make_decision, make_indicator, make_recommendation
from tests.petitions.factories import PetitionFactory

pytestmark = pytest.mark.django_db

WORD = "고용차별"  # Hangul without spaces: "용차별" must still find it


def found(client, q, lang="ko"):
    body = client.get("/api/v1/search", {"q": q}, HTTP_ACCEPT_LANGUAGE=lang).json()
    return {(r["type"], r["title"]) for r in body}


@pytest.fixture
def world(site_pages):
    home = site_pages.home_page("ko")
    public = home.add_child(
        instance=StandardPage(title="공개 안내", slug="open-page", intro=f"{WORD} 안내")
    )
    public.save_revision().publish()
    draft = home.add_child(
        instance=StandardPage(
            title="초안 안내", slug="draft-page", intro=f"{WORD} 초안", live=False
        )
    )
    draft.save_revision()
    private = home.add_child(
        instance=StandardPage(title="비공개 안내", slug="private-page", intro=f"{WORD} 비공개")
    )
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    # A live page whose unpublished new revision has the word.
    edited = home.add_child(
        instance=StandardPage(title="수정 중 안내", slug="edited-page", intro="평범한 글")
    )
    edited.save_revision().publish()
    edited.intro = f"{WORD} 미공개 수정"
    edited.save_revision()

    now = timezone.now()
    consultation = home.add_child(
        instance=ConsultationPage(
            title=f"{WORD} 금지 정책",
            slug="policy",
            summary="초안",
            easy_read_summary="쉬운 말",
            department="인권담당관",
            opens_at=now - timezone.timedelta(days=1),
            closes_at=now + timezone.timedelta(days=30),
            draft=json.dumps([]),
        )
    )
    consultation.save_revision().publish()
    author = factories.resident()
    consultation_services.proposal_create(
        page=consultation, author=author, title=f"{WORD} 교육", body="모든 공무원"
    )
    hidden = consultation_services.proposal_create(
        page=consultation, author=author, title=f"{WORD} 숨김", body="숨김"
    )
    moderation_services.moderation_hide(
        target=hidden, moderator=factories.moderator(), reason="abuse"
    )

    PetitionFactory(title=f"{WORD} 없는 일터", action="고용 차별을 없애 주세요")
    PetitionFactory(title=f"{WORD} 검토 중 청원", status=Petition.Status.AWAITING_MODERATION)
    PetitionFactory(title=f"{WORD} 초안 청원", status=Petition.Status.DRAFT)

    make_decision(title_ko=f"{WORD} 결정")
    make_decision(title_ko=f"{WORD} 초안 결정", title_en="draft decision", state="draft")
    make_decision(
        title_ko=f"{WORD} 승인 대기 결정", title_en="waiting decision", state="awaiting_approval"
    )
    make_recommendation(title_ko=f"{WORD} 권고", title_en="Recommendation public")
    make_recommendation(
        title_ko=f"{WORD} 비공개 권고", title_en="Recommendation hidden", published=False
    )
    make_indicator("EQ-01", title_ko=f"{WORD} 지표")
    make_indicator("EQ-99", title_ko=f"{WORD} 준비 중 지표", live=False)


def test_finds_every_public_kind_by_a_hangul_substring(client, world):
    results = found(client, "용차별")  # the middle of a word
    assert results == {
        ("page", "공개 안내"),
        ("consultation", f"{WORD} 금지 정책"),
        ("proposal", f"{WORD} 교육"),
        ("petition", f"{WORD} 없는 일터"),
        ("decision", f"{WORD} 결정"),
        ("recommendation", f"{WORD} 권고"),
        ("indicator", f"{WORD} 지표"),
    }


def test_nothing_hidden_draft_or_private_appears(client, world, client_for):
    for who in (client, client_for(factories.supervisor()), client_for(factories.moderator())):
        body = who.get("/api/v1/search", {"q": WORD}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        page = who.get("/ko/search/", {"q": WORD}).content.decode()
        for secret in (
            "초안",
            "비공개",
            "미공개",
            "숨김",
            "검토 중",
            "승인 대기",
            "준비 중",
            "수정 중",
        ):
            assert secret not in body, secret
            assert f"{WORD} {secret}" not in page, secret


def test_english_and_the_page(client, world):
    assert ("recommendation", "Recommendation public") in found(client, "recommendation", "en")
    html = client.get("/en/search/", {"q": "Recommendation"}).content.decode()
    assert "Recommendation public" in html and 'role="search"' in html
    assert client.get("/en/search/").status_code == 200


def test_too_long_is_a_400(client):
    response = client.get("/api/v1/search", {"q": "x" * 101})
    assert response.status_code == 400 and response.json()["field"] == "q"


@pytest.mark.postgres
def test_postgres_has_trigram_indexes_for_the_substring_search():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'trgm_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert "trgm_wagtailsearch_indexentry_body_text" in names
    assert "trgm_accountability_decision_title_ko" in names
