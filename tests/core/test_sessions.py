"""The session engine (core.sessions) reads like Django's database sessions,
with its query compiled once per process (core.precompiled)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from core import sessions
from core.sessions import SessionStore
from tests import factories

pytestmark = pytest.mark.django_db


def _stored(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_a_live_session_is_read():
    key = _stored(colour="blue")
    assert SessionStore(key)["colour"] == "blue"


def test_an_expired_session_is_not_read_and_gets_a_new_key():
    key = _stored(colour="blue")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert "colour" not in store
    assert store.session_key is None  # never the old key again, as Django's own


def test_a_session_about_to_expire_is_still_read():
    key = _stored(colour="blue")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert SessionStore(key)["colour"] == "blue"


def test_an_unknown_key_reads_nothing():
    assert "colour" not in SessionStore("no-such-session-key-0123456789ab")


def test_signed_out_is_signed_out(client):
    user = factories.resident()
    client.force_login(user)
    assert client.get("/en/accounts/profile/").status_code == 200
    key = client.cookies["sessionid"].value
    client.post("/en/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, kept by hand
    assert client.get("/en/accounts/profile/").status_code == 302  # to sign in


def test_the_query_is_built_once(monkeypatch):
    built = []
    build = sessions._CURRENT_SESSION.build
    monkeypatch.setattr(
        sessions._CURRENT_SESSION, "build", lambda **m: built.append(1) or build(**m)
    )
    monkeypatch.setattr(sessions._CURRENT_SESSION, "_compiled", {})
    keys = [_stored(n=n) for n in range(5)]
    assert [SessionStore(k)["n"] for k in keys] == [0, 1, 2, 3, 4]
    assert len(built) == 1
