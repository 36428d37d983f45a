"""Goals and the Markdown table, from the results dict (pure: no I/O)."""

from __future__ import annotations

from .stats import FLAT_GROWTH, ratio

# The W1 page measurement served from the anonymous page cache (core/page_cache.py).
CACHED_PAGE = "comments, page, anonymous, cached"

GOALS_TEXT = {
    "W1 queries": "W1: identical query count at 10 and 10,000 comments",
    "W1 cached": "W1: cached anonymous p95 within 2 x R_http",
    "W1 uncached": "W1: uncached p95 within R_http + 5 x R_sql",
    "W2 queries": "W2: constant queries (500-case queue vs 5-case queue)",
    "W2 p95": "W2: p95 within R_http + 3 x R_sql",
    "W2 plan": "W2: no sequential scan on the complaints table (PostgreSQL)",
    "W3": "W3: >= 1,000 accepted/s on PostgreSQL (half of R_insert on SQLite), "
    "0 duplicates, 0 lost, 0 5xx",
    "W3 ratio": "W3: accepted/s >= 0.9 x R_insert, count shown == rows within 2 s (issue 21)",
    "W4": "W4: p95 delivery within 250 ms, 0 drops",
    "W4 ratio": "W4: last-client p95 within 1.2 x R_ws, 0 drops (issue 21)",
}


def _p95(measurement: dict | None) -> float | None:
    if not measurement or "latency" not in measurement:
        return None
    return measurement["latency"]["p95_ms"]


def _goal(key: str, met: bool | None, detail: str) -> dict:
    status = "n/a" if met is None else ("met" if met else "missed")
    return {"goal": GOALS_TEXT[key], "status": status, "detail": detail}


def evaluate_goals(run: dict) -> list[dict]:
    refs, work = run.get("references", {}), run.get("workloads", {})
    http95 = _p95(refs.get("R_http"))
    sql = refs.get("R_sql", {})
    goals = []

    w1 = work.get("W1", {})
    if "unavailable" in w1 or not w1:
        reason = w1.get("unavailable", "not measured")
        goals += [_goal(k, None, reason) for k in ("W1 queries", "W1 cached", "W1 uncached")]
    else:
        # Compare the usual count (the most frequent one, listed first).
        by_label: dict[str, dict[str, int]] = {}
        for name, m in w1.items():
            size, _, label = name.partition(" comments, ")
            if m.get("queries"):
                by_label.setdefault(label, {})[size] = m["queries"][0]
        pairs = {label: sizes for label, sizes in by_label.items() if len(sizes) > 1}
        same = all(len(set(sizes.values())) == 1 for sizes in pairs.values())
        detail = "; ".join(
            f"{label}: " + " vs ".join(str(q) for q in sizes.values())
            for label, sizes in pairs.items()
        )
        goals.append(_goal("W1 queries", same if pairs else None, detail or "one size only"))
        cached = [(n, _p95(m)) for n, m in w1.items() if n.endswith(CACHED_PAGE)]
        ok = [p is not None and http95 is not None and p <= 2 * http95 for _, p in cached]
        goals.append(
            _goal(
                "W1 cached",
                all(ok) if cached else None,
                ", ".join(f"{n}: {p} ms" for n, p in cached) + f" (limit {_mul(2, http95)} ms)",
            )
        )
        uncached, ok = [], []
        for name, m in w1.items():
            if name.endswith(CACHED_PAGE) or _p95(m) is None:
                continue
            size = name.split(" ", 1)[0]
            limit = _add(http95, _mul(5, _p95(sql.get(f"W1 {size}"))))
            uncached.append(f"{name}: {_p95(m)} ms (limit {limit})")
            ok.append(limit is not None and _p95(m) <= limit)
        goals.append(_goal("W1 uncached", all(ok) if ok else None, "; ".join(uncached)))

    w2 = work.get("W2", {})
    if "unavailable" in w2 or not w2:
        reason = w2.get("unavailable", "not measured")
        goals += [_goal(k, None, reason) for k in ("W2 queries", "W2 p95")]
    else:
        big, small = w2.get("queue page"), w2.get("queue page, 5 cases")
        if big and small and big.get("queries") and small.get("queries"):
            met = big["queries"][0] == small["queries"][0]
            detail = f"{big['queries'][0]} vs {small['queries'][0]}"
        else:
            met, detail = None, "needs both queues"
        goals.append(_goal("W2 queries", met, detail))
        limit = _add(http95, _mul(3, _p95(sql.get("W2 queue"))))
        names = ("queue page", "API list")
        ok = [_p95(w2.get(n)) is not None and limit and _p95(w2[n]) <= limit for n in names]
        detail = ", ".join(f"{n}: {_p95(w2.get(n))} ms" for n in names) + f" (limit {limit} ms)"
        goals.append(_goal("W2 p95", all(ok), detail))

    plan = run.get("explain") or {}
    if run.get("backend") == "postgres" and "plan" in plan:
        verdict = "sequential scan" if plan["seq_scan"] else "index access only"
        goals.append(_goal("W2 plan", not plan["seq_scan"], verdict))

    w3 = work.get("W3", {})
    if "unavailable" in w3 or not w3:
        goals.append(_goal("W3", None, w3.get("unavailable", "not measured")))
    else:
        rate = w3.get("accepted_per_s") or 0
        if run.get("backend") == "postgres":
            floor, floor_text = 1000, "1,000/s"
        else:
            ref_rate = (refs.get("R_insert") or {}).get("accepted_per_s")
            floor = ref_rate / 2 if ref_rate else None
            floor_text = f"R_insert/2 = {floor}/s"
        lost = w3.get("lost")
        met = (
            floor is not None
            and rate >= floor
            and w3.get("stored_duplicates") == 0
            and lost == 0
            and w3.get("server_errors") == 0
            and w3.get("count_shown") == w3.get("rows")
        )
        detail = (
            f"{rate}/s (floor {floor_text}), duplicates {w3.get('stored_duplicates')}, "
            f"lost {lost}, 5xx {w3.get('server_errors')}, "
            f"shown {w3.get('count_shown')} / rows {w3.get('rows')}"
        )
        goals.append(_goal("W3", met, detail))
        ref_rate = (refs.get("R_insert") or {}).get("accepted_per_s")
        converged = w3.get("count_converged_s")
        met = (
            bool(ref_rate)
            and rate >= 0.9 * ref_rate
            and converged is not None
            and converged <= 2
            and w3.get("count_shown") == w3.get("rows")
            and w3.get("stored_duplicates") == 0
            and lost == 0
            and w3.get("server_errors") == 0
        )
        detail = (
            f"{rate}/s vs R_insert {ref_rate}/s (ratio {ratio(rate, ref_rate)}), "
            f"count shown after {converged} s"
        )
        goals.append(_goal("W3 ratio", met, detail))

    w4 = work.get("W4", {})
    if "unavailable" in w4 or not w4:
        goals.append(_goal("W4", None, w4.get("unavailable", "not measured")))
    else:
        p95 = w4["last_client"]["p95_ms"]
        met = p95 is not None and p95 <= 250 and w4["drops"] == 0 and w4["refused"] == 0
        detail = f"p95 {p95} ms, drops {w4['drops']}, refused {w4['refused']}"
        goals.append(_goal("W4", met, detail))
        ref95 = ((refs.get("R_ws") or {}).get("last_client") or {}).get("p95_ms")
        met = bool(ref95) and p95 is not None and p95 <= 1.2 * ref95 and w4["drops"] == 0
        detail = f"p95 {p95} ms vs R_ws {ref95} ms (ratio {ratio(p95, ref95)})"
        live95 = ((refs.get("R_ws_live") or {}).get("last_client") or {}).get("p95_ms")
        if live95:  # shown, not judged: W4's own cost over the path it takes
            detail += f"; vs R_ws_live {live95} ms (ratio {ratio(p95, live95)})"
        goals.append(_goal("W4 ratio", met, detail))
    return goals


def _mul(k: float, value: float | None) -> float | None:
    return None if value is None else round(k * value, 2)


def _add(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a + b, 2)


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _http_row(name: str, m: dict, ref_name: str, ref: dict | None) -> str:
    if "unavailable" in m:
        return f"| {name} | not available: {m['unavailable']} |||||||||"
    lat, sat = m["latency"], m.get("saturation", {})
    ref95 = _p95(ref)
    cells = [
        name,
        _fmt(lat["p50_ms"]),
        _fmt(lat["p95_ms"]),
        _fmt(lat["p99_ms"]),
        _fmt(sat.get("rps")),
        ", ".join(map(str, m["queries"])) or "–",
        _fmt(m["server_errors"]) + (f" (+{m['errors']} no answer)" if m.get("errors") else ""),
        f"{ref_name} {_fmt(ref95)}" if ref else "–",
        _fmt(ratio(lat["p95_ms"], ref95)),
        _fmt(ratio(sat.get("rps"), (ref or {}).get("saturation", {}).get("rps"))),
    ]
    return "| " + " | ".join(cells) + " |"


HTTP_HEAD = (
    "| measurement | p50 ms | p95 ms | p99 ms | req/s (saturated) | queries | 5xx "
    "| reference p95 ms | p95 ratio | req/s ratio |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
)


def _reference_for(workload: str, name: str, refs: dict) -> tuple[str, dict | None]:
    if workload == "W1":
        size = name.split(" ", 1)[0]
        if name.endswith(CACHED_PAGE) or f"W1 {size}" not in refs.get("R_sql", {}):
            return "R_http", refs.get("R_http")
        return f"R_sql W1 {size}", refs["R_sql"][f"W1 {size}"]
    if workload == "W2" and "W2 queue" in refs.get("R_sql", {}) and "transition" not in name:
        return "R_sql W2 queue", refs["R_sql"]["W2 queue"]
    return "R_http", refs.get("R_http")


def render_run(run: dict) -> list[str]:
    title = f"## {run['label']}, {run['workers']} uvicorn worker" + (
        "s" if run["workers"] > 1 else ""
    )
    lines = [title, ""]
    if run.get("error"):
        lines += [f"**The run failed:** {run['error']}", ""]
    refs, work = run.get("references", {}), run.get("workloads", {})
    rss = run.get("peak_rss_mb") or []
    lines += [f"Peak memory per worker (VmHWM): {', '.join(f'{r} MB' for r in rss) or '–'}", ""]

    if refs or work:
        lines += _http_section(refs, work)
    lines += _burst_and_fanout(refs, work)

    if "W5" in run:
        lines += render_digests(run["W5"])

    if "scale" in run:
        lines += render_scale(run["scale"])

    if "explain" in run:
        plan = run["explain"]
        lines += ["### W2 query plan of the caseworker's queue", ""]
        if "unavailable" in plan:
            lines += [f"Not available: {plan['unavailable']}", ""]
        else:
            verdict = "a sequential scan" if plan["seq_scan"] else "no sequential scan"
            lines += [f"The queue query uses {verdict} on the complaints table.", ""]
            lines += ["```", plan["plan"].rstrip(), "```", ""]

    lines += ["### Goals", "", "| goal | status | figures |", "| --- | --- | --- |"]
    lines += [f"| {g['goal']} | **{g['status']}** | {g['detail']} |" for g in run["goals"]]
    lines.append("")
    return lines


def _http_section(refs: dict, work: dict) -> list[str]:
    lines = ["### References and HTTP workloads", "", HTTP_HEAD]
    if "R_http" in refs:
        lines.append(_http_row("R_http (constant view)", refs["R_http"], "–", None))
    for name, m in refs.get("R_sql", {}).items():
        lines.append(_http_row(f"R_sql {name}", m, "R_http", refs.get("R_http")))
    for workload in ("W1", "W2"):
        block = work.get(workload)
        if block is None:
            continue
        if "unavailable" in block:
            lines.append(f"| {workload} | not available: {block['unavailable']} |||||||||")
            continue
        for name, m in block.items():
            ref_name, ref = _reference_for(workload, name, refs)
            lines.append(_http_row(f"{workload} {name}", m, ref_name, ref))
    lines.append("")
    return lines


def _burst_and_fanout(refs: dict, work: dict) -> list[str]:
    lines: list[str] = []
    if "R_insert" in refs or "W3" in work:
        lines += ["### W3 petition signing burst (open loop)", ""]
        w3, ri = work.get("W3", {}), refs.get("R_insert")
        if "unavailable" in w3:
            lines += [f"W3 not available: {w3['unavailable']}", ""]
        lines += [
            "| measurement | rate × s | accepted/s | p95 ms | 5xx | no answer | not sent "
            "| duplicates stored | lost | shown / rows |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, m in (("R_insert (raw insert)", ri), ("W3 signatures", w3)):
            if not m or "unavailable" in m:
                continue
            lines.append(
                f"| {name} | {m['rate']} × {m['duration_s']} | {_fmt(m['accepted_per_s'])} "
                f"| {_fmt(m['latency']['p95_ms'])} | {m['server_errors']} | {m['no_answer']} "
                f"| {m['not_sent']} | {_fmt(m.get('stored_duplicates'))} | {_fmt(m.get('lost'))} "
                f"| {_fmt(m.get('count_shown'))} / {_fmt(m.get('rows'))} |"
            )
        if ri and w3 and "unavailable" not in w3:
            lines.append(
                f"\nAccepted/s ratio W3 / R_insert: "
                f"{_fmt(ratio(w3['accepted_per_s'], ri['accepted_per_s']))}; "
                f"the list showed every accepted signature "
                f"{_fmt(w3.get('count_converged_s'))} s after the burst was answered"
            )
        spent = [
            f"{name} server {c['server_ms']}, database {c['database_ms']}, "
            f"load generator {c['generator_ms']}"
            for name, m in (("R_insert", ri), ("W3", w3))
            if m and (c := m.get("cpu_per_request"))
        ]
        if spent:
            lines.append(
                "\nCPU ms per answered request (bench/cpu.py; server = workers and task "
                "worker): " + "; ".join(spent)
            )
        lines.append("")

    if "R_ws" in refs or "W4" in work:
        lines += ["### W4 WebSocket fan-out", ""]
        w4 = work.get("W4", {})
        if "unavailable" in w4:
            lines += [f"W4 not available: {w4['unavailable']}", ""]
        lines += [
            "| measurement | clients (connected) | messages | last client p50 / p95 / max ms "
            "| all deliveries p95 ms | drops |",
            "| --- | --- | ---: | --- | ---: | ---: |",
        ]
        rows = (
            ("R_ws (bare broadcast)", refs.get("R_ws")),
            ("R_ws_live (the same, one member per process)", refs.get("R_ws_live")),
            ("W4 comments", w4),
        )
        for name, m in rows:
            if not m or "unavailable" in m:
                continue
            last = m["last_client"]
            lines.append(
                f"| {name} | {m['clients']} ({m['connected']}) | {m['messages']} "
                f"| {_fmt(last['p50_ms'])} / {_fmt(last['p95_ms'])} / {_fmt(last['max_ms'])} "
                f"| {_fmt(m['all_deliveries']['p95_ms'])} | {m['drops']} |"
            )
        lines.append("")
    return lines


def render_digests(w5: dict) -> list[str]:
    """W5: the daily digest to N followers (bench.digests)."""
    lines = ["### W5 digests (daily e-mail digest, batched tasks)", ""]
    if "unavailable" in w5:
        return [*lines, f"W5 not available: {w5['unavailable']}", ""]
    tasks = ", ".join(f"{name} {count}" for name, count in sorted(w5["tasks"].items()))
    now_tasks = ", ".join(f"{n} {c}" for n, c in sorted(w5["news_now"]["tasks"].items()))
    lines += [
        "| followers | batch | enqueued by the command | tasks in all | longest queue "
        "| drain s | digests/s | e-mails | again: extra e-mails | failed |",
        "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {w5['followers']:,} | {w5['batch_size']} | {w5['enqueued_by_command']} "
        f"| {w5['tasks_total']} ({tasks}) | {w5['longest_queue']} | {_fmt(w5['drain_s'])} "
        f"| {_fmt(w5['digests_per_s'])} | {w5['emails_sent']:,} | {w5['rerun_extra_emails']} "
        f"| {w5['failed_tasks']} |",
        "",
        f"The same news as it happens walks the followers in {now_tasks} task(s) "
        f"({_fmt(w5['news_now']['s'])} s; longest queue {w5['news_now']['longest_queue']}).",
        "",
    ]
    return lines


SCALE_TITLES = {
    "W1": "W1 consultation",
    "W2": "W2 casework (own queue 500 cases)",
    "statistics": "Complaint statistics (public page)",
}


def _sizes_text(sizes: list[int], unit: str) -> str:
    return " / ".join(f"{n:,}" for n in sizes) + f" {unit}"


def _seconds(value) -> str:
    return "–" if value is None else f"{value:,.1f} s"


# Measured and fitted, but not what a reader waits for.
NOT_JUDGED = {
    "page, computed afresh": "the refresh, which the task worker runs; a reader "
    "waits for it only when no snapshot is stored at all (a new install)",
}


def scale_goals(scale: dict) -> list[dict]:
    """Per series: met when every measurement grows flat or log with the size."""
    goals = []
    series = scale.get("series", {})
    for name, title in SCALE_TITLES.items():
        goal = f"Scale {title}: p95 flat or log in the number of {_unit(name)} (issue 21)"
        block = series.get(name)
        if "unavailable" in scale or not block:
            reason = scale.get("unavailable", "not measured")
            goals.append({"goal": goal, "status": "n/a", "detail": reason})
            continue
        fits, details, verdicts = block.get("fits", {}), [], []
        for label, runs in block["measurements"].items():
            fit = fits.get(label, {})
            figures = " → ".join(_fmt(_p95(m)) for m in runs)
            if fit.get("fit") is None:
                details.append(f"{label}: not fitted ({figures} ms)")
                continue
            if label not in NOT_JUDGED:
                verdicts.append(fit["fit"])
            text = (
                f"{label}: {fit['fit']}, {figures} ms "
                f"({fit['growth']} × over {fit['size_ratio']:,.0f} × the size)"
            )
            if label in NOT_JUDGED:
                text += f" (not judged: {NOT_JUDGED[label]})"
            elif fit["fit"] == "linear":
                text += "; grows with the whole table, not with what the page shows"
            details.append(text)
        status = "n/a" if not verdicts else ("missed" if "linear" in verdicts else "met")
        goals.append({"goal": goal, "status": status, "detail": "; ".join(details)})
    return goals


def _unit(name: str) -> str:
    return {"W1": "comments"}.get(name, "complaints")


def render_scale(scale: dict) -> list[str]:
    lines = ["### Scale series (cost curves)", ""]
    if "unavailable" in scale:
        return [*lines, f"Not available: {scale['unavailable']}", ""]
    lines += [
        "One worker, one client back to back at each size; the fit compares the p95 "
        f"with the size (flat: under {FLAT_GROWTH} × from the smallest to the largest; "
        "else the closer least-squares fit of a + b·log n and a + b·n).",
        "",
        "| series | measurement | sizes | p95 ms | queries | requests | growth | fit |",
        "| --- | --- | --- | --- | --- | --- | ---: | --- |",
    ]
    for name, block in scale.get("series", {}).items():
        sizes = _sizes_text(block["sizes"], block["unit"])
        for label, runs in block["measurements"].items():
            fit = block.get("fits", {}).get(label, {})
            p95 = " / ".join(_fmt(_p95(m)) if "latency" in m else "–" for m in runs)
            queries = " / ".join(str(m["queries"][0]) if m.get("queries") else "–" for m in runs)
            count = " / ".join(str(m["latency"]["count"]) if "latency" in m else "–" for m in runs)
            bad = sum(
                n for m in runs for k, n in m.get("statuses", {}).items() if not 200 <= int(k) < 300
            ) + sum(m.get("errors", 0) for m in runs)
            if bad:
                count += f" ({bad} not 2xx)"
            lines.append(
                f"| {SCALE_TITLES.get(name, name)} | {label} | {sizes} | {p95} | {queries} "
                f"| {count} | {_fmt(fit.get('growth'))} | **{fit.get('fit') or '–'}** |"
            )
    lines.append("")
    seeding = scale.get("seeding", [])
    if seeding:
        steps = "; ".join(
            f"to {step['complaints']:,} in {_seconds(step['seed_s'])}" for step in seeding
        )
        lines += [
            f"Seeding (bulk, {scale.get('backend_note', 'COPY or executemany')}): complaints "
            f"{steps}; the database migrated and the W1 consultations written in "
            f"{_seconds(scale.get('prepare_s'))}; the series took "
            f"{_seconds(scale.get('duration_s'))}.",
            "",
        ]
    return lines


def render(results: dict, notes: str = "") -> str:
    machine = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        "Generated by `"
        + ("make bench-quick" if results["mode"] == "quick" else "make bench")
        + "` (`python -m bench`); do not edit by hand — edit `bench/notes.md`.",
        "",
        f"- Date: {results['date']}",
        f"- Mode: **{results['mode']}**"
        + (" (short runs and smaller data: indicative only)" if results["mode"] == "quick" else ""),
        f"- Commit: {results.get('commit', '–')}",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, "
        f"Python {machine['python']}, {machine['platform']}",
        "- Server: uvicorn `config.asgi:application`, `config.settings.production`, "
        "DEBUG off, the full middleware stack; load generator on the same machine "
        "(asyncio: the measured requests through `bench/wire.py`, a lean HTTP/1.1 "
        "client; httpx to sign in; websockets), loopback only.",
        "- Latency percentiles come from one client sending back to back; req/s from "
        "many clients at saturation. Each figure stands beside a reference measured in "
        "the same run on the same server; the ratio is what to read on a noisy machine.",
        "",
    ]
    if results.get("unavailable"):
        lines += ["## Not measured in this run", ""]
        lines += [f"- {name}: not available: {why}" for name, why in results["unavailable"].items()]
        lines.append("")
    for run in results["runs"]:
        lines += render_run(run)
    if notes.strip():
        lines += ["## Analysis", "", notes.strip(), ""]
    return "\n".join(lines) + "\n"
