"""Petition text is stored sanitised, as escaped HTML text ("Tom &amp; Jerry"),
and shown once-escaped on every page, as elsewhere in the project; the edit form
gives the author back their literal words; the XSS corpus stays inert."""

import pytest
from django.urls import reverse
from django.utils import translation

from petitions import services
from petitions.models import Petition
from tests import factories
from tests.consultations.test_xss import PAGE_TAGS, problems_in_html
from tests.consultations.xss_payloads import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

S = Petition.Status
TITLE = 'Tom & Jerry <b>bold</b> "quoted"'
ACTION = "Make A < B & C.\nThen D > E."
BACKGROUND = "Fish & chips\nfor “everyone”."


def url(name, petition=None):
    with translation.override("en"):
        return reverse(f"petitions:{name}", kwargs={"pk": petition.pk} if petition else None)


def make(
    state,
    *,
    title=TITLE,
    action=ACTION,
    background=BACKGROUND,
    creator=None,
    moderator=None,
    note="",
):
    """A petition in `state`, written and moved only through the services."""
    creator = creator or factories.resident()
    petition = services.petition_create(
        creator=creator, title=title, action=action, background=background, threshold=1
    )
    if state == S.DRAFT:
        return petition
    petition = services.petition_submit(petition=petition, user=creator)
    moderator = moderator or factories.moderator()
    if state == S.REJECTED:
        return services.petition_reject(
            petition=petition, user=moderator, reason="unclear", note=note
        )
    if state == S.AWAITING_MODERATION:
        return petition
    petition = services.petition_publish(petition=petition, user=moderator)
    if state == S.AWAITING_RESPONSE:
        services.petition_sign(petition=petition, user=factories.resident())
        services.petition_fold(petition_id=petition.pk)
        petition.refresh_from_db()
        assert petition.status == S.AWAITING_RESPONSE
    return petition


def assert_once_escaped(html, *texts):
    for text in texts:
        assert text in html, text
    assert "&amp;amp;" not in html and "&amp;lt;" not in html and "&amp;gt;" not in html


def test_stored_text_is_escaped_html_text():
    """What the pages below rely on: nh3 escaped everything, so |safe is safe."""
    petition = make(S.DRAFT)
    assert petition.title == 'Tom &amp; Jerry bold "quoted"'
    assert petition.action == "Make A &lt; B &amp; C.\nThen D &gt; E."


def test_detail_shows_the_text_once_escaped(client_for, site_pages):
    petition = make(S.OPEN)
    html = client_for(None).get(url("detail", petition)).content.decode()
    assert "<title>Tom &amp; Jerry bold" in html
    assert '<h1>Tom &amp; Jerry bold "quoted"</h1>' in html
    assert "<p>Make A &lt; B &amp; C.<br>Then D &gt; E.</p>" in html
    assert "<p>Fish &amp; chips<br>for “everyone”.</p>" in html
    assert_once_escaped(html)


def test_list_and_search_show_the_title_once_escaped(client_for, site_pages):
    petition = make(S.OPEN)
    client = client_for(None)
    html = client.get(url("list")).content.decode()
    assert f'<a href="{url("detail", petition)}">Tom &amp; Jerry bold "quoted"</a>' in html
    assert_once_escaped(html)
    # The search box takes the words as people read them.
    for query in ("Tom & Jerry", "A < B", "D > E", '"quoted"'):
        found = client.get(url("list"), {"q": query}).content.decode()
        assert "Tom &amp; Jerry bold" in found, query


def test_my_petitions_shows_the_title_once_escaped(client_for, site_pages):
    petition = make(S.DRAFT)
    html = client_for(petition.creator).get(url("mine")).content.decode()
    assert '>Tom &amp; Jerry bold "quoted"</a>' in html
    assert '<span class="visually-hidden">: Tom &amp; Jerry bold "quoted"</span>' in html
    assert_once_escaped(html)


def test_moderation_pages_show_the_text_once_escaped(client_for, moderator, site_pages):
    petition = make(S.AWAITING_MODERATION)
    client = client_for(moderator)
    queue = client.get(url("moderation")).content.decode()
    assert '>Tom &amp; Jerry bold "quoted"</a>' in queue
    assert_once_escaped(queue)
    detail = client.get(url("detail", petition)).content.decode()
    assert_once_escaped(detail, "<h1>Tom &amp; Jerry bold", "Make A &lt; B &amp; C.<br>")


def test_rejection_note_is_shown_once_escaped(client_for, site_pages):
    petition = make(S.REJECTED, note="Say which park & which path.\nA < B.")
    html = client_for(petition.creator).get(url("detail", petition)).content.decode()
    assert_once_escaped(html, "<p>Say which park &amp; which path.<br>A &lt; B.</p>")


def test_answer_page_shows_the_title_once_escaped(client_for, supervisor, site_pages):
    petition = make(S.AWAITING_RESPONSE)
    html = client_for(supervisor).get(url("answer", petition)).content.decode()
    assert_once_escaped(html, '>Tom &amp; Jerry bold "quoted"</a>')


def test_edit_form_holds_the_authors_literal_words(client_for, site_pages):
    petition = make(S.DRAFT)
    response = client_for(petition.creator).get(url("edit", petition))
    form = response.context["form"]
    assert form["title"].value() == 'Tom & Jerry bold "quoted"'
    assert form["action"].value() == "Make A < B & C.\nThen D > E."
    html = response.content.decode()
    assert 'value="Tom &amp; Jerry bold &quot;quoted&quot;"' in html
    assert ">\nMake A &lt; B &amp; C.\nThen D &gt; E.</textarea>" in html
    assert_once_escaped(html)


@pytest.mark.parametrize(
    "words",
    [
        # Typed as entities, these read as tags; sanitising what they read as would
        # strip them, so a save without changes must keep what is stored.
        "Use &lt;b&gt;bold&lt;/b&gt; sparingly",
        "Write &amp;lt; for <",
        "Tom & Jerry",
    ],
)
def test_saving_unchanged_text_from_a_browser_keeps_it_exactly(client_for, site_pages, words):
    petition = make(S.DRAFT, title=words, action=f"{words}\nline two", background=words)
    before = (petition.title, petition.action, petition.background)
    client = client_for(petition.creator)
    form = client.get(url("edit", petition)).context["form"]
    # A browser sends a textarea's lines with CRLF.
    data = {name: form[name].value().replace("\n", "\r\n") for name in form.fields}
    response = client.post(url("edit", petition), data)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.title, petition.action, petition.background) == before


def test_changed_text_is_sanitised_as_when_created(client_for, site_pages):
    petition = make(S.DRAFT, title="Tom & Jerry")
    action = petition.action
    client = client_for(petition.creator)
    data = dict(client.get(url("edit", petition)).context["form"].initial)
    data["title"] += " <i>and</i> Spike"
    client.post(url("edit", petition), data)
    petition.refresh_from_db()
    assert petition.title == "Tom &amp; Jerry and Spike"
    assert petition.action == action


def test_the_xss_corpus_stays_inert_on_every_petitions_page(
    client_for, moderator, supervisor, site_pages
):
    anonymous, moderating = client_for(None), client_for(moderator)
    answering = client_for(supervisor)
    pages = []  # (client, path, the page's own tags: their first occurrence is allowed)
    for i, payload in enumerate(XSS_PAYLOADS):
        creator = factories.resident(username=f"xss{i}")
        creator_client = client_for(creator)
        text = {
            "title": f"T {payload}"[:150],
            "action": f"Do {payload}\n{payload}",
            "background": f"Why {payload}",
            "creator": creator,
            "moderator": moderator,
        }
        draft = make(S.DRAFT, **text)
        sent = make(S.AWAITING_MODERATION, **text)
        rejected = make(S.REJECTED, note=f"No {payload}", **text)
        public = make(S.AWAITING_RESPONSE, **text)
        pages += [
            (creator_client, url("detail", draft), PAGE_TAGS),
            (creator_client, url("edit", draft), PAGE_TAGS),
            (creator_client, url("detail", rejected), PAGE_TAGS),
            (creator_client, url("mine"), PAGE_TAGS),
            (anonymous, url("detail", public), PAGE_TAGS),
            (moderating, url("detail", sent), PAGE_TAGS),
            (answering, url("answer", public), PAGE_TAGS),
        ]
    list_tags = PAGE_TAGS
    for n in range(1, len(XSS_PAYLOADS) // 20 + 2):  # every page of 20
        list_page = f"{url('list')}?status=awaiting_response&page={n}"
        pages.append((anonymous, list_page, list_tags))
        pages.append((moderating, f"{url('moderation')}?page={n}", PAGE_TAGS))
    for client, path, own_tags in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert problems_in_html(response.content.decode(), own_tags) == [], path
