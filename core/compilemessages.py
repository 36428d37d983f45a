"""Compile every gettext catalogue (.po) of the project to .mo with polib.

Pure Python, so `make run` and `make test` need no GNU gettext on a fresh machine.
Run with `python -m core.compilemessages`.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "var"}


def catalogues() -> list[Path]:
    return sorted(
        po
        for po in ROOT.glob("**/locale/*/LC_MESSAGES/*.po")
        if not SKIP.intersection(po.relative_to(ROOT).parts)
    )


def main() -> int:
    compiled = 0
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    if compiled:
        print(f"Compiled {compiled} translation catalogue(s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
