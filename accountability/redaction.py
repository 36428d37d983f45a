"""The redaction aid: flags what in a draft public decision looks like personal
data. It helps the caseworker and the supervisor; it does not decide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PHONE = re.compile(
    r"(?<!\d)(?:\+82[-\s]?)?0?1[016789][-\s.]?\d{3,4}[-\s.]?\d{4}(?!\d)|(?<!\d)0\d{1,2}[-\s.)]\d{3,4}[-\s.]\d{4}(?!\d)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Korean road-name and lot addresses ("금남로 123", "충장로5길 7", "동명동 12-3")
# and English street addresses ("12 Main Street").
STREET = re.compile(
    r"[가-힣0-9]+(?:대로|로|길)\s?\d+(?:-\d+)?(?:번길\s?\d+)?|[가-힣]+동\s?\d+(?:-\d+)?번지?"
    r"|\b\d+[A-Za-z]?\s+(?:[A-Z][a-z]+\s)+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr)\b\.?"
)
DATE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s?[-./년]\s?\d{1,2}\s?[-./월]\s?\d{1,2}\s?일?(?!\d)"
    r"|\b\d{1,2}\s(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s(?:19|20)\d{2}\b"
)
BIRTH_WORDS = re.compile(r"생년월일|출생|태어|\bborn\b|date of birth|\bDOB\b|\bb\.", re.IGNORECASE)
RESIDENT_NUMBER = re.compile(r"(?<!\d)\d{6}\s?-\s?[1-8]\d{6}(?!\d)")
REFERENCE = re.compile(r"\bHR-\d{4}-\d{6}\b")

KIND_LABELS = {
    "name": _("A name from this case's records"),
    "reference": _("The case's reference"),
    "phone": _("A phone number"),
    "email": _("An e-mail address"),
    "address": _("A street address"),
    "birth_date": _("A date of birth"),
    "resident_number": _("A resident registration number"),
}


@dataclass(frozen=True)
class Flag:
    field: str
    kind: str
    text: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def flags_in(texts: dict[str, str], *, names: list[str], reference: str = "") -> list[Flag]:
    """Every likely piece of personal data in `texts` (field name -> text).
    `names`: the people named in the case's own records."""
    found: list[Flag] = []
    seen = set()

    def add(field, kind, text):
        key = (field, kind, text)
        if key not in seen:
            seen.add(key)
            found.append(Flag(field, kind, text))

    wanted_names = [n.strip() for n in names if n and len(n.strip()) >= 2]
    for field, text in texts.items():
        if not text:
            continue
        lowered = text.casefold()
        for name in wanted_names:
            # The whole name, and each part of a spaced name ("Nguyen Thi Lan").
            parts = {name, *(p for p in name.split() if len(p) >= 2)}
            for part in parts:
                if part.casefold() in lowered:
                    add(field, "name", part)
        if reference and reference in text:
            add(field, "reference", reference)
        for match in REFERENCE.finditer(text):
            add(field, "reference", match.group())
        for match in RESIDENT_NUMBER.finditer(text):
            add(field, "resident_number", match.group())
        for match in PHONE.finditer(text):
            add(field, "phone", match.group())
        for match in EMAIL.finditer(text):
            add(field, "email", match.group())
        for match in STREET.finditer(text):
            add(field, "address", match.group())
        for match in DATE.finditer(text):
            window = text[max(0, match.start() - 30) : match.end() + 10]
            if BIRTH_WORDS.search(window):
                add(field, "birth_date", match.group())
    return found
