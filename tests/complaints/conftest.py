import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, ComplaintUserObjectPermission
from tests import factories

# How to bring a fresh complaint into each state, through the real services.
PATHS = {
    "submitted": [],
    "investigating": [("supervisor", "accept")],
    "mediation": [("supervisor", "accept"), ("caseworker", "start_mediation")],
    "decided": [("supervisor", "accept"), ("caseworker", "decide")],
    "closed": [("supervisor", "accept"), ("caseworker", "decide"), ("supervisor", "close")],
    "rejected": [("supervisor", "reject")],
    "referred": [("supervisor", "refer")],
    "withdrawn": [("owner", "withdraw")],
}
STATES = list(PATHS)


@dataclass
class People:
    supervisor: object
    caseworker: object  # assigned to the cases made by make_complaint
    other_caseworker: object
    owner: object
    other_resident: object
    superuser: object


@pytest.fixture
def people(db):
    return People(
        supervisor=factories.supervisor(),
        caseworker=factories.caseworker(),
        other_caseworker=factories.caseworker(),
        owner=factories.resident(),
        other_resident=factories.resident(),
        superuser=factories.superuser(),
    )


def submit(user=None, *, anonymous=False, grounds=("sex", "age"), **kwargs):
    return services.complaint_submit(
        grounds=list(grounds),
        description=kwargs.pop("description", "I was refused a flat because of my age."),
        anonymous=anonymous,
        user=user,
        field_of_life=kwargs.pop("field_of_life", "housing"),
        **kwargs,
    )


@pytest.fixture
def make_complaint(people):
    """A complaint filed by `people.owner`, assigned to `people.caseworker`, in `state`."""

    def make(state: str = "submitted") -> Complaint:
        complaint = submit(people.owner).complaint
        services.complaint_assign(
            complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
        )
        for who, name in PATHS[state]:
            services.complaint_transition(
                complaint=complaint,
                actor=getattr(people, who),
                transition=name,
                note="because",
                public_reason="We explain why.",
            )
        complaint = Complaint.objects.get(pk=complaint.pk)
        assert complaint.status == state
        return complaint

    return make


def api(client, method: str, path: str, data=None, **headers):
    import json

    url = f"/api/v1/{path}"
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, data=json.dumps(data or {}), content_type="application/json", **headers)


def bulk_cases(n, *, caseworker, start=0):
    """`n` submitted cases assigned to `caseworker`, written in bulk, each with
    the grounds sex and age and a triage deadline from 5 days ago to 14 ahead."""
    now = timezone.now()
    complaints = [
        Complaint(
            reference=f"HR-2026-{start + i:06d}",
            description="x",
            consent_at=now,
            triage_due=now + datetime.timedelta(days=i % 20 - 5),
            sealed_grounds="age,sex",
        )
        for i in range(n)
    ]
    Complaint.objects.bulk_create(complaints)
    perms = Permission.objects.filter(
        content_type__app_label="complaints", codename__in=["view_complaint", "change_complaint"]
    )
    ComplaintUserObjectPermission.objects.bulk_create(
        [
            ComplaintUserObjectPermission(content_object=c, user=caseworker, permission=p)
            for c in complaints
            for p in perms
        ]
    )
