"""Events: registration with a seat limit and a waiting list (services, HTTP,
API), the .ics file, and access needs kept for the office only."""

import datetime
import json
from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Notification
from events import selectors, services
from events.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db


def _reg(event):
    return f"/api/v1/events/{event.pk}/registrations"


# --- services ---------------------------------------------------------------


def test_seats_then_waiting_list_then_moving_up(event):
    a, b, c, d = (factories.resident() for _ in range(4))
    statuses = [services.registration_create(event=event, user=u)[0].status for u in (a, b, c, d)]
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    again, created = services.registration_create(event=event, user=c)
    assert not created and again.status == "waiting"
    assert Registration.objects.count() == 4
    assert services.registration_cancel(event=event, user=a)
    status = dict(Registration.objects.values_list("user_id", "status"))
    assert status == {b.pk: "registered", c.pk: "registered", d.pk: "waiting"}
    assert Notification.objects.filter(user=c, kind="events.moved_up").count() == 1
    assert not Notification.objects.filter(user=d).exists()
    assert selectors.seat_counts(event=event) == {"registered": 2, "waiting": 1, "free": 0}


def test_cancelling_a_waiting_place_moves_nobody(event):
    a, b, c = (factories.resident() for _ in range(3))
    for user in (a, b, c):
        services.registration_create(event=event, user=user)
    services.registration_cancel(event=event, user=c)
    assert selectors.seat_counts(event=event) == {"registered": 2, "waiting": 0, "free": 0}
    assert not services.registration_cancel(event=event, user=c)


def test_one_registration_shared_by_both_languages(event):
    from wagtail.models import Locale

    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()
    user = factories.resident()
    services.registration_create(event=event, user=user)
    _reg_en, created = services.registration_create(event=english, user=user)
    assert not created


def test_only_residents_register_and_not_after_the_event(make_event, caseworker):
    from core.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.registration_create(event=make_event(), user=caseworker)
    assert refused.value.status == 403
    past = make_event(days=-2)
    with pytest.raises(DomainError) as over:
        services.registration_create(event=past, user=factories.resident())
    assert over.value.code == "event_past"


def test_event_list_upcoming_first(make_event):
    past = make_event(days=-3)
    later = make_event(days=10)
    soon = make_event(days=1)
    assert [e.pk for e in selectors.event_list(language="ko")] == [soon.pk, later.pk, past.pk]


# --- API ---------------------------------------------------------------------


def test_api_register_201_repeat_200_and_delete_204(client_for, event):
    first, second = factories.resident(), factories.resident()
    third = factories.resident()
    for user in (first, second):
        response = client_for(user).post(
            _reg(event), json.dumps({"access_needs": "Wheelchair space"}), "application/json"
        )
        assert response.status_code == 201 and response.json() == {"status": "registered"}
    waiting = client_for(third).post(_reg(event), "", "application/json")  # no body at all
    assert waiting.status_code == 201 and waiting.json() == {"status": "waiting"}
    repeat = client_for(third).post(_reg(event), "{}", "application/json")
    assert repeat.status_code == 200 and repeat.json() == {"status": "waiting"}
    assert client_for(first).delete(_reg(event)).status_code == 204
    assert Registration.objects.get(user=third).status == "registered"


def test_api_event_list_has_the_contract_fields(client_for, event):
    services.registration_create(event=event, user=factories.resident(), access_needs="secret")
    [row] = client_for(None).get("/api/v1/events?language=ko").json()
    assert set(row) >= {
        "id", "title", "starts_at", "ends_at", "place", "language",
        "accessibility", "capacity", "registered", "waiting", "url",
    }  # fmt: skip
    assert (row["id"], row["registered"], row["waiting"], row["capacity"]) == (event.pk, 1, 0, 2)
    assert "secret" not in json.dumps(row)


def test_api_refuses_anonymous_staff_unknown_and_bad_input(client_for, event, caseworker):
    assert client_for(None).post(_reg(event), "{}", "application/json").status_code == 401
    assert client_for(None).delete(_reg(event)).status_code == 401
    response = client_for(caseworker).post(_reg(event), "{}", "application/json")
    assert response.status_code == 403 and response.json()["code"] == "not_resident"
    resident = factories.resident()
    unknown = "/api/v1/events/999999/registrations"
    assert client_for(resident).post(unknown, "{}", "application/json").status_code == 404
    assert client_for(resident).post(_reg(event), "[", "application/json").status_code == 400
    too_long = json.dumps({"access_needs": "x" * 2001})
    response = client_for(resident).post(_reg(event), too_long, "application/json")
    assert response.status_code == 400 and response.json()["field"] == "access_needs"
    assert not Registration.objects.exists()


# --- pages -------------------------------------------------------------------


def test_register_and_cancel_through_the_page_without_js(client_for, event):
    user = factories.resident()
    client = client_for(user)
    html = client.get(event.url).content.decode()
    assert f'action="{reverse("events:register", args=[event.pk])}"' in html
    response = client.post(
        reverse("events:register", args=[event.pk]), {"access_needs": "Captions"}
    )
    assert response.status_code == 302
    html = client.get(event.url).content.decode()
    assert f'action="{reverse("events:cancel", args=[event.pk])}"' in html
    assert "참가 신청이 완료되었습니다." in html  # "You are registered." on the Korean page
    assert Registration.objects.get(user=user).access_needs == "Captions"
    client.post(reverse("events:cancel", args=[event.pk]))
    assert not Registration.objects.exists()


def test_anonymous_sees_sign_in_and_is_refused(client_for, event):
    anonymous = client_for(None)
    html = anonymous.get(event.url).content.decode()
    assert "/accounts/login/?next=" in html
    assert reverse("events:register", args=[event.pk]) not in html
    response = anonymous.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_access_needs_only_for_the_office(client_for, event, supervisor, moderator, caseworker):
    user = factories.resident()
    services.registration_create(event=event, user=user, access_needs="Sign language")
    url = reverse("events:registrations", args=[event.pk])
    for staff in (supervisor, moderator):
        assert "Sign language" in client_for(staff).get(url).content.decode()
    for refused in (user, caseworker, factories.resident()):
        assert client_for(refused).get(url).status_code == 404
    assert "Sign language" not in client_for(user).get(event.url).content.decode()
    assert client_for(None).get(url).status_code == 302


def test_ics_download(client_for, event):
    response = client_for(None).get(reverse("events:ics", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "END:VCALENDAR\r\n" in body
    start = event.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}\r\n" in body
    assert "SUMMARY:" + event.title in body and "LOCATION:City Hall\\, room 1" in body
    assert client_for(None).get(reverse("events:ics", args=[999999])).status_code == 404


def test_past_event_shows_minutes_and_no_form(client_for, make_event):
    past = make_event(days=-2, minutes_url="https://example.org/minutes")
    html = client_for(factories.resident()).get(past.url).content.decode()
    assert "https://example.org/minutes" in html
    assert reverse("events:register", args=[past.pk]) not in html


def test_capacity_of_zero_puts_everyone_waiting(make_event):
    event = make_event(capacity=0)
    reg, _ = services.registration_create(event=event, user=factories.resident())
    assert reg.status == "waiting"
    assert timedelta(0) < event.ends_at - event.starts_at
