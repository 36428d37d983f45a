import os

import pytest
from django.test import Client

from tests import factories


def pytest_collection_modifyitems(config, items):
    """Tests that need a real PostgreSQL or Redis run when DATABASE_URL / REDIS_URL are set."""
    database_url = os.environ.get("DATABASE_URL", "")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI does)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL (CI does)")
    skip_fuzz = pytest.mark.skip(reason="the API fuzz run: set HRC_FUZZ=1 (make fuzz; CI does)")
    # Browser tests last: Playwright's sync API keeps an event loop running in
    # this thread for the rest of the session, which async tests cannot share.
    items.sort(key=lambda item: "browser" in item.keywords)
    for item in items:
        if "postgres" in item.keywords and not database_url.startswith("postgres"):
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_redis)
        if "fuzz" in item.keywords and not os.environ.get("HRC_FUZZ"):
            item.add_marker(skip_fuzz)


@pytest.fixture(autouse=True)
def _channel_layer_locks_of_no_loop():
    """channels-redis keeps a lock per channel for its receive cleanup, process
    wide, and leaves one behind when a wait for it is cancelled (the waiter is
    counted in, never out). Bound to the event loop of the test that left it,
    it fails a later test's first wait on it: "Lock ... is bound to a
    different event loop" (CI on Redis, tests/core/test_notifications.py). A
    server runs one loop for its life, so only tests meet it. Each test starts
    with none, unless a receive is in flight (a live server's socket)."""
    from tests.sockets import forget_stale_layer_locks

    forget_stale_layer_locks()


@pytest.fixture(autouse=True)
def _media_and_cache(request, settings, tmp_path):
    """Fresh file roots and empty caches for every test. A database cache is
    emptied only where the test may use the database (in a plain `db` test its
    rows roll back with the test's transaction anyway)."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))

    def clear() -> None:
        for alias, config in settings.CACHES.items():
            if config["BACKEND"].endswith("db.DatabaseCache") and not transactional:
                continue
            caches[alias].clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _base_data(request):
    """Transactional tests flush the data that migrations made; put it back."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from core.bootstrap import ensure_base_data

        ensure_base_data()


@pytest.fixture
def resident(db):
    return factories.resident()


@pytest.fixture
def caseworker(db):
    return factories.caseworker()


@pytest.fixture
def supervisor(db):
    return factories.supervisor()


@pytest.fixture
def moderator(db):
    return factories.moderator()


@pytest.fixture
def superuser(db):
    return factories.superuser()


@pytest.fixture
def client_for():
    """A Django test client signed in as `user` (or anonymous for None); staff
    come with a verified second factor unless `second_factor=False`."""

    def make(user=None, *, second_factor=True, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user, backend="accounts.backends.RolesWithUserBackend")
            if second_factor:  # staff have verified their second factor (accounts.second_factor)
                factories.verify_second_factor(client, user)
        return client

    return make


def _seed_site_pages() -> None:
    from io import StringIO

    from cms import demo

    demo.seed(stdout=StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The page tree is built once, into the test database itself: every test in
    a transaction sees it and rolls its own changes back. Transactional tests
    (run after the others) flush it, so `site_pages` builds it again for them."""
    with django_db_blocker.unblock():
        _seed_site_pages()


@pytest.fixture
def site_pages(db):
    """The demo home and charter pages in both languages (the real seed code)."""
    from cms import demo
    from cms.models import HomePage

    if HomePage.objects.count() < 2:
        _seed_site_pages()
    return demo
