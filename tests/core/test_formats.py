"""One date and time format per language (config/formats, issue 13)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import formats, translation

WHEN = dt.datetime(2026, 12, 1, 17, 46, tzinfo=ZoneInfo("Asia/Seoul"))
MORNING = dt.datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("Asia/Seoul"))


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


def test_korean_date_and_time():
    assert _render('{{ w|date:"DATETIME_FORMAT" }}', "ko", w=WHEN) == "2026년 12월 1일 오후 5:46"
    assert (
        _render('{{ w|date:"DATETIME_FORMAT" }}', "ko", w=MORNING) == "2026년 11월 21일 오전 9:05"
    )
    assert _render('{{ w|date:"DATE_FORMAT" }}', "ko", w=WHEN) == "2026년 12월 1일"


def test_english_date_and_time():
    assert _render('{{ w|date:"DATETIME_FORMAT" }}', "en", w=WHEN) == "1 December 2026, 5:46 pm"
    assert _render('{{ w|date:"DATETIME_FORMAT" }}', "en", w=MORNING) == "21 November 2026, 9:05 am"
    assert _render('{{ w|date:"DATE_FORMAT" }}', "en", w=WHEN) == "1 December 2026"


def test_short_formats_and_python_callers_use_the_same_format():
    for language in ("ko", "en"):
        with translation.override(language):
            assert formats.date_format(WHEN, "SHORT_DATETIME_FORMAT") == formats.date_format(
                WHEN, "DATETIME_FORMAT"
            )
            assert formats.date_format(WHEN.date()) == formats.date_format(
                WHEN.date(), "SHORT_DATE_FORMAT"
            )


def test_a_plain_datetime_in_a_template_uses_the_format():
    assert _render("{{ w }}", "ko", w=WHEN) == "2026년 12월 1일 오후 5:46"
