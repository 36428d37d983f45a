"""Fail when a Korean catalogue is incomplete, does not compile cleanly, or collides.

`python -m core.i18n_check`; CI runs it, and tests/core/test_i18n.py too. Three kinds
of problem, each printed with the catalogue it is in:

- untranslated or fuzzy entries in a Korean catalogue;
- what `msgfmt -c` would refuse (pure Python, so a fresh machine needs no GNU
  gettext): a message defined twice, plural forms other than the header's
  `nplurals` (Korean has one), a `python-format` translation whose placeholders
  do not match the English ones;
- a collision: one msgid without a context translated differently in two Korean
  catalogues. Django merges every catalogue into one table and the first one
  found wins (`locale/`, then the apps in `INSTALLED_APPS` order), so all but one
  of those translations would never be shown. Give each use its own
  `pgettext` context, or make the translations the same.
"""

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import polib

from .compilemessages import ROOT, catalogues

# A printf-style conversion as Python's `%` operator reads it.
_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<type>.)"
)
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def _label(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _conversions(text: str) -> tuple[set[str], list[str]] | None:
    """Named placeholders and the types of unnamed ones; None if a `%` is malformed."""
    named: set[str] = set()
    unnamed: list[str] = []
    for match in _FORMAT.finditer(text):
        kind = match.group("type")
        if kind == "%":
            continue
        if kind not in "diouxXeEfFgGcrsa":
            return None
        if match.group("name") is not None:
            named.add(match.group("name"))
        else:
            unnamed.append(kind)
    return named, unnamed


def _format_problems(entry: polib.POEntry) -> list[str]:
    is_format = "python-format" in entry.flags or "%(" in entry.msgid
    if not is_format:
        return []
    english = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    sources = [_conversions(text) for text in english]
    if None in sources:
        return [f"malformed format in msgid {entry.msgid!r}"]
    allowed = set().union(*(named for named, _ in sources))
    translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    found = []
    for text in translations:
        if not text:
            continue
        parsed = _conversions(text)
        if parsed is None:
            found.append(f"malformed format in msgstr {text!r} of {entry.msgid!r}")
            continue
        named, unnamed = parsed
        what = f"msgstr of {entry.msgid!r}"
        extra = named - allowed
        if extra:
            found.append(f"{what} uses {sorted(extra)} that the msgid does not have")
        # A plural translation may leave the count out ("one"); a singular one may not.
        missing = set() if entry.msgid_plural else allowed - named
        if missing:
            found.append(f"{what} leaves out {sorted(missing)}")
        expected = [unnamed_types for _, unnamed_types in sources]
        if unnamed != expected[0] and not (entry.msgid_plural and unnamed in expected):
            found.append(f"{what} has unnamed placeholders {unnamed}, not {expected[0]}")
    return found


def compile_problems(catalogue: polib.POFile) -> list[str]:
    """What `msgfmt -c` would refuse in this catalogue."""
    found = []
    match = _NPLURALS.search(catalogue.metadata.get("Plural-Forms", ""))
    nplurals = int(match.group(1)) if match else None
    if "charset=UTF-8" not in catalogue.metadata.get("Content-Type", "").replace(" ", ""):
        found.append("the header does not declare charset=UTF-8")
    seen: set[tuple[str | None, str]] = set()
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            found.append(f"duplicate message definition: {entry.msgid!r}")
        seen.add(key)
        if entry.msgid_plural:
            if nplurals is None:
                found.append(f"plural entry {entry.msgid!r} but no Plural-Forms header")
            else:
                indexes = sorted(int(i) for i in entry.msgstr_plural)
                if indexes != list(range(nplurals)):
                    found.append(
                        f"plural entry {entry.msgid!r} has forms {indexes}; "
                        f"the header allows {list(range(nplurals))} (nplurals={nplurals})"
                    )
        found.extend(_format_problems(entry))
    return found


def collisions(korean: Iterable[tuple[Path, polib.POFile]]) -> list[str]:
    """One msgid (without a context, or with the same one) with different Korean
    in two catalogues."""
    texts: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, catalogue in korean:
        for entry in catalogue.translated_entries():
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                text = " | ".join(v for _, v in sorted(entry.msgstr_plural.items()))
            else:
                text = entry.msgstr
            texts[(entry.msgctxt or "", entry.msgid)][text].append(_label(path))
    found = []
    for (context, msgid), by_text in sorted(texts.items()):
        if len(by_text) > 1:
            versions = "; ".join(
                f"{text!r} in {', '.join(paths)}" for text, paths in by_text.items()
            )
            where = f"in context {context!r}" if context else "without a context"
            found.append(f"collision: {msgid!r} {where} is {versions}")
    return found


def problems(paths: Iterable[Path] | None = None) -> list[str]:
    found = []
    korean = []
    for path in paths if paths is not None else catalogues():
        catalogue = polib.pofile(str(path))
        label = _label(path)
        found.extend(f"{label}: {problem}" for problem in compile_problems(catalogue))
        if "/ko/" not in str(path):
            continue
        korean.append((path, catalogue))
        untranslated = catalogue.untranslated_entries()
        found.extend(f"{label}: untranslated: {e.msgid!r}" for e in untranslated)
        found.extend(f"{label}: fuzzy: {e.msgid!r}" for e in catalogue.fuzzy_entries())
    found.extend(collisions(korean))
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
