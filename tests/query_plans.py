"""PostgreSQL plans read in tests: how many rows of one table a statement's
plan touched, kept or filtered out, so a test can tell an index seek from a
pass over the table."""

import json

from django.db import connection


def rows_read(sql: str, table: str) -> int:
    """Rows of `table` the plan's scans read (EXPLAIN ANALYZE runs the statement)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def walk(node) -> int:
        own = 0
        if node.get("Relation Name") == table and "Scan" in node["Node Type"]:
            rows = (
                node.get("Actual Rows", 0)
                + node.get("Rows Removed by Filter", 0)
                + node.get("Rows Removed by Index Recheck", 0)
            )
            own = rows * node.get("Actual Loops", 1)
        return own + sum(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])
