"""CSV and XLSX exports of a consultation's comments and proposals, for staff.

Every cell a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return) gets a leading single quote, so opening the file never
runs anything a resident wrote (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.sanitize import clean_text
from core.spreadsheet import FORMULA_STARTS, XLSX_TYPE, neutralise  # noqa: F401 - shared escaping

from . import selectors


def _name(user) -> str:
    if user is None:
        return ""
    return clean_text(user.get_display_name()) or user.username


def comment_rows(*, page, discussion):
    titles = {s["anchor"]: s["title"] for s in page.sections()}
    yield [
        _("id"),
        _("section"),
        _("reply to"),
        _("author"),
        _("stance"),
        _("state"),
        _("created"),
        _("comment"),
    ]
    for c in selectors.export_comments(discussion=discussion).iterator(chunk_size=1000):
        yield [
            c.pk,
            titles.get(c.section, _("The whole draft") if not c.section else c.section),
            c.parent_id or "",
            _name(c.author),
            c.get_stance_display() if c.stance else "",
            c.get_state_display(),
            c.created_at.isoformat(),
            clean_text(c.body),
        ]


def proposal_rows(*, discussion):
    yield [
        _("id"),
        _("title"),
        _("author"),
        _("supports"),
        _("status"),
        _("visibility"),
        _("created"),
        _("proposal"),
        _("answer"),
    ]
    for p in selectors.export_proposals(discussion=discussion).iterator(chunk_size=1000):
        yield [
            p.pk,
            p.title,
            _name(p.author),
            p.support_count,
            p.get_status_display(),
            p.get_state_display(),
            p.created_at.isoformat(),
            clean_text(p.body),
            clean_text(p.answer),
        ]


def _filename(page, ext: str) -> str:
    return f"consultation-{page.pk}-{slugify(page.slug) or 'export'}.{ext}"


def csv_response(*, page, discussion) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so spreadsheet programs read the Korean text as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([_("Comments")])
    for row in comment_rows(page=page, discussion=discussion):
        writer.writerow([neutralise(v) for v in row])
    writer.writerow([])
    writer.writerow([_("Proposals")])
    for row in proposal_rows(discussion=discussion):
        writer.writerow([neutralise(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, "csv")}"'
    return response


def xlsx_response(*, page, discussion) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cells(row):
        return [ILLEGAL_CHARACTERS_RE.sub("", neutralise(v)) for v in row]

    workbook = Workbook(write_only=True)
    comments = workbook.create_sheet(str(_("Comments"))[:31])
    for row in comment_rows(page=page, discussion=discussion):
        # Every cell is written as text (never a number or a formula).
        comments.append(cells(row))
    proposals = workbook.create_sheet(str(_("Proposals"))[:31])
    for row in proposal_rows(discussion=discussion):
        proposals.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, "xlsx")}"'
    return response
