"""Human Rights Indicators: the API's shape, only live ones, the page with its
trend chart and table, CSV and JSON downloads, and links to grounds."""

import json

import pytest

from tests.accountability.conftest import make_indicator

pytestmark = pytest.mark.django_db


def test_api_has_the_contract_shape(client):
    make_indicator()
    body = client.get("/api/v1/indicators", HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(body) == 1
    item = body[0]
    assert {
        "code",
        "area",
        "title",
        "unit",
        "direction",
        "baseline",
        "targets",
        "values",
        "url",
    } <= set(item)
    assert item["baseline"] == {"year": 2025, "value": 61.0}
    assert [t["year"] for t in item["targets"]] == [2026, 2027, 2028, 2029, 2030]
    assert item["values"] == [{"year": 2026, "value": 67.5, "source": "Survey"}]
    assert item["title"] == "Buildings meeting accessibility standards"
    assert item["url"] == "/en/accountability/indicators/EQ-01/"


def test_api_follows_the_language(client):
    make_indicator()
    body = client.get("/api/v1/indicators", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert body[0]["title"] == "편의시설 기준 충족 비율"
    assert body[0]["values"][0]["source"] == "조사"


def test_hidden_indicators_are_nowhere(client):
    make_indicator("HID-01", live=False, title_en="Secret draft indicator")
    assert client.get("/api/v1/indicators").json() == []
    assert client.get("/en/accountability/indicators/HID-01/").status_code == 404
    assert client.get("/en/accountability/indicators/HID-01.csv").status_code == 404
    assert b"Secret draft" not in client.get("/en/accountability/indicators/").content
    assert b"Secret draft" not in client.get("/en/accountability/indicators.csv").content


def test_find_the_indicator_for_a_ground(client):
    make_indicator("EQ-01", grounds=("disability",))
    make_indicator("EQ-02", grounds=("age",), title_en="Older residents")
    codes = [i["code"] for i in client.get("/api/v1/indicators?ground=age").json()]
    assert codes == ["EQ-02"]
    page = client.get("/en/accountability/indicators/?ground=age").content.decode()
    assert "Older residents" in page and "Buildings meeting" not in page
    assert client.get("/api/v1/indicators?ground=nope").status_code == 400


def test_page_has_an_accessible_trend_chart_and_its_table(client):
    make_indicator()
    html = client.get("/en/accountability/indicators/EQ-01/").content.decode()
    assert 'role="img"' in html and '<title id="trend-chart-title">' in html
    assert "<desc" in html and "<polyline" in html
    assert "<table" in html and "67.5" in html and ">95<" in html


def test_downloads(client):
    make_indicator()
    csv_text = client.get("/en/accountability/indicators/EQ-01.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "code,title,unit,year,baseline,target,value,source,note"
    assert "EQ-01,Buildings meeting accessibility standards,%,2026,,66.00,67.50,Survey," in csv_text
    data = json.loads(client.get("/en/accountability/indicators.json").content)
    assert data[0]["code"] == "EQ-01"


def test_list_queries_are_bounded(client, django_assert_max_num_queries):
    for i in range(6):
        make_indicator(f"EQ-{i:02d}", grounds=("age", "sex"))
    with django_assert_max_num_queries(6):
        assert len(client.get("/api/v1/indicators").json()) == 6


def test_back_link_tag_for_petitions():
    from django.template import Context, Template

    from tests.petitions.factories import PetitionFactory

    petition = PetitionFactory()
    for indicator in (
        make_indicator(),
        make_indicator("HID-02", live=False, title_en="Hidden one"),
    ):
        indicator.petitions.add(petition)  # a cluster relation: kept on save
        indicator.save()
    html = Template("{% load accountability_tags %}{% indicator_links petition %}").render(
        Context({"petition": petition})
    )
    assert "/accountability/indicators/EQ-01/" in html and "Hidden one" not in html
