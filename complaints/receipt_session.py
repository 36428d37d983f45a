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


# --- the answer page after filing (POST, redirect, GET) -------------------------
#
# The form's POST is answered with a redirect to the receipt page, which reads
# what it shows from the session: a reload shows the same receipt, Back does
# not send the form again, and the receipt never appears in a URL. The receipt
# is kept there encrypted (core.crypto, like the narrative) for
# COMPLAINTS_RECEIPT_SHOWN_SECONDS only, and goes at once when the person
# confirms they saved it or presses "Exit this page".

SHOWN_KEY = "complaints.shown"


def shown_seconds() -> int:
    return int(getattr(settings, "COMPLAINTS_RECEIPT_SHOWN_SECONDS", 30 * 60))


def receipt_shown_keep(request, *, reference: str, receipt: str | None) -> None:
    request.session[SHOWN_KEY] = {
        "reference": reference,
        "receipt": encrypt(receipt.encode()).decode() if receipt else "",
        "at": int(time.time()),
    }
    user = getattr(request, "user", None)
    if receipt and (user is None or not user.is_authenticated):
        request.session.set_expiry(max(shown_seconds(), idle_seconds()))


def receipt_shown(request) -> dict | None:
    """{"reference", "receipt"} of the complaint just filed, or None once the
    time is up (the entry is then removed)."""
    entry = request.session.get(SHOWN_KEY)
    if not entry:
        return None
    if int(time.time()) - int(entry.get("at", 0)) >= shown_seconds():
        receipt_shown_forget(request)
        return None
    try:
        receipt = decrypt(entry["receipt"].encode()).decode() if entry.get("receipt") else None
    except (InvalidToken, KeyError):
        receipt_shown_forget(request)
        return None
    return {"reference": entry.get("reference", ""), "receipt": receipt}


def receipt_shown_forget(request) -> None:
    request.session.pop(SHOWN_KEY, None)


DRAFT_KEY = "complaints.draft"


def receipt_session_end(request) -> None:
    """ "Exit this page" and "Close this case on this device": nothing about a
    complaint stays in this browser's session (the receipt grants, the receipt
    just shown, a draft). Without an account the whole session goes."""
    session = getattr(request, "session", None)
    if session is None:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        session.flush()
    else:
        for key in (SESSION_KEY, SHOWN_KEY, DRAFT_KEY):
            session.pop(key, None)
    _attach(request, {})


def receipt_case_forget(request, complaint) -> None:
    """ "Close this case on this device": this session is no longer the case's complainant."""
    cases = _load(request.session)
    cases.pop(str(complaint.pk), None)
    if cases:
        _store(request.session, cases)
    else:
        request.session.pop(SESSION_KEY, None)
    _attach(request, cases)


# --- the form's draft, one page at a time ----------------------------------------
#
# What the person typed so far, kept in the session encrypted like the
# narrative (core.crypto), so Back and "Change" show it again; removed when the
# complaint is sent or on "Exit this page".


def draft_get(request) -> dict:
    token = request.session.get(DRAFT_KEY)
    if not token:
        return {}
    try:
        return json.loads(decrypt(token.encode()).decode())
    except (InvalidToken, ValueError):
        request.session.pop(DRAFT_KEY, None)
        return {}


def draft_put(request, draft: dict) -> None:
    request.session[DRAFT_KEY] = encrypt(json.dumps(draft).encode()).decode()


def draft_clear(request) -> None:
    request.session.pop(DRAFT_KEY, None)


def receipt_case_ids_of_session(session) -> frozenset[str]:
    """The cases a session is the complainant of right now, read only (for a
    WebSocket handshake, which must not write the session): grants idle for
    longer than idle_seconds() count for nothing."""
    if session is None or SESSION_KEY not in session:
        return frozenset()
    now = int(time.time())
    return frozenset(
        pk
        for pk, seen in _load(session).items()
        if isinstance(seen, int) and now - seen < idle_seconds()
    )
