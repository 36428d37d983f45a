"""The receipt session: a successful receipt check makes this browser session
the complainant of that case (CONTRACT.md section 3) until logout or
COMPLAINTS_RECEIPT_IDLE_SECONDS (30 minutes) without activity.

The session keeps only the case's id and the time of the last request, never
the receipt, and keeps them encrypted with the field-encryption keys (issue
17): a session row sits beside the account id of a signed-in resident, and a
dump of the session table must not link that account to an anonymous case.
On every complaint request the grants still alive are put on `request.user`
(as RECEIPT_ATTR), which is what `rules.is_complainant` reads, so services
need no request to know who the complainant is.
"""

from __future__ import annotations

import json
import time

from cryptography.fernet import InvalidToken
from django.conf import settings

from core.crypto import decrypt, encrypt

SESSION_KEY = "complaints.receipt_cases"
RECEIPT_ATTR = "complaint_receipt_ids"


def idle_seconds() -> int:
    return int(getattr(settings, "COMPLAINTS_RECEIPT_IDLE_SECONDS", 30 * 60))


def _load(session) -> dict:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return {}
    try:
        cases = json.loads(decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return {}  # a key retired since, or a tampered value: no grant
    return cases if isinstance(cases, dict) else {}


def _store(session, cases: dict) -> None:
    session[SESSION_KEY] = encrypt(json.dumps(cases).encode()).decode()


def receipt_bind(request, complaint) -> None:
    """Make this session the complainant of `complaint`. A new session key is
    issued first, so a session id known before the check (fixation) opens nothing."""
    request.session.cycle_key()
    cases = _load(request.session)
    cases[str(complaint.pk)] = int(time.time())
    _store(request.session, cases)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # Without an account the session exists only for this case: let the
        # session itself (its row, its cookie) lapse after the same idle time,
        # so no link between a browser and a case outlives the grant.
        request.session.set_expiry(idle_seconds())
    _attach(request, cases)


def receipt_attach(request) -> frozenset[str]:
    """Drop grants idle for too long, refresh the others (this request is
    activity), and expose them on request.user. Returns the case ids."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return frozenset()
    now = int(time.time())
    alive = {
        pk: now
        for pk, seen in _load(session).items()
        if isinstance(seen, int) and now - seen < idle_seconds()
    }
    if alive:
        _store(session, alive)
    else:
        del session[SESSION_KEY]
    return _attach(request, alive)


def _attach(request, cases: dict) -> frozenset[str]:
    ids = frozenset(cases)
    user = getattr(request, "user", None)
    if user is not None:
        setattr(user, RECEIPT_ATTR, ids)
    return ids


def receipt_case_ids(user) -> frozenset[str]:
    return getattr(user, RECEIPT_ATTR, None) or frozenset()
