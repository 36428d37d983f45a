import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import ConsultationIndexPage, ConsultationPage
from tests import factories

PHASE_DATES = {
    "upcoming": (timedelta(days=3), timedelta(days=30)),
    "open": (timedelta(days=-3), timedelta(days=30)),
    "closed": (timedelta(days=-30), timedelta(days=-1)),
}


def section(title: str, body: str = "<p>Text.</p>", block_id: str | None = None) -> dict:
    return {
        "type": "section",
        "value": {"title": title, "body": body},
        "id": block_id or str(uuid.uuid4()),
    }


@pytest.fixture
def index_page(site_pages):
    home = site_pages.home_page("ko")
    page = ConsultationIndexPage.objects.child_of(home).first()
    if page is None:
        page = home.add_child(
            instance=ConsultationIndexPage(title="의견 수렴", slug="consultations")
        )
        page.save_revision().publish()
    return page


@pytest.fixture
def make_consultation(index_page):
    counter = {"n": 0}

    def make(phase: str = "open", sections: int = 3, title: str | None = None) -> ConsultationPage:
        counter["n"] += 1
        starts, ends = PHASE_DATES[phase]
        now = timezone.now()
        page = index_page.add_child(
            instance=ConsultationPage(
                title=title or f"Draft policy {counter['n']}",
                slug=f"draft-{counter['n']}-{phase}",
                summary="A draft policy.",
                easy_read_summary="Short words.",
                department="Human Rights Office",
                opens_at=now + starts,
                closes_at=now + ends,
                draft=json.dumps([section(f"Section {i + 1}") for i in range(sections)]),
            )
        )
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def consultation(make_consultation):
    return make_consultation("open")


@pytest.fixture
def unverified_resident(db):
    return factories.resident(email_verified=False)


@pytest.fixture
def other_resident(db):
    return factories.resident()


def post_json(client, url, data=None, method="post"):
    return getattr(client, method)(
        url, data=json.dumps(data or {}), content_type="application/json"
    )
