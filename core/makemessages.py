"""Re-extract translatable strings into one catalogue per app (and one for the
site-wide templates in templates/ and config/). Needs GNU gettext (xgettext).

Run with `python -m core.makemessages` (or `make makemessages`). Each app keeps
its own catalogue so apps can be worked on independently.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "cms", "consultations", "petitions", "complaints", "moderation"]
LANGUAGES = ["ko"]  # English is the source language
COMMON = ["--no-location", "--no-obsolete", "-e", "html,txt,py"]


def run(cwd: Path, extra: list[str]) -> None:
    (cwd / "locale").mkdir(exist_ok=True)
    args = [sys.executable, str(ROOT / "manage.py"), "makemessages", *COMMON, *extra]
    for language in LANGUAGES:
        args += ["-l", language]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(args, cwd=cwd, check=True, env=env)  # noqa: S603


def main(argv: list[str]) -> int:
    """`python -m core.makemessages [app ...]`; "site" names the top-level catalogue."""
    targets = argv or [*APPS, "site"]
    for app in targets:
        if app in APPS:
            run(ROOT / app, ["-i", "tests/*", "-i", "migrations/*"])
    if "site" in targets:
        ignores = [f"{app}/*" for app in APPS] + [".venv/*", "tests/*", "var/*", "static/*"]
        run(ROOT, [arg for ignore in ignores for arg in ("-i", ignore)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
