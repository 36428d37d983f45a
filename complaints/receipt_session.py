"""The receipt session: a successful receipt check makes this browser session
the complainant of that case (CONTRACT.md section 3) until logout or
COMPLAINTS_RECEIPT_IDLE_SECONDS (30 minutes) without activity.

The session keeps only the case's id and the time of the last request, never
the receipt. On every complaint request the grants still alive are put on
`request.user` (as RECEIPT_ATTR), which is what `rules.is_complainant` reads,
so services need no request to know who the complainant is.
"""

from __future__ import annotations

import time

from django.conf import settings

SESSION_KEY = "complaints.receipt_cases"
RECEIPT_ATTR = "complaint_receipt_ids"


def idle_seconds() -> int:
    return int(getattr(settings, "COMPLAINTS_RECEIPT_IDLE_SECONDS", 30 * 60))


def receipt_bind(request, complaint) -> None:
    """Make this session the complainant of `complaint`. A new session key is
    issued first, so a session id known before the check (fixation) opens nothing."""
    request.session.cycle_key()
    cases = dict(request.session.get(SESSION_KEY) or {})
    cases[str(complaint.pk)] = int(time.time())
    request.session[SESSION_KEY] = cases
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
        for pk, seen in (session.get(SESSION_KEY) or {}).items()
        if now - seen < idle_seconds()
    }
    if alive:
        session[SESSION_KEY] = alive
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
