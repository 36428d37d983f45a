"""A live comment is the reloaded comment (issue 20) and is rendered once per
event, not once per socket (issue 21): the fragment the socket carries, the
one the catch-up API gives and the one a reload shows are the same HTML."""

import json
import re

import pytest
from asgiref.sync import sync_to_async
from django.test.signals import template_rendered
from wagtail.models import Locale

from consultations import fragments, services
from consultations.models import ConsultationIndexPage, ConsultationPage
from moderation.services import moderation_hide
from tests import factories
from tests.sockets import run_in_own_loop

from .test_live import connect

pytestmark = [pytest.mark.django_db(transaction=True)]


def translate(consultation) -> ConsultationPage:
    """The English translation of `consultation`, its first section retitled."""
    english = Locale.objects.get(language_code="en")
    index = consultation.get_parent().specific
    if not ConsultationIndexPage.objects.filter(
        translation_key=index.translation_key, locale=english
    ).exists():
        index.copy_for_translation(english).save_revision().publish()
    page_en = consultation.copy_for_translation(english)
    draft = json.loads(json.dumps(list(page_en.draft.raw_data)))
    draft[0]["value"]["title"] = "First part, in English"
    page_en.draft = json.dumps(draft)
    page_en.title = "Draft policy in English"
    page_en.save_revision().publish()
    return ConsultationPage.objects.get(pk=page_en.pk)


def article(html: str, pk: int) -> str:
    match = re.search(
        rf'<article class="comment card" id="comment-{pk}".*?</article>', html, re.DOTALL
    )
    assert match, f"comment {pk} is not on the page"
    return match.group(0)


def reloaded(client, page, pk: int) -> tuple[str, str]:
    """(the comment's fragment, the number beside the heading) on a reload."""
    html = client.get(page.url).content.decode()
    count = re.search(r"<span data-comment-count>(\d+)</span>", html).group(1)
    return article(html, pk), count


def test_live_comment_is_the_reloaded_comment_in_each_language(client_for, consultation):
    page_en = translate(consultation)
    author, other = factories.resident(), factories.resident()
    section = consultation.sections()[0]
    first = section["anchor"]
    received: dict = {}

    async def scenario():
        socket_ko, socket_en = connect(consultation.pk), connect(page_en.pk)
        assert (await socket_ko.connect())[0] and (await socket_en.connect())[0]
        received["comment"] = await sync_to_async(services.comment_create)(
            page=consultation,
            author=author,
            body="<p>광주 인권 조례에 찬성합니다.</p>",
            section=first,
            stance="for",
        )
        received["ko"] = await socket_ko.receive_json_from(timeout=5)
        received["en"] = await socket_en.receive_json_from(timeout=5)
        await socket_ko.disconnect()
        await socket_en.disconnect()

    run_in_own_loop(scenario)
    comment, live_ko, live_en = received["comment"], received["ko"], received["en"]
    for live in (live_ko, live_en):
        assert live["type"] == "comment.created" and live["comment"]["id"] == comment.pk
        assert live["comment_count"] == 1

    for page, live, stance, title in (
        (consultation, live_ko, "찬성", section["title"]),
        (page_en, live_en, "For", "First part, in English"),
    ):
        # The same HTML whoever reloads: anonymous, the author, another resident.
        for viewer in (None, author, other):
            fragment, count = reloaded(client_for(viewer), page, comment.pk)
            assert live["html"].strip() == fragment
            assert count == "1"
        assert "<time datetime=" in fragment
        assert f'<span class="status">{stance}</span>' in fragment
        assert f'<a href="#section-{first}">{title}</a>' in fragment
        assert f"/comments/{comment.pk}/report/" in fragment

    # The Korean comment says it is Korean on the English page, not on the Korean one.
    assert '<div class="comment-body" lang="ko">' in live_en["html"]
    assert '<div class="comment-body">' in live_ko["html"]


def _one_event(page, action) -> dict:
    """What a socket on `page` receives while `action()` runs."""
    received: dict = {}

    async def scenario():
        socket = connect(page.pk)
        assert (await socket.connect())[0]
        await sync_to_async(action)()
        received["event"] = await socket.receive_json_from(timeout=5)
        await socket.disconnect()

    run_in_own_loop(scenario)
    return received["event"]


def test_a_reply_sends_its_parent_as_reloaded(client_for, consultation, resident):
    parent = services.comment_create(page=consultation, author=resident, body="<p>First</p>")
    other = factories.resident()
    live = _one_event(
        consultation,
        lambda: services.comment_create(
            page=consultation, author=other, body="<p>An answer</p>", parent=parent
        ),
    )
    assert live["comment"]["parent"] == parent.pk
    fragment, count = reloaded(client_for(None), consultation, parent.pk)
    assert live["parent_html"].strip() == fragment
    assert "답글 1개 — 보기" in fragment
    assert count == str(live["comment_count"])
    # The reply itself is as its thread's page shows it, and that page is live.
    thread = client_for(None).get(f"/ko/consultations/comments/{parent.pk}/").content.decode()
    assert live["html"].strip() == article(thread, live["comment"]["id"])
    assert f'data-thread="{parent.pk}"' in thread and "consultations/live.js" in thread


def test_hiding_sends_the_hidden_fragment_and_the_new_count(client_for, consultation, resident):
    comment = services.comment_create(page=consultation, author=resident, body="<p>Spam</p>")
    moderator = factories.moderator()
    live = _one_event(
        consultation,
        lambda: moderation_hide(target=comment, moderator=moderator, reason="spam"),
    )
    assert live["type"] == "comment.hidden"
    fragment, count = reloaded(client_for(None), consultation, comment.pk)
    assert live["html"].strip() == fragment and "Spam" not in fragment
    assert live["comment_count"] == 0 and count == "0"


def test_catch_up_api_gives_the_reloaded_fragment(client_for, consultation, resident):
    comment = services.comment_create(
        page=consultation, author=resident, body="<p>Missed while away</p>", stance="against"
    )
    client = client_for(None)
    data = client.get(
        f"/api/v1/consultations/{consultation.pk}/comments?order=oldest&html=true"
    ).json()
    assert data["comment_count"] == 1
    [item] = data["items"]
    assert item["id"] == comment.pk
    assert item["html"].strip() == reloaded(client, consultation, comment.pk)[0]
    # Without `html` the answer is as before.
    plain = client.get(f"/api/v1/consultations/{consultation.pk}/comments").json()
    assert "html" not in plain["items"][0] and "comment_count" not in plain


def _renders_per_event(page, author, sockets: int) -> int:
    renders: list[str] = []

    def count(sender, template, context, **kwargs):
        if template.name == fragments.FRAGMENT:
            renders.append(template.name)

    async def scenario():
        communicators = [connect(page.pk) for _ in range(sockets)]
        for communicator in communicators:
            assert (await communicator.connect())[0]
        template_rendered.connect(count)
        try:
            await sync_to_async(services.comment_create)(
                page=page, author=author, body="<p>Once</p>"
            )
            for communicator in communicators:
                live = await communicator.receive_json_from(timeout=5)
                assert "<p>Once</p>" in live["html"]
        finally:
            template_rendered.disconnect(count)
        for communicator in communicators:
            await communicator.disconnect()

    run_in_own_loop(scenario)
    return len(renders)


def test_each_event_is_rendered_once_per_language_whatever_the_sockets(consultation):
    translate(consultation)  # two languages
    one = _renders_per_event(consultation, factories.resident(), sockets=1)
    many = _renders_per_event(consultation, factories.resident(), sockets=6)
    assert one == many == 2
