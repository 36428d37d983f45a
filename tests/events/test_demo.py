from io import StringIO

import pytest

from accounts import demo as accounts_demo
from consultations import demo as consultations_demo
from events import demo
from events.models import EventPage

pytestmark = pytest.mark.django_db


def test_demo_events_are_upcoming_bilingual_and_idempotent(site_pages, client_for):
    accounts_demo.seed(stdout=StringIO())
    consultations_demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    assert EventPage.objects.filter(locale__language_code="ko").count() == 3
    assert EventPage.objects.filter(locale__language_code="en").count() == 3
    hearing = EventPage.objects.get(slug="hearing-draft-policy", locale__language_code="en")
    assert hearing.consultation is not None and hearing.consultation.locale.language_code == "en"
    for lang in ("ko", "en"):
        rows = client_for(None).get(f"/api/v1/events?language={lang}").json()
        assert len(rows) == 3 and all(not EventPage.objects.get(pk=r["id"]).is_past for r in rows)
        assert client_for(None).get(f"/{lang}/events/").status_code == 200
        for row in rows:
            assert client_for(None).get(row["url"]).status_code == 200
