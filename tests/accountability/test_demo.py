"""seed_demo's accountability part: indicators with a five-year plan and
values, recommendations with department answers, published decisions of the
demo's decided cases, in both languages; idempotent."""

from io import StringIO

import pytest

from accountability.models import Decision, Indicator, Recommendation

pytestmark = pytest.mark.django_db


def test_demo_content_in_both_languages(client):
    from accountability import demo as accountability_demo
    from accounts import demo as accounts_demo
    from complaints import demo as complaints_demo

    for module in (accounts_demo, complaints_demo, accountability_demo, accountability_demo):
        module.seed(stdout=StringIO())  # the last twice: idempotent
    assert Indicator.objects.count() == 5
    for indicator in Indicator.objects.all():
        assert indicator.title_ko and indicator.title_en and indicator.live
        assert indicator.targets.count() == 5 and indicator.measurements.exists()
    answered = Recommendation.objects.exclude(answer="")
    assert {r.answer for r in answered} == {"accepted", "partly_accepted", "rejected"}
    assert all(r.answer_text_ko and r.answer_text_en for r in answered)
    decisions = Decision.objects.filter(state="published")
    assert decisions.count() == 2
    assert all(d.complaint is not None for d in decisions)  # from the decided demo cases
    assert Recommendation.objects.filter(decision__in=decisions).exists()
    for lang, word in (("ko", "나이"), ("en", "age")):
        body = client.get("/api/v1/decisions", HTTP_ACCEPT_LANGUAGE=lang).json()
        assert any(word in d["title"] for d in body)


@pytest.mark.parametrize(
    "path",
    [
        "/ko/accountability/",
        "/ko/accountability/statistics/?by=outcome",
        "/ko/accountability/indicators/",
        "/ko/accountability/indicators/EQ-01/",
        "/ko/accountability/recommendations/",
        "/ko/accountability/decisions/",
        "/ko/search/?q=%EC%B0%A8%EB%B3%84",
    ],
)
def test_korean_pages_show_no_english_ui_string(client, site_pages, path):
    from accountability import demo as accountability_demo
    from tests.core.test_i18n import TextNodes, english_ui_strings

    accountability_demo.seed(stdout=StringIO())
    html = client.get(path).content.decode()
    parser = TextNodes()
    parser.feed(html)
    assert english_ui_strings().intersection(parser.texts) == set()
