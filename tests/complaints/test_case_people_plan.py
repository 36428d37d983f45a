"""The one read of a case's people (complaints.rules.case_people) reaches the
accounts through the ids of the case's grants, supervisors and complainant,
never by passing over every account: with an OR of subqueries PostgreSQL
filtered all of them, 300-400 ms a transition in the benchmark's W2 with its
30,000 residents (bench/notes.md). Checked on both back-ends CI runs."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from complaints.rules import case_people
from tests.query_plans import rows_read

BYSTANDERS = 3_000


def _full_scans_of_accounts(sql: str) -> list[str]:
    """SQLite: the plan's steps that scan accounts_user whole."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        steps = [row[-1] for row in cursor.fetchall()]
    return [s for s in steps if s.startswith("SCAN") and "accounts_user" in s]


@pytest.mark.django_db
def test_case_people_reads_only_the_cases_people(make_complaint, people):
    complaint = make_complaint("submitted")
    User = get_user_model()
    User.objects.bulk_create(
        [User(username=f"bystander{i}", email=f"b{i}@example.org") for i in range(BYSTANDERS)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    complaint = Complaint.objects.get(pk=complaint.pk)
    with CaptureQueriesContext(connection) as queries:
        found = case_people(complaint)
    assert set(found.grants) == {people.caseworker.pk}
    assert people.supervisor in found.supervisors
    assert found.complainant == people.owner

    # The last is the people's read (permission ids may be read first, once a process).
    sql = queries.captured_queries[-1]["sql"]  # parameters filled in by the driver
    if connection.vendor == "postgresql":
        assert rows_read(sql, "accounts_user") < 20
    else:
        assert _full_scans_of_accounts(sql) == []
