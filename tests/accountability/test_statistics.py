"""Complaint statistics: the contract's shape, suppression on real rows,
bounded queries, the page (chart and table), CSV, and bad input."""

import io

import pytest
from django.utils import timezone

from accountability import statistics
from tests.accountability.conftest import bulk_complaints

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def get(client, **params):
    response = client.get("/api/v1/statistics/complaints", params)
    assert response.status_code == 200, response.content
    return response.json()


def rows(answer):
    return {row["key"]: row["count"] for row in answer["rows"]}


def test_answer_has_the_contract_shape(client):
    bulk_complaints(12, grounds=("sex",), field_of_life="housing")
    bulk_complaints(7, grounds=("age",), field_of_life="employment")
    answer = get(client, by="ground")
    assert set(answer) >= {"by", "year", "threshold", "total", "rows"}
    assert answer["by"] == "ground" and answer["year"] is None and answer["threshold"] == 5
    assert answer["total"] == 19
    counts = rows(answer)
    assert counts["sex"] == 12
    assert counts["religion"] is None  # zero is under 5 too
    # Secondary: with the total shown, sex and age alone would tell that every
    # other ground is 0 (counts are never negative), so age goes too.
    assert counts["age"] is None
    assert {"key", "label", "count"} == set(answer["rows"][0])


def test_labels_follow_the_language(client):
    bulk_complaints(6, grounds=("disability",))
    ko = client.get("/api/v1/statistics/complaints?by=ground", HTTP_ACCEPT_LANGUAGE="ko").json()
    en = client.get("/api/v1/statistics/complaints?by=ground", HTTP_ACCEPT_LANGUAGE="en").json()
    label = {r["key"]: r["label"] for r in en["rows"]}["disability"]
    assert label == "Disability"
    assert {r["key"]: r["label"] for r in ko["rows"]}["disability"] == "장애"


def test_a_small_cell_is_withheld_with_a_second_one(client):
    bulk_complaints(3, channel="phone")
    bulk_complaints(20, channel="online")
    bulk_complaints(9, channel="visit")
    counts = rows(get(client, by="channel"))
    assert counts["phone"] is None
    # Total 32 is published, so phone never stands alone among the withheld.
    assert sum(v is None for v in counts.values()) >= 2


def test_a_lone_small_cell_takes_the_next_smallest(client):
    for channel, n in (("phone", 3), ("online", 20), ("visit", 9), ("letter", 7), ("email", 6)):
        bulk_complaints(n, channel=channel)
    counts = rows(get(client, by="channel"))
    assert counts == {"phone": None, "online": 20, "visit": 9, "letter": 7, "email": None}


def test_a_year_is_a_column_of_the_same_table(client):
    bulk_complaints(6, field_of_life="housing", year=THIS_YEAR - 1)
    bulk_complaints(3, field_of_life="housing", year=THIS_YEAR)
    bulk_complaints(8, field_of_life="health", year=THIS_YEAR)
    bulk_complaints(7, field_of_life="health", year=THIS_YEAR - 1)
    all_years = rows(get(client, by="field_of_life"))
    this = rows(get(client, by="field_of_life", year=THIS_YEAR))
    last = rows(get(client, by="field_of_life", year=THIS_YEAR - 1))
    assert this["housing"] is None
    # housing this year = all years - last year, unless one of those is withheld.
    assert None in (all_years["housing"], last["housing"])


def test_quarter_outcome_and_median(client):
    bulk_complaints(5, status="decided", month=2, decided_after_days=30)
    bulk_complaints(6, status="withdrawn", month=5)
    bulk_complaints(5, status="submitted", month=8)
    bulk_complaints(5, status="rejected", month=11)
    bulk_complaints(5, status="referred", month=11)
    bulk_complaints(7, status="closed", month=11)  # settled: closed without a decision
    quarters = rows(get(client, by="quarter", year=THIS_YEAR))
    assert quarters == {"Q1": 5, "Q2": 6, "Q3": 5, "Q4": 17}
    answer = get(client, by="outcome")
    assert rows(answer) == {
        "pending": 5,
        "decided": 5,
        "settled": 7,
        "rejected": 5,
        "referred": 5,
        "withdrawn": 6,
    }
    assert answer["median_days_to_decision"] == pytest.approx(30, abs=1)


def test_median_is_withheld_under_five_decisions(client):
    bulk_complaints(4, status="decided", decided_after_days=10)
    assert get(client, by="outcome")["median_days_to_decision"] is None


def test_rare_combinations_are_pooled(client):
    bulk_complaints(6, grounds=("sex", "pregnancy_childbirth"))
    bulk_complaints(2, grounds=("race", "national_origin"))
    bulk_complaints(9, grounds=("age",))
    keys = [row["key"] for row in get(client, by="grounds_combination")["rows"]]
    assert "pregnancy_childbirth+sex" in keys and "age" in keys
    assert "national_origin+race" not in keys  # its mere row would tell it exists
    assert statistics.OTHER_COMBINATIONS in keys


@pytest.mark.parametrize("params", [{"by": "name"}, {"year": "1800"}, {"year": "abc"}])
def test_bad_input_is_a_400_naming_the_field(client, params):
    response = client.get("/api/v1/statistics/complaints", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] in params


@pytest.mark.parametrize("size", [10, 200])
def test_queries_do_not_grow_with_the_data(client, django_assert_num_queries, size):
    bulk_complaints(size, grounds=("sex", "age"), status="decided", decided_after_days=12)
    bulk_complaints(size // 2, grounds=("religion",), channel="phone")
    with django_assert_num_queries(1):  # the complaints, their sealed grounds, first decision
        statistics.compute()


def test_page_has_chart_and_table_both_languages(client):
    bulk_complaints(8, grounds=("sex",))
    for lang, heading in (("en", "Complaint statistics"), ("ko", "진정 통계")):
        response = client.get(f"/{lang}/accountability/statistics/?by=ground")
        assert response.status_code == 200
        html = response.content.decode()
        assert heading in html
        assert "<svg viewBox" in html and 'role="img"' in html and "<desc" in html
        assert "<table" in html and ">8<" in html


def test_page_bad_input_is_400(client):
    assert client.get("/en/accountability/statistics/?by=x").status_code == 400
    assert client.get("/en/accountability/statistics.csv?year=x").status_code == 400


def test_csv(client):
    for channel, n in (("letter", 8), ("online", 9), ("phone", 3), ("visit", 5), ("email", 7)):
        bulk_complaints(n, channel=channel)
    response = client.get("/en/accountability/statistics.csv?by=channel")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "letter,Letter,8" in text
    assert "phone,Phone,\r\n" in text


def _total(stats):
    return stats.tables["ground"].table.cells[-1][-1]


def _make_stale():
    from datetime import timedelta

    from django.core.cache import cache

    from accountability.models import StatisticsSnapshot

    StatisticsSnapshot.objects.update(computed_at=timezone.now() - timedelta(hours=1))
    cache.delete(statistics.CACHE_KEY)


def test_a_new_install_computes_once_and_stores_the_snapshot(django_assert_num_queries):
    from django.core.cache import cache

    from accountability.models import StatisticsSnapshot

    bulk_complaints(6, grounds=("sex",))
    assert not StatisticsSnapshot.objects.exists()
    assert _total(statistics.complaint_statistics()) == 6  # none yet: computed on the request
    assert StatisticsSnapshot.objects.count() == 1
    # Another worker, a restart, an emptied cache: the snapshot, in one query.
    cache.delete(statistics.CACHE_KEY)
    with django_assert_num_queries(1):
        assert _total(statistics.complaint_statistics()) == 6
    with django_assert_num_queries(0):  # then the cache
        statistics.complaint_statistics()


def test_the_snapshot_holds_the_published_cells_only():
    bulk_complaints(3, channel="phone")
    bulk_complaints(20, channel="online")
    bulk_complaints(9, channel="visit")
    stats = statistics.compute()
    payload = statistics.to_payload(stats)
    table = stats.tables["channel"].table
    stored = payload["tables"]["channel"]["cells"]
    assert table.withheld and all(stored[r][c] is None for r, c in table.withheld)
    back = statistics.from_payload(payload)
    for by, original in stats.tables.items():
        again = back.tables[by].table
        assert back.tables[by].keys == original.keys
        assert again.withheld == original.table.withheld
        assert all(
            again.published(r, c) == original.table.published(r, c)
            for r in range(again.rows + 1)
            for c in range(again.cols + 1)
        )
    assert back.median_days == stats.median_days and back.years == stats.years


def test_the_page_is_served_from_the_snapshot_in_one_query(client, django_assert_num_queries):
    from django.core.cache import cache

    bulk_complaints(8, grounds=("sex",))
    statistics.refresh()
    assert client.get("/en/accountability/statistics/?by=ground").status_code == 200
    with django_assert_num_queries(0):  # the tables from the cache, the page from nothing else
        first = client.get("/en/accountability/statistics/?by=ground")
    cache.delete(statistics.CACHE_KEY)  # as in a worker that has not read them yet
    bulk_complaints(100, grounds=("age",))  # not counted until the next refresh
    with django_assert_num_queries(1):  # the newest snapshot, whatever the complaints
        second = client.get("/en/accountability/statistics/?by=ground")
    assert first.content == second.content and ">8<" in second.content.decode()


def test_a_stale_snapshot_is_served_and_one_refresh_is_queued(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    bulk_complaints(6, grounds=("sex",))
    statistics.refresh()
    bulk_complaints(6, grounds=("age",))
    with django_capture_on_commit_callbacks() as queued:
        assert _total(statistics.complaint_statistics()) == 6  # fresh: nothing queued
    assert queued == []
    _make_stale()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for _ in range(3):  # every reader still gets the old tables at once
            assert _total(statistics.complaint_statistics()) == 6
        # Another worker with a cache of its own: the claim in the database holds.
        cache.delete(statistics.REFRESH_LOCK_KEY)
        assert _total(statistics.complaint_statistics()) == 6
    assert len(queued) == 1
    queued[0]()  # the task (the immediate backend in tests runs it here)
    assert _total(statistics.complaint_statistics()) == 12
    assert cache.get(statistics.REFRESH_LOCK_KEY) is None


def test_the_task_replaces_a_stale_snapshot_and_leaves_a_fresh_one():
    from accountability import tasks
    from accountability.models import StatisticsSnapshot

    bulk_complaints(6, grounds=("sex",))
    statistics.refresh()
    bulk_complaints(6, grounds=("age",))
    assert tasks.refresh_statistics.enqueue().return_value == 0  # fresh: nothing to do
    _make_stale()
    assert tasks.refresh_statistics.enqueue().return_value == 1
    newest = StatisticsSnapshot.objects.first()
    assert newest.payload["tables"]["ground"]["cells"][-1][-1] == 12
    assert _total(statistics.complaint_statistics()) == 12
    for _ in range(statistics.SNAPSHOTS_KEPT + 1):
        statistics.refresh()
    assert StatisticsSnapshot.objects.count() == statistics.SNAPSHOTS_KEPT


def test_the_command_stores_a_new_snapshot():
    from django.core.management import call_command

    from accountability.models import StatisticsSnapshot

    bulk_complaints(6, grounds=("sex",))
    call_command("refresh_statistics", stdout=io.StringIO())
    assert StatisticsSnapshot.objects.first().payload["tables"]["ground"]["cells"][-1][-1] == 6
