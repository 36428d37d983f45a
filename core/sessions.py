"""The session engine (SESSION_ENGINE = "core.sessions"): Django's database
sessions, with the one read every signed-in request makes compiled once
(core.precompiled) instead of built anew each time. Everything else, writes,
expiry, cycling, is Django's."""

from __future__ import annotations

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from .precompiled import Precompiled

_CURRENT_SESSION = Precompiled(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    key="precompiled-session-mark",
    now=datetime.datetime(2000, 1, 1, 0, 0, 7, tzinfo=datetime.UTC),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # Django's own catches a SuspiciousOperation from `get`; a key is only
        # a parameter here, so there is none to catch.
        session = _CURRENT_SESSION.first(key=self.session_key, now=timezone.now())
        if session is None:
            self._session_key = None
        return session
