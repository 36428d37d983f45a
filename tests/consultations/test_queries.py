"""The consultation page and the comments API run the same number of queries
with 10 and with 2,000 comments (rendered afresh; tests/consultations/test_page_cache.py
covers the cached page)."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations import services
from consultations.models import Comment, Discussion, Proposal
from tests import factories

from .conftest import post_json


def _fill(page, n: int, authors) -> None:
    discussion = services.discussion_for_page(page=page)
    anchors = [s["anchor"] for s in page.sections()] + [""]
    Comment.objects.bulk_create(
        Comment(
            discussion=discussion,
            author=authors[i % len(authors)],
            section=anchors[i % len(anchors)],
            body=f"<p>Comment {i}</p>",
            stance="for",
            reply_count=1,
        )
        for i in range(n)
    )
    Proposal.objects.bulk_create(
        Proposal(discussion=discussion, author=authors[i % len(authors)], title=f"P{i}", body="b")
        for i in range(n // 10 + 1)
    )
    Discussion.objects.filter(pk=discussion.pk).update(comment_count=n)


def _count(client, url: str) -> int:
    """Queries of a fresh render: the anonymous page cache is emptied first."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_same_queries_with_10_and_2000_comments(client_for, make_consultation, resident):
    authors = [factories.resident() for _ in range(25)]
    small, large = make_consultation("open"), make_consultation("open")
    _fill(small, 10, authors)
    _fill(large, 2000, authors)
    for user in (None, resident):
        client = client_for(user)
        client.get(small.url)  # warm caches (site, locale) the same way for both
        for url_for in (
            lambda p: p.url,
            lambda p: f"{p.url}?order=oldest",
            lambda p: f"/api/v1/consultations/{p.pk}/comments",
            lambda p: f"/api/v1/consultations/{p.pk}/comments?section={p.sections()[0]['anchor']}",
            lambda p: f"/api/v1/consultations/{p.pk}/proposals",
        ):
            assert _count(client, url_for(small)) == _count(client, url_for(large)), url_for(small)
        assert _count(client, "/api/v1/consultations") > 0


def test_api_page_is_at_most_50(client_for, make_consultation):
    authors = [factories.resident() for _ in range(3)]
    page = make_consultation("open")
    _fill(page, 120, authors)
    data = client_for(None).get(f"/api/v1/consultations/{page.pk}/comments?limit=500").json()
    assert data["code"] == "invalid" if "code" in data else len(data["items"]) == 50
    data = client_for(None).get(f"/api/v1/consultations/{page.pk}/comments").json()
    assert len(data["items"]) == 50 and data["next"]
    listing = client_for(None).get("/api/v1/consultations").json()
    entry = next(c for c in listing if c["id"] == page.pk)
    assert entry["comment_count"] == 120 and entry["phase"] == "open"
    assert [s["anchor"] for s in entry["sections"]] == [s["anchor"] for s in page.sections()]
    assert set(entry) == {
        "id", "title", "url", "phase", "opens_at", "closes_at",
        "comment_count", "proposal_count", "sections",
    }  # fmt: skip


def test_consultation_list_queries_do_not_grow(client_for, make_consultation):
    make_consultation("open")
    client = client_for(None)
    client.get("/api/v1/consultations")
    few = _count(client, "/api/v1/consultations")
    few_page = _count(client, "/ko/consultations/")
    for phase in ("open", "closed", "upcoming", "open", "closed"):
        make_consultation(phase)
    assert len(client.get("/api/v1/consultations").json()) == 6
    assert _count(client, "/api/v1/consultations") == few
    assert _count(client, "/ko/consultations/") == few_page


def test_uncached_page_queries_are_pinned(
    client_for, make_consultation, resident, django_assert_num_queries
):
    """Issue 21: an anonymous page rendered afresh in <= 6 queries, signed in
    <= 9. The route comes from the cache (cms/routing.py: the page with its
    discussion, one query); then the comments and the proposals; signed in
    also session, user with its roles (accounts.backends), posting block,
    unread count, follow state."""
    authors = [factories.resident() for _ in range(5)]
    page = make_consultation("open")
    _fill(page, 30, authors)
    url = f"{page.url}?bench=uncached"  # a parameter the page cache does not keep
    for user, expected in ((None, 3), (resident, 8)):
        client = client_for(user)
        assert client.get(url).status_code == 200  # the route is cached now
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


def test_a_page_change_retires_the_cached_route(client_for, make_consultation):
    page = make_consultation("open")
    client = client_for(None)
    assert client.get(page.url).status_code == 200
    page.unpublish()  # the page's save renews the route cache's generation
    assert client.get(f"{page.url}?bench=uncached").status_code == 404


def test_comment_post_queries_are_pinned(
    client_for,
    make_consultation,
    resident,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """Issue 21 (W4): posting a comment and rendering its live event read
    nothing twice, with 10 comments on the page as with 1,000: session, user
    with its roles, the page (its view restrictions in the same query), posting block,
    discussion; the insert and the count (UPDATE ... RETURNING, in a
    savepoint here); after commit only the page's translations, since the
    event is rendered from the comment, author and count the service holds."""
    settings.CONSULTATIONS_POST_LIMIT = 100
    authors = [factories.resident() for _ in range(5)]
    small, large = make_consultation("open"), make_consultation("open")
    _fill(small, 10, authors)
    _fill(large, 1000, authors)
    client = client_for(resident)
    for page in (small, large):
        url = f"/api/v1/consultations/{page.pk}/comments"
        data = {"body": "<p>A comment.</p>", "section": page.sections()[0]["anchor"]}
        with django_assert_num_queries(10):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                response = post_json(client, url, data)
        assert response.status_code == 201, response.content
        assert len(callbacks) >= 1  # the live event was published


def test_the_page_reads_the_proposals_own_columns_only(client_for, make_consultation, resident):
    """The page shows each proposal's title, support and status: its read
    joins no author and asks nothing about the reader's support (compiled
    once, consultations.selectors.proposal_list_for_page). Most supported
    first, ten at most."""
    authors = [factories.resident() for _ in range(3)]
    page = make_consultation("open")
    discussion = services.discussion_for_page(page=page)
    Proposal.objects.bulk_create(
        Proposal(
            discussion=discussion,
            author=authors[i % 3],
            title=f"Proposal {i:02}",
            body="b",
            support_count=i,
        )
        for i in range(12)
    )
    url = f"{page.url}?bench=uncached"
    for user in (None, resident):
        client = client_for(user)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        reads = [q["sql"] for q in ctx.captured_queries if '"consultations_proposal"' in q["sql"]]
        assert len(reads) == 1, reads
        assert "accounts_user" not in reads[0] and "consultations_support" not in reads[0]
        shown = [f"Proposal {i:02}" for i in range(11, 1, -1)]
        assert [html.index(title) for title in shown] == sorted(html.index(t) for t in shown)
        assert "Proposal 01" not in html and "Proposal 00" not in html
