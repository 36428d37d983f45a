"""The supervisor's export of the queue (issue 16), CSV and XLSX.

Formula-safe with the same escaping as the consultation exports
(core.spreadsheet.neutralise). By default without narratives (what happened,
the place) and without names or contact data; each is added only when asked
for explicitly, and then every exported case gets a `viewed` event (a read of
case content, CONTRACT.md section 3). Every export, whatever its content, is a
row of the append-only `CaseExport` log, written in the same transaction."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, Refused
from core.permissions import may
from core.sanitize import clean_text
from core.spreadsheet import XLSX_TYPE, neutralise

from . import selectors, services, triage
from .casework_models import CaseExport
from .models import Complaint

FORMATS = ("csv", "xlsx")
EXPORT_MAX_ROWS = 10_000
CHUNK = 500


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    log: CaseExport


def _header(with_narratives: bool, with_contacts: bool) -> list:
    header = [
        _("reference"),
        _("status"),
        _("grounds"),
        _("field of life"),
        _("channel"),
        _("received"),
        _("next deadline"),
        _("caseworkers"),
        _("the other party is"),
        _("sector"),
    ]
    if with_narratives:
        header += [_("what happened"), _("place")]
    if with_contacts:
        header += [_("name"), _("contact e-mail"), _("contact phone"), _("other party")]
    return header


def _rows(queryset, *, with_narratives: bool, with_contacts: bool, viewer):
    """The rows, a chunk at a time (grounds and assignees per chunk)."""
    complaints = list(queryset[:EXPORT_MAX_ROWS])
    extra = []
    if with_narratives:
        extra += ["description", "location"]
    if with_contacts:
        extra += ["contact_name", "contact_email", "contact_phone", "respondent_name"]
    for start in range(0, len(complaints), CHUNK):
        chunk = complaints[start : start + CHUNK]
        full = {}
        if extra:
            full = {
                c.pk: c
                for c in Complaint.objects.filter(pk__in=[c.pk for c in chunk]).only("id", *extra)
            }
            services.complaint_views_log(complaints=chunk, viewer=viewer)
        labels = {c.pk: (c.get_channel_display(), c.get_field_of_life_display()) for c in chunk}
        kinds = {c.pk: (c.get_respondent_kind_display(), c.respondent_sector) for c in chunk}
        for complaint, row in zip(chunk, selectors.complaint_rows(chunk), strict=True):
            channel, field_of_life = labels[complaint.pk]
            respondent_kind, sector = kinds[complaint.pk]
            cells = [
                row.reference,
                row.status_label,
                ", ".join(g.code for g in row.grounds),
                field_of_life,
                channel,
                timezone.localtime(row.created_at).isoformat(),
                row.local_deadline.isoformat() if row.local_deadline else "",
                ", ".join(a.username for a in row.assignees),
                respondent_kind if complaint.respondent_kind else "",
                sector,
            ]
            if with_narratives:
                whole = full[complaint.pk]
                cells += [clean_text(whole.description), clean_text(whole.location)]
            if with_contacts:
                whole = full[complaint.pk]
                cells += [
                    whole.contact_name,
                    whole.contact_email,
                    whole.contact_phone,
                    whole.respondent_name,
                ]
            yield cells


def queue_export(
    *,
    user,
    filters: triage.InboxFilters,
    fmt: str,
    with_narratives: bool = False,
    with_contacts: bool = False,
) -> ExportFile:
    """Export the inbox view with these filters. Supervisor only."""
    if not may(user, "complaints.supervise"):
        raise Refused(code="permission_denied")
    if fmt not in FORMATS:
        raise Invalid(_("Choose CSV or XLSX."), field="format")
    queryset = triage.inbox_queue(user=user, filters=filters).only(
        *selectors.LIST_FIELDS, "channel", "respondent_kind", "respondent_sector"
    )
    with transaction.atomic():
        rows = [
            [neutralise(v) for v in row]
            for row in _rows(
                queryset,
                with_narratives=with_narratives,
                with_contacts=with_contacts,
                viewer=user,
            )
        ]
        log = CaseExport.objects.create(
            actor=user,
            format=fmt,
            filters={k: list(v) if isinstance(v, tuple) else v for k, v in asdict(filters).items()},
            row_count=len(rows),
            with_narratives=with_narratives,
            with_contacts=with_contacts,
        )
    header = [neutralise(v) for v in _header(with_narratives, with_contacts)]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so spreadsheet programs read the Korean text as UTF-8
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        content = buffer.getvalue().encode()
        return ExportFile(content, "text/csv; charset=utf-8", f"cases-{stamp}.csv", log)
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Cases"))[:31])
    for row in [header, *rows]:
        # Every cell is written as text (never a number or a formula).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportFile(buffer.getvalue(), XLSX_TYPE, f"cases-{stamp}.xlsx", log)


def export_log(*, user):
    """The export log, newest first; supervisors only."""
    if not may(user, "complaints.supervise"):
        raise Refused(code="permission_denied")
    return CaseExport.objects.select_related("actor").order_by("-at", "-id")
