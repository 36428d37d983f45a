from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage


@pytest.fixture
def event_index(site_pages):
    home = site_pages.home_page("ko")
    page = EventIndexPage.objects.child_of(home).first()
    if page is None:
        page = home.add_child(instance=EventIndexPage(title="행사", slug="events"))
        page.save_revision().publish()
    return page


@pytest.fixture
def make_event(event_index):
    counter = {"n": 0}

    def make(capacity: int = 2, days: int = 7, **fields) -> EventPage:
        counter["n"] += 1
        starts = timezone.now() + timedelta(days=days)
        page = event_index.add_child(
            instance=EventPage(
                title=fields.pop("title", f"Hearing {counter['n']}"),
                slug=f"hearing-{counter['n']}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="City Hall, room 1",
                capacity=capacity,
                accessibility="Step-free access.",
                **fields,
            )
        )
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def event(make_event):
    return make_event()
