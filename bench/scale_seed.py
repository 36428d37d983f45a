"""The scale series' data (bench.scale), written in bulk: COPY on PostgreSQL,
one executemany per table on SQLite, every column prepared the way the model
field would prepare it, so the queries see rows exactly like real ones (same
tables, same indexes; ANALYZE on PostgreSQL after each step).

Encrypting each row's eight encrypted columns would cost more than the whole
insert, so each distinct plaintext is encrypted once and its Fernet token
reused: every token decrypts to its value under the server's keys, and the
statistics decrypt every row's grounds as they would in production.

Run inside the benchmark's environment (bench.scale does it):
    python -m bench.scale_seed base --comments 100,10000,100000 -> JSON manifest
    python -m bench.scale_seed grow 1000000                       -> JSON timings
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import timedelta

from .seed import PASSWORD, _comments, _consultation, _log, _setup, recovery_codes, users

# The main caseworker's own queue: fixed, whatever the size of the table.
QUEUE_SIZE = 500
OTHER_CASEWORKERS = 198
# Spread over three years, so the statistics have several year columns.
SPREAD_DAYS = 3 * 365
STATUSES = (
    "submitted",
    "investigating",
    "mediation",
    "decided",
    "closed",
    "rejected",
    "referred",
    "withdrawn",
)
GROUND_SETS = (
    ("disability",),
    ("age",),
    ("sex",),
    ("disability", "age"),
    ("sex", "age"),
    ("disability",),
    ("age",),
    (),
)
FIELDS_OF_LIFE = ("employment", "housing", "education", "health", "other")
CHANNELS = ("online", "phone", "visit", "letter", "email")


def base(comment_sizes: list[int]) -> dict:
    """Accounts (a caseworker who signs in, the caseworkers the other cases are
    granted to) and one consultation per W1 size."""
    from django.contrib.auth.hashers import make_password

    from accounts.roles import Role

    from .seed import analyze

    password_hash = make_password(PASSWORD)
    (caseworker,) = users("bench_caseworker_", 1, Role.CASEWORKER, password_hash=password_hash)
    users("bench_cw_", OTHER_CASEWORKERS, Role.CASEWORKER, password_hash=make_password(None))
    authors = users("bench_author_", 500, Role.RESIDENT, password_hash=password_hash)
    consultations = {}
    for size in comment_sizes:
        started = time.perf_counter()
        page = _consultation(f"Scale consultation, {size} comments", f"scale-{size}")
        discussion = _comments(page, authors, size)
        consultations[str(size)] = {"id": page.pk, "discussion": discussion}
        _log(f"scale W1: {size} comments in {time.perf_counter() - started:.1f} s")
    analyze()
    return {
        "accounts": {
            "caseworker": {
                "username": caseworker.username,
                "password": PASSWORD,
                "recovery_codes": recovery_codes(caseworker),
            }
        },
        "w1": consultations,
    }


def _prepared(model, instance, connection) -> dict:
    """{column: database value} of one unsaved instance, as Django would write it."""
    return {
        f.column: f.get_db_prep_save(getattr(instance, f.attname), connection)
        for f in model._meta.concrete_fields
    }


def _insert(connection, table: str, columns: list[str], rows) -> int:
    """Write `rows` (tuples in `columns` order) in bulk; the number written."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # The random (uuid) keys of a million rows touch every index page:
        # keep them in memory while seeding, not only SQLite's default 2 MB.
        cursor.execute("PRAGMA cache_size = -262144")
        # Table and column names come from the models' meta, never from input.
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == 20_000:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def grow(total: int) -> dict:
    """Complaints up to `total` in all (with their grants and decision events);
    the first QUEUE_SIZE are the signed-in caseworker's."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from complaints import rules
    from complaints.models import (
        Complaint,
        ComplaintEvent,
        ComplaintUserObjectPermission,
        grounds_seal,
    )

    started = time.perf_counter()
    have = Complaint.objects.count()
    if have >= total:
        return {"complaints": have, "added": 0, "seed_s": 0.0}
    user_model = get_user_model()
    main = user_model.objects.get(username="bench_caseworker_0")
    others = list(
        user_model.objects.filter(username__startswith="bench_cw_")
        .order_by("id")
        .values_list("id", flat=True)
    )
    content_type = ContentType.objects.get_for_model(Complaint)
    perms = [
        Permission.objects.get(content_type=content_type, codename=c).pk
        for c in (rules.VIEW, rules.CHANGE)
    ]
    now = timezone.now()

    # One template row per grounds set: the encrypted columns are tokens made once.
    templates = []
    for codes in GROUND_SETS:
        row = _prepared(
            Complaint,
            Complaint(
                reference="X",
                description="Benchmark complaint: I was refused because of who I am.",
                consent_at=now,
                sealed_grounds=grounds_seal(codes),
            ),
            connection,
        )
        templates.append(row)
    columns = list(templates[0])
    # The uuid key as the column stores it (what UUIDField would write, without
    # its per-value look-ups of the connection's operations).
    as_column = (lambda pk: pk) if connection.vendor == "postgresql" else (lambda pk: pk.hex)
    dt_field = Complaint._meta.get_field("created_at")
    # Prepared datetimes, one per day of the spread and one per deadline offset.
    days = [
        dt_field.get_db_prep_save(now - timedelta(days=d), connection) for d in range(SPREAD_DAYS)
    ]
    raw_days = [now - timedelta(days=d) for d in range(SPREAD_DAYS)]
    triage = [dt_field.get_db_prep_save(now + timedelta(hours=h), connection) for h in range(500)]
    investigation = [
        dt_field.get_db_prep_save(now + timedelta(days=1 + d), connection) for d in range(90)
    ]
    where = {name: columns.index(name) for name in columns}

    ids: list = []

    def complaints():
        for i in range(have, total):
            template = templates[i % len(templates)]
            row = list(template.values())
            pk = uuid.uuid4()
            ids.append(pk)
            row[where["id"]] = as_column(pk)
            row[where["reference"]] = f"S-{i:08d}"
            row[where["status"]] = STATUSES[i % len(STATUSES)]
            row[where["field_of_life"]] = FIELDS_OF_LIFE[i % len(FIELDS_OF_LIFE)]
            row[where["channel"]] = CHANNELS[(i // 3) % len(CHANNELS)]
            created = days[(i * 7) % SPREAD_DAYS]
            row[where["created_at"]] = created
            row[where["updated_at"]] = created
            row[where["consent_at"]] = created
            row[where["triage_due"]] = triage[i % len(triage)]
            row[where["investigation_due"]] = investigation[i % len(investigation)]
            yield row

    with transaction.atomic():
        added = _insert(connection, Complaint._meta.db_table, columns, complaints())
        complaint_s = time.perf_counter() - started

        def grants():
            for n, pk in enumerate(ids, start=have):
                owner = main.pk if n < QUEUE_SIZE else others[n % len(others)]
                value = as_column(pk)
                for perm in perms:
                    yield (perm, owner, value)

        grant_table = ComplaintUserObjectPermission._meta
        grant_columns = [
            grant_table.get_field(name).column for name in ("permission", "user", "content_object")
        ]
        granted = _insert(connection, grant_table.db_table, grant_columns, grants())

        # The first `decided` event of each decided case: the statistics' median.
        event = _prepared(
            ComplaintEvent,
            ComplaintEvent(kind="transition", from_status="investigating", to_status="decided"),
            connection,
        )
        event.pop("id")
        event_columns = list(event)
        at_index = event_columns.index("at")
        complaint_index = event_columns.index("complaint_id")

        def events():
            for n, pk in enumerate(ids, start=have):
                if STATUSES[n % len(STATUSES)] not in ("decided", "closed") or n % 16 == 12:
                    continue  # closed: half of them were settled, not decided
                row = list(event.values())
                decided = min(raw_days[(n * 7) % SPREAD_DAYS] + timedelta(days=1 + n % 120), now)
                row[at_index] = dt_field.get_db_prep_save(decided, connection)
                row[complaint_index] = as_column(pk)
                yield row

        decided = _insert(connection, ComplaintEvent._meta.db_table, event_columns, events())
    insert_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                Complaint._meta.db_table,
                grant_table.db_table,
                ComplaintEvent._meta.db_table,
            ):
                cursor.execute(f"ANALYZE {table}")
    result = {
        "complaints": have + added,
        "added": added,
        "grants_added": granted,
        "decision_events_added": decided,
        "complaints_s": round(complaint_s, 1),
        "insert_s": round(insert_s, 1),
        "seed_s": round(time.perf_counter() - started, 1),
    }
    _log(f"scale W2: {json.dumps(result)}")
    return result


def main(argv: list[str]) -> int:
    _setup()
    command = argv[0] if argv else ""
    if command == "base":
        sizes = [int(s) for s in argv[argv.index("--comments") + 1].split(",")]
        result = base(sizes)
    elif command == "grow":
        result = grow(int(argv[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
