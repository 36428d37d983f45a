"""Complaint statistics: the contract's shape, suppression on real rows,
bounded queries, the page (chart and table), CSV, and bad input."""

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


def test_stale_tables_are_served_while_one_refresh_runs(monkeypatch):
    from django.core.cache import cache

    bulk_complaints(6, grounds=("sex",))
    first = statistics.complaint_statistics()  # none yet: computed on the request
    assert first.tables["ground"].table.cells[-1][-1] == 6
    bulk_complaints(6, grounds=("age",))
    started = []
    monkeypatch.setattr(statistics, "_refresh_in_background", lambda: started.append(1))
    # Fresh: no refresh, the same tables.
    assert statistics.complaint_statistics().tables["ground"].table.cells[-1][-1] == 6
    assert started == []
    computed_at, stats = cache.get(statistics.CACHE_KEY)
    cache.set(statistics.CACHE_KEY, (computed_at - 3600, stats))
    # Stale: every reader still gets the old tables at once; one refresh starts.
    for _ in range(3):
        assert statistics.complaint_statistics().tables["ground"].table.cells[-1][-1] == 6
    assert started == [1]
    statistics.refresh()  # what the background thread runs
    assert statistics.complaint_statistics().tables["ground"].table.cells[-1][-1] == 12
    assert cache.get(statistics.REFRESH_LOCK_KEY) is None


def test_the_background_refresh_replaces_the_tables_and_frees_the_lock(monkeypatch):
    from django.core.cache import cache

    ran = []

    class InlineThread:
        def __init__(self, target, **kwargs):
            self.target = target

        def start(self):
            ran.append(1)
            self.target()

    monkeypatch.setattr(statistics.threading, "Thread", InlineThread)
    # The test's connection must stay open inside its transaction.
    monkeypatch.setattr(statistics.connection, "close", lambda: None)
    bulk_complaints(6, grounds=("sex",))
    cache.set(statistics.CACHE_KEY, (0, statistics.compute()))
    bulk_complaints(6, grounds=("age",))
    assert statistics.complaint_statistics().tables["ground"].table.cells[-1][-1] == 6
    assert ran == [1]
    assert statistics.complaint_statistics().tables["ground"].table.cells[-1][-1] == 12
    assert cache.get(statistics.REFRESH_LOCK_KEY) is None
