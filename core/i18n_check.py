"""Fail when a Korean catalogue has an untranslated or fuzzy entry.

`python -m core.i18n_check`; CI runs it, and tests/core/test_translations.py too.
"""

import sys

import polib

from .compilemessages import catalogues


def problems() -> list[str]:
    found = []
    for path in catalogues():
        if "/ko/" not in str(path):
            continue
        catalogue = polib.pofile(str(path))
        found.extend(f"{path}: untranslated: {e.msgid!r}" for e in catalogue.untranslated_entries())
        found.extend(f"{path}: fuzzy: {e.msgid!r}" for e in catalogue.fuzzy_entries())
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
