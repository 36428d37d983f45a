"""`python -m bench.digests [--followers 100000] [--batch 500]`: the digest
workload (W5). Seeds, in bulk, that many people following one petition with
a daily e-mail digest, publishes one piece of news, runs `manage.py
send_digests` and then the task worker until the queue is empty; runs the
command again to check that nothing is sent twice. Prints JSON: the tasks
enqueued (by task), the longest the queue got, the time to enqueue and to
drain, digests and e-mails sent. E-mails go to a counting back-end (nothing
is written or sent).

Run by `python -m bench` on each back-end after the HTTP workloads; alone,
against any migrated database (DATABASE_URL), e.g. with a small
`--followers` to try it."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time

SEED_BATCH = 5000
PREFIX = f"digest-{secrets.token_hex(3)}-"  # fresh people on each run


class CountingBackend:
    """An e-mail back-end that counts messages and bytes, nothing more."""

    sent = 0
    size = 0

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        for message in messages:
            CountingBackend.sent += 1
            CountingBackend.size += len(message.body)
        return len(messages)


def seed(followers: int) -> int:
    """`followers` people with a daily e-mail digest of one petition they
    follow; returns the petition id. Bulk inserts, a few seconds per 100,000."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from core.models import Follow, NotificationPreference
    from petitions.models import Petition

    user_model = get_user_model()
    password = make_password(None)
    creator = user_model.objects.create(username=f"{PREFIX}creator", password=password)
    petition = Petition(
        creator=creator,
        title="Benches along the river path",
        action="Put benches along the river path.",
        background="Older people cannot walk far without a rest.",
        status=Petition.Status.OPEN,
        threshold=1000,
        closes_at=timezone.now() + timezone.timedelta(days=30),
    )
    petition.save()
    made = 0
    while made < followers:
        count = min(SEED_BATCH, followers - made)
        people = user_model.objects.bulk_create(
            [
                user_model(
                    username=f"{PREFIX}{made + i}",
                    email=f"{PREFIX}{made + i}@bench.invalid",
                    password=password,
                    preferred_language="en" if (made + i) % 5 == 0 else "ko",
                )
                for i in range(count)
            ]
        )
        if not people or people[0].pk is None:  # back-ends without RETURNING
            people = list(
                user_model.objects.filter(username__startswith=PREFIX)
                .exclude(username=f"{PREFIX}creator")
                .order_by("-id")[:count]
            )
        Follow.objects.bulk_create(
            [Follow(user_id=p.pk, target="petition", object_id=petition.pk) for p in people]
        )
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(
                    user_id=p.pk, kind="petition", frequency="daily", in_app=False, email=True
                )
                for p in people
            ]
        )
        made += count
    return petition.pk


def drain() -> dict:
    """Run the task worker until no task is ready; the queue's longest length."""
    from django_tasks_db.models import DBTaskResult

    from core import worker

    longest = 0
    cycles = 0
    while True:
        ready = DBTaskResult.objects.filter(status="READY").count()
        longest = max(longest, ready)
        if not ready:
            break
        worker.run(worker_id="bench-digests", interval=0, stop_after=1)
        cycles += 1
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    return {"longest_queue": longest, "worker_cycles": cycles, "failed": failed}


def tasks_by_name() -> dict[str, int]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.all()
    return {
        row["task_path"].rsplit(".", 1)[-1]: row["n"]
        for row in rows.values("task_path").annotate(n=Count("id"))
    }


def run(followers: int, batch: int) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    # The module under its import name (run with -m, this one is __main__).
    from bench.digests import CountingBackend
    from core import follows
    from core.models import DigestRun, DigestSent

    settings.EMAIL_BACKEND = "bench.digests.CountingBackend"
    settings.FOLLOW_BATCH_SIZE = batch
    settings.TASKS_TIME_LIMIT_SECONDS = 600

    # A throwaway database: start from no digest sent today.
    from django.contrib.auth import get_user_model

    from core.models import FollowNews
    from petitions.models import Petition

    Petition.objects.filter(creator__username__startswith="digest-").delete()
    get_user_model().objects.filter(username__startswith="digest-").delete()
    FollowNews.objects.filter(key__startswith="bench:").delete()
    DigestRun.objects.all().delete()
    DigestSent.objects.all().delete()
    started = time.perf_counter()
    petition = seed(followers)
    seed_s = time.perf_counter() - started

    # The news: as it happens it walks the followers too (all want a digest,
    # so it tells nobody now), one task per batch.
    DBTaskResult.objects.all().delete()
    mark = timezone.now()
    started = time.perf_counter()
    follows.news_publish(
        key=f"bench:{petition}:closed",
        target="petition",
        object_ids=[petition],
        kind="follows.petition_closed",
        payload={"petition": petition},
        at=mark - timezone.timedelta(minutes=1),
    )
    now_queue = drain()
    now_s = time.perf_counter() - started
    now_tasks = tasks_by_name()

    DBTaskResult.objects.all().delete()
    started = time.perf_counter()
    call_command("send_digests", period="daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    enqueue_s = time.perf_counter() - started
    enqueued_by_command = DBTaskResult.objects.count()
    started = time.perf_counter()
    queue = drain()
    drain_s = time.perf_counter() - started
    tasks = tasks_by_name()
    sent = CountingBackend.sent

    # Again, the same day: nothing more is sent.
    started = time.perf_counter()
    call_command("send_digests", period="daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    drain()
    rerun_s = time.perf_counter() - started
    run_row = DigestRun.objects.get(period="daily")
    return {
        "followers": followers,
        "batch_size": batch,
        "seed_s": round(seed_s, 2),
        "news_now": {
            "tasks": now_tasks,
            "longest_queue": now_queue["longest_queue"],
            "s": round(now_s, 2),
        },
        "enqueued_by_command": enqueued_by_command,
        "tasks": tasks,
        "tasks_total": sum(tasks.values()),
        "longest_queue": queue["longest_queue"],
        "failed_tasks": queue["failed"],
        "enqueue_s": round(enqueue_s, 3),
        "drain_s": round(drain_s, 2),
        "digests_per_s": round(sent / drain_s, 1) if drain_s else None,
        "digests_recorded": DigestSent.objects.count(),
        "batches": run_row.batches,
        "emails_sent": sent,
        "mean_email_bytes": round(CountingBackend.size / sent) if sent else 0,
        "rerun_extra_emails": CountingBackend.sent - sent,
        "rerun_s": round(rerun_s, 2),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digests", description=__doc__)
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    import django

    django.setup()
    print(json.dumps(run(args.followers, args.batch)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
