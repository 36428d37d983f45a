"""The count answered after a signature (the folded count plus the rows after
the fold's mark) reads only the rows after the mark, not every signature of
the petition: with an index on the petition alone PostgreSQL read them all,
so the busiest petition cost each signer the most (3.3 against 0.3 ms per
signature at 60,000 signatures; bench/notes.md). Checked on both back-ends
CI runs; SQLite chose the primary key's range either way, PostgreSQL read
3,006 rows here without the (petition, id) index."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions.models import Petition, Signature
from petitions.services import petition_fold, petition_sign_by_id
from tests import factories
from tests.petitions.factories import PetitionFactory
from tests.query_plans import rows_read

FOLDED = 3_000
SINCE_THE_FOLD = 5
OTHER_PETITIONS = 7


def _signature_steps(sql: str) -> list[str]:
    """SQLite: the plan's steps that read the signature table (alias `s`)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [row[-1] for row in cursor.fetchall() if row[-1].startswith(("SCAN s", "SEARCH s"))]


@pytest.mark.django_db
def test_the_count_after_a_signature_reads_only_the_rows_after_the_fold():
    petition = PetitionFactory(threshold=1_000_000)
    User = get_user_model()
    signers = User.objects.bulk_create(
        [User(username=f"signer{i}", email=f"s{i}@example.org") for i in range(FOLDED)]
    )
    # Signed by the same people: the petition is one of several, as in a city.
    for other in [petition, *PetitionFactory.create_batch(OTHER_PETITIONS)]:
        Signature.objects.bulk_create([Signature(petition=other, user=u) for u in signers])
    petition_fold(petition_id=petition.pk)
    late = User.objects.bulk_create(
        [User(username=f"late{i}", email=f"l{i}@example.org") for i in range(SINCE_THE_FOLD)]
    )
    Signature.objects.bulk_create([Signature(petition=petition, user=u) for u in late])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    with CaptureQueriesContext(connection) as queries:
        signed = petition_sign_by_id(petition_id=petition.pk, user=factories.resident())

    assert signed.created
    assert signed.signature_count == FOLDED + SINCE_THE_FOLD + 1
    assert Petition.objects.get(pk=petition.pk).signature_count == FOLDED  # not written
    sql = next(
        q["sql"] for q in reversed(queries.captured_queries) if "COUNT(*)" in q["sql"]
    )  # the count (on PostgreSQL the signing statement itself), parameters filled in
    if connection.vendor == "postgresql":
        assert rows_read(sql, Signature._meta.db_table) < 50
    else:
        steps = _signature_steps(sql)
        assert steps, sql
        assert all("id>?" in step.replace(" ", "") for step in steps), steps
