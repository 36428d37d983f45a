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
import re
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
    from django.utils import timezone

    from accounts.models import GrantedRole, RoleGrant

    if role in GrantedRole.values:  # the roles that open cases need a confirmed grant
        now = timezone.now()
        RoleGrant.objects.bulk_create(
            [RoleGrant(user_id=u.pk, role=role, confirmed_at=now) for u in made],
            batch_size=BATCH,
        )
    return made


def recovery_codes(user, count: int = 50) -> list[str]:
    """One-time second-factor codes for a staff account the runs sign in as
    (with DEBUG off, case pages need a verified second factor); one per login."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Enrolled: the verify page opens only for an account with a confirmed
    # authenticator (accounts.second_factor.has_device); codes come with it.
    TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery codes", defaults={"confirmed": True}
    )
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def sessions(people: list) -> list[str]:
    """A signed-in session for each user, written straight to the session table
    (signing in 30,000 people through Argon2 would take longer than the run)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    backend = "accounts.backends.RolesWithUserBackend"
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
        if role != Role.RESIDENT:
            accounts[key]["recovery_codes"] = recovery_codes(made[key])

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
    analyze()
    return manifest


def analyze() -> None:
    """Give PostgreSQL's planner the statistics autovacuum would gather on a live
    server; without them the plans measured are not the plans a deployment runs."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        _log("ANALYZE done")


# --- app parts: written against the models on the consultations, complaints
# --- and petitions branches; each raises if what it needs is not there.

REFERENCE_SQL.update(
    {
        # W1: the first page of top-level comments with their authors.
        "W1": (
            "SELECT c.id, c.body, c.section, c.depth, c.state, c.hidden_reason, c.stance, "
            "c.reply_count, c.created_at, c.edited_at, u.username, u.display_name "
            "FROM consultations_comment c LEFT JOIN accounts_user u ON u.id = c.author_id "
            "WHERE c.discussion_id = %s AND c.parent_id IS NULL ORDER BY c.id DESC LIMIT 51",
            ("discussion",),
        ),
        # W2: one page of a caseworker's queue, nearest deadline first.
        "W2": (
            "SELECT c.id, c.reference, c.status, c.field_of_life, c.created_at, "
            "CASE WHEN c.status = 'submitted' THEN c.triage_due "
            "WHEN c.status IN ('investigating', 'mediation') THEN c.investigation_due END AS due "
            "FROM complaints_complaint c "
            "JOIN complaints_complaintuserobjectpermission g ON g.content_object_id = c.id "
            "JOIN auth_permission p ON p.id = g.permission_id "
            "WHERE g.user_id = %s AND p.codename = 'change_complaint' "
            "ORDER BY due ASC NULLS LAST, c.created_at DESC LIMIT 25",
            ("user",),
        ),
    }
)


def _home():
    import io

    from cms import demo

    home = demo.home_page("ko")
    if home is None:
        demo.seed(stdout=io.StringIO())
        home = demo.home_page("ko")
    return home


def _consultation(title: str, slug: str):
    import uuid

    from django.utils import timezone

    from consultations.models import ConsultationIndexPage, ConsultationPage

    home = _home()
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ConsultationIndexPage(title="의견 수렴", slug="consultations")
        )
        index.save_revision().publish()
    now = timezone.now()
    sections = [
        {
            "type": "section",
            "value": {"title": f"Section {i}", "body": "<p>Text.</p>"},
            "id": str(uuid.uuid4()),
        }
        for i in range(1, 4)
    ]
    page = index.add_child(
        instance=ConsultationPage(
            title=title,
            slug=slug,
            summary="A draft policy for the benchmark.",
            department="Human Rights Office",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=30),
            draft=json.dumps(sections),
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _comments(page, authors: list, count: int) -> int:
    """`count` comments, 30% of them replies to a top-level comment."""
    import random

    from consultations.models import Comment, Discussion

    rng = random.Random(count)  # noqa: S311 - data shape, not security
    discussion, _ = Discussion.objects.get_or_create(translation_key=page.translation_key)
    replies = count * 3 // 10
    tops = Comment.objects.bulk_create(
        [
            Comment(
                discussion=discussion,
                author=authors[i % len(authors)],
                body=f"<p>Comment {i}: I think this section should say more about access.</p>",
                language="ko",
            )
            for i in range(count - replies)
        ],
        batch_size=BATCH,
    )
    if tops and tops[0].pk is None:
        tops = list(Comment.objects.filter(discussion=discussion, parent=None).order_by("id"))
    parents = [rng.choice(tops) for _ in range(replies)]
    Comment.objects.bulk_create(
        [
            Comment(
                discussion=discussion,
                parent=parent,
                depth=1,
                author=authors[(i + 7) % len(authors)],
                body=f"<p>Reply {i}: I agree, and the office should answer.</p>",
                language="ko",
            )
            for i, parent in enumerate(parents)
        ],
        batch_size=BATCH,
    )
    for parent in tops:
        parent.reply_count = 0
    for parent in parents:
        parent.reply_count += 1
    Comment.objects.bulk_update(
        [p for p in tops if p.reply_count], ["reply_count"], batch_size=BATCH
    )
    Discussion.objects.filter(pk=discussion.pk).update(comment_count=count)
    return discussion.pk


def seed_w1(made: dict, crowd: list, manifest: dict, *, quick: bool) -> dict:
    authors = crowd[:500]
    consultations = {}
    for size in (10, 10_000):
        page = _consultation(f"Benchmark consultation, {size} comments", f"bench-{size}")
        discussion = _comments(page, authors, size)
        consultations[str(size)] = {"id": page.pk, "discussion": discussion}
        manifest["ref_sql"][f"W1 {size}"] = {"query": "W1", "params": {"discussion": discussion}}
    _log("W1: consultations with 10 and 10,000 comments")
    return {"consultations": consultations}


def seed_w4(made: dict) -> dict:
    page = _consultation("Benchmark consultation, live", "bench-live")
    return {"consultation": page.pk}


def seed_w2(made: dict, manifest: dict, *, quick: bool) -> dict:
    """100,000 complaints (20,000 in quick mode), 200 caseworkers; 500 cases on
    one of them, 5 on another, the rest spread over the others."""
    import uuid

    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from accounts.roles import Role
    from complaints import rules
    from complaints.models import Complaint, ComplaintUserObjectPermission

    total = 20_000 if quick else 100_000
    others = users("bench_cw_", 198, Role.CASEWORKER, password_hash=make_password(None))
    main, small = made["caseworker"], made["caseworker_small"]
    now = timezone.now()
    states = ["submitted", "investigating", "mediation", "decided", "closed", "rejected"]
    complaints = []
    for i in range(total):
        status = states[i % len(states)]
        if i < 100:  # the main caseworker's cases that the transition POST moves
            status = "investigating"
        complaints.append(
            Complaint(
                id=uuid.uuid4(),
                reference=f"B-{i:07d}",
                status=status,
                field_of_life="employment",
                description="Benchmark complaint text.",
                consent_at=now,
                triage_due=now + timedelta(hours=i % 500),
                investigation_due=now + timedelta(days=1 + i % 90),
                sealed_grounds=("disability", "age", "sex")[i % 3],
            )
        )
    Complaint.objects.bulk_create(complaints, batch_size=BATCH)
    content_type = ContentType.objects.get_for_model(Complaint)
    perms = [
        Permission.objects.get(content_type=content_type, codename=c)
        for c in (rules.VIEW, rules.CHANGE)
    ]

    def owner(n: int):
        if n < 500:
            return main
        if n < 505:
            return small
        return others[n % len(others)]

    ComplaintUserObjectPermission.objects.bulk_create(
        [
            ComplaintUserObjectPermission(content_object_id=c.id, user=owner(n), permission=p)
            for n, c in enumerate(complaints)
            for p in perms
        ],
        batch_size=BATCH,
    )
    manifest["ref_sql"]["W2 queue"] = {"query": "W2", "params": {"user": main.pk}}
    _log(f"W2: {total} complaints, 200 caseworkers")
    return {
        "complaints": total,
        "transition_cases": [c.reference for c in complaints[:100]],
    }


def seed_w3(made: dict) -> dict:
    """One open petition per server run (a run signs it once with everyone)."""
    from django.utils import timezone

    from petitions.models import Petition

    now = timezone.now()
    petitions = [
        Petition.objects.create(
            creator=made["resident"],
            title=f"Benchmark petition {n}",
            action="Open a barrier-free entrance at city hall.",
            status=Petition.Status.OPEN,
            threshold=10_000_000,  # never reached: the burst must not close it
            published_at=now,
            closes_at=now + timedelta(days=30),
        )
        for n in range(3)
    ]
    return {"petitions": [p.pk for p in petitions]}


def verify_petition(petition_id: int) -> dict:
    from django.db.models import Count

    from petitions.models import Petition, Signature

    signatures = Signature.objects.filter(petition_id=petition_id)
    duplicates = signatures.values("user_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "rows": signatures.count(),
        "stored_duplicates": duplicates,
        "counter": Petition.objects.get(pk=petition_id).signature_count,
    }


def explain_queue() -> dict:
    """EXPLAIN of the caseworker's queue query as the app builds it: does it
    read the whole complaints table?"""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from complaints import selectors

    user = get_user_model().objects.get(username="bench_caseworker_0")
    plan = selectors.complaint_queue(user=user)[:25].explain()
    seq_scan = reads_whole_table(plan, connection.vendor, "complaints_complaint")
    return {"backend": connection.vendor, "plan": plan, "seq_scan": seq_scan}


def reads_whole_table(plan: str, vendor: str, table: str) -> bool:
    """Does the plan read every row of `table` (not of a table whose name starts
    with it, such as complaints_complaintgroupobjectpermission)?"""
    if vendor == "postgresql":  # "Seq Scan on t" and "Parallel Seq Scan on t"
        return re.search(rf"Seq Scan on {re.escape(table)}\b", plan) is not None
    # SQLite: "SCAN t" reads every row, "SEARCH t USING INDEX" does not.
    return re.search(rf"\bSCAN {re.escape(table)}\b", plan) is not None


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
