"""The pure parts of the benchmark harness: no server, no database."""

import asyncio

import pytest

from bench import load, report
from bench.stats import percentile, ratio, summarise
from bench.workloads import signing_plan


def test_percentile_interpolates_between_ranks():
    values = [10, 20, 30, 40, 50]
    assert percentile(values, 0) == 10
    assert percentile(values, 50) == 30
    assert percentile(values, 100) == 50
    assert percentile(values, 95) == pytest.approx(48.0)
    assert percentile([5, 1, 3], 50) == 3  # order of input does not matter


def test_percentile_of_nothing_is_none_and_range_is_checked():
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1], 101)


def test_summarise_reports_milliseconds():
    summary = summarise([0.001, 0.002, 0.003, 0.004])
    assert summary["count"] == 4
    assert summary["p50_ms"] == 2.5
    assert summary["max_ms"] == 4.0
    assert summarise([])["p95_ms"] is None


def test_ratio_refuses_missing_or_zero_reference():
    assert ratio(30, 10) == 3.0
    assert ratio(None, 10) is None
    assert ratio(5, 0) is None


def test_arrival_times_are_evenly_spaced_at_the_rate():
    times = load.arrival_times(1000, 0.01)
    assert times == pytest.approx([i / 1000 for i in range(10)])
    assert len(load.arrival_times(1000, 30)) == 30_000
    assert load.arrival_times(0, 5) == []


def test_signing_plan_repeats_five_percent_of_earlier_users():
    plan = signing_plan(1000)
    assert len(plan) == 1000
    assert len(set(plan)) == 950
    for i, user in enumerate(plan):
        if i % 20 == 19:
            assert user in plan[:i]  # a duplicate of someone who already tried
        else:
            assert user not in plan[:i]


def test_open_loop_sends_at_the_schedule_and_sheds_past_the_cap():
    class SlowClient:
        async def request(self, method, path, **kwargs):
            await asyncio.sleep(0.2)

            class Response:
                status_code = 201
                headers = {"x-bench-queries": "3"}

            return Response()

    outcome = asyncio.run(
        load.open_loop(
            SlowClient(),
            lambda i: load.Req("POST", "/x"),
            rate_per_s=100,
            duration_s=0.1,
            max_in_flight=5,
        )
    )
    # 10 arrivals in 0.1 s, each answered after 0.2 s: only 5 can be in flight.
    assert outcome.statuses[201] == 5
    assert outcome.not_sent == 5
    assert outcome.queries == {3: 5}
    assert all(latency >= 0.2 for latency in outcome.latencies)


def _measurement(p95, queries, rps=100.0):
    latency = {"count": 10, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95, "max_ms": p95}
    return {
        "latency": latency,
        "queries": queries,
        "statuses": {"200": 10},
        "errors": 0,
        "server_errors": 0,
        "saturation": {"rps": rps, **latency},
    }


def _run():
    return {
        "backend": "postgres",
        "label": "PostgreSQL + Redis",
        "workers": 2,
        "peak_rss_mb": [120.5, 118.0],
        "references": {
            "R_http": _measurement(2.0, [0], rps=1000.0),
            "R_sql": {
                "W1 10": _measurement(1.0, [1]),
                "W1 10000": _measurement(1.0, [1]),
                "W2 queue": _measurement(1.0, [1]),
            },
        },
        "workloads": {
            "W1": {
                "10 comments, page, anonymous, cached": _measurement(3.0, [0]),
                "10000 comments, page, anonymous, cached": _measurement(5.0, [0]),
                "10 comments, page, anonymous, uncached": _measurement(5.0, [4]),
                "10000 comments, page, anonymous, uncached": _measurement(6.5, [4]),
                "10000 comments, API first page, signed in": _measurement(6.0, [6]),
            },
            "W2": {"unavailable": "ModuleNotFoundError: complaints"},
            "W3": {
                "rate": 1000,
                "duration_s": 30,
                "accepted_per_s": 1200.0,
                "latency": {"p95_ms": 40.0},
                "server_errors": 0,
                "no_answer": 0,
                "not_sent": 0,
                "stored_duplicates": 0,
                "lost": 0,
                "count_shown": 28500,
                "rows": 28500,
            },
        },
    }


def test_goals_are_judged_against_the_references():
    goals = report.evaluate_goals(_run())
    status = {g["goal"]: g["status"] for g in goals}
    assert status[report.GOALS_TEXT["W1 queries"]] == "met"  # 4 == 4 for the uncached page
    # 5 ms > 2 x 2 ms: the cached anonymous page at 10,000 comments misses.
    assert status[report.GOALS_TEXT["W1 cached"]] == "missed"
    assert status[report.GOALS_TEXT["W1 uncached"]] == "met"  # 6.5 <= 2 + 5 x 1
    assert status[report.GOALS_TEXT["W2 p95"]] == "n/a"
    assert status[report.GOALS_TEXT["W3"]] == "met"
    assert status[report.GOALS_TEXT["W4"]] == "n/a"


def test_a_sequential_scan_on_postgresql_misses_the_plan_goal():
    run = _run()
    run["explain"] = {"plan": "Seq Scan on complaints_complaint", "seq_scan": True}
    goals = {g["goal"]: g["status"] for g in report.evaluate_goals(run)}
    assert goals[report.GOALS_TEXT["W2 plan"]] == "missed"
    run["explain"]["seq_scan"] = False
    goals = {g["goal"]: g["status"] for g in report.evaluate_goals(run)}
    assert goals[report.GOALS_TEXT["W2 plan"]] == "met"


def test_w3_goal_missed_on_a_single_duplicate():
    run = _run()
    run["workloads"]["W3"]["stored_duplicates"] = 1
    goals = {g["goal"]: g["status"] for g in report.evaluate_goals(run)}
    assert goals[report.GOALS_TEXT["W3"]] == "missed"


def test_report_shows_each_figure_beside_its_reference_and_the_ratio():
    run = _run()
    run["goals"] = report.evaluate_goals(run)
    results = {
        "mode": "quick",
        "date": "2026-11-26 20:00 UTC",
        "commit": "abc1234",
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "memory_gb": 4.0,
            "python": "3.11",
            "platform": "Linux",
        },
        "runs": [run],
        "unavailable": {"W2": "ModuleNotFoundError: complaints"},
    }
    text = report.render(results, notes="Hand-written analysis.")
    assert "Mode: **quick**" in text
    assert "Test CPU, 2 cores" in text
    assert "W2: not available: ModuleNotFoundError: complaints" in text
    row = next(line for line in text.splitlines() if "API first page, signed in" in line)
    # p95 6 ms beside R_sql W1 10000 (1 ms): ratio 6.
    assert "R_sql W1 10000 1.00" in row
    assert "| 6.00 |" in row
    assert "120.5 MB, 118.0 MB" in text
    assert "| **missed** |" in text
    assert text.rstrip().endswith("Hand-written analysis.")


def test_w2_query_goal_compares_the_long_and_the_short_queue():
    run = _run()
    run["workloads"]["W2"] = {
        "queue page": _measurement(50.0, [13]),
        "queue page, 5 cases": _measurement(40.0, [13]),
        "API list": _measurement(60.0, [7]),
    }
    goals = {g["goal"]: g["status"] for g in report.evaluate_goals(run)}
    assert goals[report.GOALS_TEXT["W2 queries"]] == "met"
    assert goals[report.GOALS_TEXT["W2 p95"]] == "missed"  # 60 > 2 + 3 x 1
    run["workloads"]["W2"]["queue page, 5 cases"] = {"unavailable": "could not sign in"}
    goals = {g["goal"]: g["status"] for g in report.evaluate_goals(run)}
    assert goals[report.GOALS_TEXT["W2 queries"]] == "n/a"


def test_the_plan_check_names_the_table_not_a_prefix_of_it():
    from bench.seed import reads_whole_table

    grants = "->  Seq Scan on complaints_complaintgroupobjectpermission v0  (cost=0.00..1.01)"
    assert not reads_whole_table(grants, "postgresql", "complaints_complaint")
    parallel = "->  Parallel Seq Scan on complaints_complaint  (cost=0.00..5000.00)"
    assert reads_whole_table(parallel, "postgresql", "complaints_complaint")
    assert reads_whole_table("3 0 0 SCAN complaints_complaint", "sqlite", "complaints_complaint")
    search = "5 0 0 SEARCH complaints_complaint USING INDEX sqlite_autoindex_1 (id=?)"
    assert not reads_whole_table(search, "sqlite", "complaints_complaint")
    grant_scan = "3 0 0 SCAN complaints_complaintuserobjectpermission"
    assert not reads_whole_table(grant_scan, "sqlite", "complaints_complaint")


def test_digest_workload_is_rendered_with_its_queue_size():
    w5 = {
        "followers": 100_000, "batch_size": 500, "enqueued_by_command": 1,
        "tasks": {"send_digest_batch": 201, "send_emails": 200}, "tasks_total": 401,
        "longest_queue": 1, "drain_s": 300.0, "digests_per_s": 333.3,
        "emails_sent": 100_000, "rerun_extra_emails": 0, "failed_tasks": 0,
        "news_now": {"tasks": {"deliver_news": 201}, "s": 20.0, "longest_queue": 1},
    }  # fmt: skip
    text = "\n".join(report.render_digests(w5))
    assert "| 100,000 | 500 | 1 | 401 (send_digest_batch 201, send_emails 200) | 1 |" in text
    assert "W5 not available: no" in "\n".join(report.render_digests({"unavailable": "no"}))


def test_cpu_meter_splits_the_cpu_spent_per_answered_request():
    import os

    from bench import cpu

    meter = cpu.Meter(lambda: [os.getpid()])  # this process stands in for the server
    spin = 0
    while cpu._own_cpu_s() - meter._own < 0.1:  # burn 100 ms of CPU, not of clock
        spin += 1
    spent = meter.per_request(answered=10)
    # The same 100 ms seen as the server's and as the generator's, over 10 answers.
    assert spent["server_ms"] >= 5
    assert spent["generator_ms"] >= 10
    assert spent["database_ms"] >= 0
    assert meter.per_request(answered=0) is None
