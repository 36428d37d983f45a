"""Benchmark data, written fast (bulk inserts in big batches), and the parts of
the benchmark that know the other apps' models: the raw reference SQL, the
stored-duplicates check and the query plan.

Run inside the benchmark's environment (the runner does it):
    python -m bench.seed seed [--quick]        -> JSON manifest on stdout
    python -m bench.seed verify-petition ID    -> {"rows", "stored_duplicates"}
    python -m bench.seed explain               -> {"plan", "seq_scan"}
Each app part is optional: if its model or field is missing, the manifest says
{"unavailable": reason} for that workload and the rest still runs."""

from __future__ import annotations

import json
import sys
from datetime import timedelta

REFERENCE_INSERT_TABLE = "bench_ref_insert"
PASSWORD = "bench-pass-2026"  # noqa: S105 - throwaway accounts in a throwaway database
BATCH = 5000

# name -> (SQL, integer parameter names). Filled with the rows each workload
# reads; the reference view runs them verbatim (bench.views.raw_sql).
REFERENCE_SQL: dict[str, tuple[str, tuple[str, ...]]] = {}


def _setup() -> None:
    import django

    django.setup()


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def reference_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {REFERENCE_INSERT_TABLE}")
        cursor.execute(
            f"CREATE TABLE {REFERENCE_INSERT_TABLE} (user_id bigint PRIMARY KEY, "
            "created_at timestamp with time zone NOT NULL)"
        )


def users(prefix: str, count: int, role: str, *, password_hash: str) -> list:
    """`count` users with a role, verified e-mail, one shared password hash."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    group = Group.objects.get(name=role)
    made = user_model.objects.bulk_create(
        [
            user_model(
                username=f"{prefix}{i}",
                email=f"{prefix}{i}@bench.invalid",
                display_name=f"{prefix} {i}",
                password=password_hash,
                email_verified=True,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    if not made or made[0].pk is None:  # backends without RETURNING
        made = list(user_model.objects.filter(username__startswith=prefix).order_by("id"))
    through = user_model.groups.through
    through.objects.bulk_create(
        [through(user_id=u.pk, group_id=group.pk) for u in made], batch_size=BATCH
    )
    return made


def sessions(people: list) -> list[str]:
    """A signed-in session for each user, written straight to the session table
    (signing in 30,000 people through Argon2 would take longer than the run)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    backend = "django.contrib.auth.backends.ModelBackend"
    expire = timezone.now() + timedelta(days=1)
    rows, cookies = [], []
    for user in people:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        cookies.append(f"sessionid={key}")
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return cookies


def optional(name: str, build) -> dict:
    """Run one app's seeding; a missing app/model/field becomes 'unavailable'."""
    try:
        return build()
    except (ImportError, LookupError, AttributeError, TypeError, ValueError) as exc:
        _log(f"{name}: not available: {type(exc).__name__}: {exc}")
        return {"unavailable": f"{type(exc).__name__}: {exc}"[:300]}
    except Exception as exc:  # noqa: BLE001 - e.g. a field error from the database
        _log(f"{name}: seeding failed: {type(exc).__name__}: {exc}")
        return {"unavailable": f"seeding failed: {type(exc).__name__}: {exc}"[:300]}


def seed(*, quick: bool) -> dict:
    from django.contrib.auth.hashers import make_password

    from accounts.roles import Role

    password_hash = make_password(PASSWORD)
    reference_table()
    accounts = {}
    named = {
        "resident": Role.RESIDENT,
        "caseworker": Role.CASEWORKER,
        "caseworker_small": Role.CASEWORKER,
        "supervisor": Role.SUPERVISOR,
    }
    made = {}
    for key, role in named.items():
        (made[key],) = users(f"bench_{key}_", 1, role, password_hash=password_hash)
        accounts[key] = {"username": made[key].username, "password": PASSWORD}

    # W3: 5% of the attempts repeat someone, so 95% of them need a person; W4:
    # one fresh author per comment per run (3 runs at most).
    attempts = 1000 * (3 if quick else 30)
    crowd_size = attempts - attempts // 20 + 1
    commenters = 3 * (5 if quick else 30)
    crowd = users(
        "bench_crowd_", crowd_size + commenters, Role.RESIDENT, password_hash=password_hash
    )
    cookies = sessions(crowd)
    _log(f"{len(crowd)} residents signed in")

    manifest = {
        "accounts": accounts,
        "crowd": cookies[:crowd_size],
        "ref_sql": {},
    }
    manifest["w1"] = optional("W1", lambda: seed_w1(made, crowd, manifest, quick=quick))
    manifest["w2"] = optional("W2", lambda: seed_w2(made, manifest, quick=quick))
    manifest["w3"] = optional("W3", lambda: seed_w3(made))
    w4 = optional("W4", lambda: seed_w4(made))
    if "unavailable" not in w4:
        w4["commenters"] = cookies[crowd_size:]
    manifest["w4"] = w4
    return manifest


# --- app parts: written against the models on the consultations, complaints
# --- and petitions branches; each raises if what it needs is not there.


def seed_w1(made: dict, crowd: list, manifest: dict, *, quick: bool) -> dict:
    raise LookupError("consultations models not written yet in bench/seed.py")


def seed_w2(made: dict, manifest: dict, *, quick: bool) -> dict:
    raise LookupError("complaints models not written yet in bench/seed.py")


def seed_w3(made: dict) -> dict:
    raise LookupError("petitions models not written yet in bench/seed.py")


def seed_w4(made: dict) -> dict:
    raise LookupError("consultations models not written yet in bench/seed.py")


def verify_petition(petition_id: int) -> dict:
    raise LookupError("petitions not available")


def explain_queue() -> dict:
    return {"unavailable": "complaints not available"}


def main(argv: list[str]) -> int:
    _setup()
    command = argv[0] if argv else ""
    if command == "seed":
        result = seed(quick="--quick" in argv)
    elif command == "verify-petition":
        result = verify_petition(int(argv[1]))
    elif command == "explain":
        result = explain_queue()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
