"""The supervisor's export of the queue (issue 16)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.models import CaseExport, Complaint, ComplaintEvent, EventKind

from .conftest import submit


def url(name, lang="en"):
    with translation.override(lang):
        return reverse(name)


def rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def case(people):
    complaint = submit(
        people.owner, description='=HYPERLINK("http://evil") They refused me.'
    ).complaint
    Complaint.objects.filter(pk=complaint.pk).update(
        contact_name="@Park", contact_phone="010-9999-0000"
    )
    return complaint


def test_csv_without_narratives_or_contacts_by_default(people, client_for, case):
    client = client_for(people.supervisor)
    response = client.post(url("casework:export"), {"format": "csv", "view": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *body = rows(response)
    assert "what happened" not in header and "name" not in header
    assert [r[0] for r in body] == [case.reference]
    text = response.content.decode("utf-8-sig")
    assert "refused" not in text and "Park" not in text and "010-9999" not in text
    log = CaseExport.objects.get()
    assert log.actor == people.supervisor and log.row_count == 1
    assert (log.with_narratives, log.with_contacts) == (False, False)
    assert log.filters["view"] == "all"


def test_narratives_and_contacts_only_when_asked_and_formula_safe(people, client_for, case):
    client = client_for(people.supervisor)
    before = ComplaintEvent.objects.filter(complaint=case, kind=EventKind.VIEWED).count()
    response = client.post(
        url("casework:export"),
        {"format": "csv", "view": "all", "with_narratives": "on", "with_contacts": "on"},
    )
    header, row = rows(response)
    cells = dict(zip(header, row, strict=True))
    assert cells["what happened"].startswith("'=HYPERLINK")
    assert cells["name"] == "'@Park"
    assert cells["contact phone"] == "010-9999-0000"
    # Reading case content is logged on the case too.
    after = ComplaintEvent.objects.filter(complaint=case, kind=EventKind.VIEWED).count()
    assert after == before + 1
    assert CaseExport.objects.get().with_narratives is True


def test_xlsx_cells_are_text_and_formula_safe(people, client_for, case):
    from openpyxl import load_workbook

    client = client_for(people.supervisor)
    response = client.post(
        url("casework:export"), {"format": "xlsx", "view": "all", "with_narratives": "on"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][0] == case.reference
    assert any(str(v).startswith("'=HYPERLINK") for v in values[1])
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_the_export_follows_the_inbox_filters(people, client_for, case):
    other = submit(people.owner, grounds=("religion",)).complaint
    client = client_for(people.supervisor)
    response = client.post(
        url("casework:export"), {"format": "csv", "view": "all", "grounds": ["religion"]}
    )
    assert [r[0] for r in rows(response)[1:]] == [other.reference]


def test_only_the_supervisor_exports_and_reads_the_log(people, client_for, case):
    for user in (people.caseworker, people.owner, people.superuser, None):
        client = client_for(user)
        assert client.post(url("casework:export"), {"format": "csv"}).status_code == 404
        assert client.get(url("casework:export_log")).status_code == 404
    assert not CaseExport.objects.exists()


def test_the_log_lists_every_export_and_is_append_only(people, client_for, case):
    client = client_for(people.supervisor)
    client.post(url("casework:export"), {"format": "csv", "view": "all"})
    client.post(url("casework:export"), {"format": "xlsx", "view": "all"})
    page = client.get(url("casework:export_log"))
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") == 3  # header + two exports
    log = CaseExport.objects.first()
    with pytest.raises(PermissionError):
        log.save()
    with pytest.raises(PermissionError):
        CaseExport.objects.all().delete()
    ko = client.get(url("casework:export_log", lang="ko")).content.decode()
    assert "내보내기 기록" in ko


def test_the_export_form_renders(people, client_for):
    response = client_for(people.supervisor).get(url("casework:export") + "?view=overdue")
    assert response.status_code == 200
    assert 'name="view" value="overdue"' in response.content.decode()
