"""Anonymous readers of a consultation get a cached page, and every change a
reader could see reaches them at once (core/page_cache.py)."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from consultations import services
from core import page_cache
from core.errors import DomainError
from moderation import services as moderation_services
from tests import factories


def _queries(client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


@pytest.fixture
def anonymous(client_for):
    return client_for(None)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what services schedule after commit, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_second_anonymous_view_runs_no_query(anonymous, consultation):
    first = anonymous.get(consultation.url)
    assert first.status_code == 200
    second, queries = _queries(anonymous, consultation.url)
    assert queries == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "ko"
    assert second["X-Frame-Options"] == "DENY"  # outer middleware still runs


def test_a_new_comment_shows_at_once(anonymous, consultation, resident, on_commit):
    anonymous.get(consultation.url)
    with on_commit():
        services.comment_create(page=consultation, author=resident, body="<p>Fresh words</p>")
    assert "Fresh words" in anonymous.get(consultation.url).content.decode()


def test_a_hidden_comment_leaves_the_cached_page_at_once(
    anonymous, consultation, resident, moderator, on_commit
):
    with on_commit():
        comment = services.comment_create(
            page=consultation, author=resident, body="<p>Abusive words</p>"
        )
    assert "Abusive words" in anonymous.get(consultation.url).content.decode()
    with on_commit():
        moderation_services.moderation_hide(target=comment, moderator=moderator, reason="abuse")
    assert "Abusive words" not in anonymous.get(consultation.url).content.decode()


def test_proposals_supports_and_hiding_show_at_once(
    anonymous, consultation, resident, other_resident, moderator, on_commit
):
    with on_commit():
        proposal = services.proposal_create(
            page=consultation, author=resident, title="Ramps everywhere", body="<p>Please.</p>"
        )
    html = anonymous.get(consultation.url).content.decode()
    assert "Ramps everywhere" in html and "지지 0명" in html
    with on_commit():
        services.proposal_support(proposal=proposal, user=other_resident)
    assert "지지 1명" in anonymous.get(consultation.url).content.decode()
    with on_commit():
        moderation_services.moderation_hide(target=proposal, moderator=moderator, reason="spam")
    assert "Ramps everywhere" not in anonymous.get(consultation.url).content.decode()


def test_a_published_revision_shows_at_once(anonymous, consultation, on_commit):
    anonymous.get(consultation.url)
    consultation.title = "A renamed draft"
    with on_commit():
        consultation.save_revision().publish()
    assert "A renamed draft" in anonymous.get(consultation.url).content.decode()


def test_a_new_view_restriction_applies_at_once(anonymous, consultation, on_commit):
    anonymous.get(consultation.url)
    with on_commit():
        PageViewRestriction.objects.create(
            page=consultation, restriction_type=PageViewRestriction.LOGIN
        )
    assert anonymous.get(consultation.url).status_code == 302


def test_signed_in_readers_neither_get_nor_fill_the_cache(
    anonymous, client_for, consultation, resident
):
    signed_in = client_for(resident)
    assert "comment-form" in signed_in.get(consultation.url).content.decode()
    _response, queries = _queries(anonymous, consultation.url)
    assert queries > 0, "the signed-in page must not have been stored"
    assert "comment-form" not in anonymous.get(consultation.url).content.decode()
    response, queries = _queries(signed_in, consultation.url)
    assert queries > 0 and "comment-form" in response.content.decode()


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_a_message_gets_a_fresh_page(anonymous, consultation, cookie):
    anonymous.get(consultation.url)
    anonymous.cookies[cookie] = "anything"
    _response, queries = _queries(anonymous, consultation.url)
    assert queries > 0


def test_unknown_query_parameters_are_not_cached(anonymous, consultation):
    url = f"{consultation.url}?utm_source=leaflet"
    anonymous.get(url)
    _response, queries = _queries(anonymous, url)
    assert queries > 0


def test_filters_are_cached_apart(anonymous, consultation, resident, on_commit):
    anchor = consultation.sections()[0]["anchor"]
    with on_commit():
        services.comment_create(
            page=consultation, author=resident, body="<p>On the whole draft</p>"
        )
    anonymous.get(consultation.url)
    filtered = anonymous.get(f"{consultation.url}?section={anchor}").content.decode()
    assert "On the whole draft" not in filtered
    assert "On the whole draft" in anonymous.get(consultation.url).content.decode()


def test_pages_that_do_not_ask_for_it_are_never_cached(anonymous, site_pages):
    anonymous.get("/ko/")
    _response, queries = _queries(anonymous, "/ko/")
    assert queries > 0


def test_the_cache_time_ends_when_the_consultation_opens(anonymous, make_consultation):
    page = make_consultation("upcoming")
    page.opens_at = timezone.now() + timedelta(seconds=40)
    page.save_revision().publish()
    response = anonymous.get(page.url)
    assert 0 < response.anonymous_cache_seconds <= 40
    closed = make_consultation("closed")
    assert anonymous.get(closed.url).anonymous_cache_seconds == page_cache.MAX_SECONDS


def test_a_rolled_back_write_keeps_the_cache(anonymous, consultation, resident, on_commit):
    anonymous.get(consultation.url)
    with on_commit() as callbacks:
        try:
            with transaction.atomic():
                services.comment_create(page=consultation, author=resident, body="<p>Gone</p>")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    _response, queries = _queries(anonymous, consultation.url)
    assert queries == 0


def test_writes_by_a_blocked_author_change_nothing(anonymous, consultation, moderator):
    """A refused write must not empty the cache (it would let abuse slow the site)."""
    blocked = factories.resident()
    services.author_block(moderator=moderator, user=blocked, reason="spam")
    anonymous.get(consultation.url)
    with pytest.raises(DomainError) as refused:
        services.comment_create(page=consultation, author=blocked, body="<p>x</p>")
    assert refused.value.status == 403
    _response, queries = _queries(anonymous, consultation.url)
    assert queries == 0


def test_edits_deletions_restores_and_answers_show_at_once(
    anonymous, consultation, resident, moderator, supervisor, on_commit
):
    def page() -> str:
        return anonymous.get(consultation.url).content.decode()

    with on_commit():
        kept = services.comment_create(page=consultation, author=resident, body="<p>First</p>")
        removed = services.comment_create(page=consultation, author=resident, body="<p>Bye</p>")
        proposal = services.proposal_create(
            page=consultation, author=resident, title="Night buses", body="<p>Please.</p>"
        )
        moderation_services.moderation_hide(target=kept, moderator=moderator, reason="spam")
        moderation_services.moderation_hide(target=proposal, moderator=moderator, reason="spam")
    assert "First" not in page() and "Night buses" not in page()
    with on_commit():
        moderation_services.moderation_restore(target=kept, moderator=moderator)
    assert "First" in page()
    with on_commit():
        moderation_services.moderation_restore(target=proposal, moderator=moderator)
    assert "Night buses" in page()
    with on_commit():
        services.comment_edit(comment=kept, user=resident, body="<p>Second thoughts</p>")
    assert "Second thoughts" in page()
    with on_commit():
        services.comment_delete(comment=removed, user=resident)
    assert "Bye" not in page()
    with on_commit():
        services.proposal_answer(
            proposal=proposal, staff=supervisor, status="accepted", answer="<p>Yes.</p>"
        )
    assert proposal.__class__.objects.get(pk=proposal.pk).get_status_display() in page()


def test_a_cache_that_is_down_serves_fresh_pages(anonymous, consultation, monkeypatch):
    get, set_ = page_cache.cache.get, page_cache.cache.set

    def down(real):
        def call(key, *args, **kwargs):
            if key.startswith("anon-page:"):  # only the page cache's keys fail
                raise ConnectionError("cache down")
            return real(key, *args, **kwargs)

        return call

    monkeypatch.setattr(page_cache.cache, "get", down(get))
    monkeypatch.setattr(page_cache.cache, "set", down(set_))
    response, queries = _queries(anonymous, consultation.url)
    assert response.status_code == 200 and queries > 0
    page_cache._new_generation()  # an invalidation that fails is logged, not raised
