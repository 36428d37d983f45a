"""Formula-safe cells for CSV and XLSX exports (OWASP "CSV injection").

Every cell a spreadsheet would read as a formula (starting with = + - @, a tab
or a carriage return) gets a leading single quote, so opening the file never
runs anything a resident wrote. Used by the consultation and casework exports."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
