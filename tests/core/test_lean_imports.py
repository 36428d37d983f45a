"""What a worker does not load until it needs it (issue 21, lean workers)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def last_line_of(code: str) -> str:
    """What `code` printed last, run in a fresh interpreter (this test process
    has imported everything already)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().splitlines()[-1]


def test_a_started_worker_has_not_imported_pypdf():
    # A fresh interpreter: this test process has imported everything already.
    code = (
        "import sys, django; django.setup(); import config.asgi;"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "print('pypdf' in sys.modules)"
    )
    assert last_line_of(code) == "False"


def test_a_started_worker_keeps_what_it_loaded_out_of_full_collections():
    """Issue 21, fan-out: full collections over the startup heap paused a
    worker holding 1,000 sockets for 226-519 ms; config.asgi freezes it,
    the view modules included."""
    code = (
        "import gc, sys, django; django.setup(); import config.asgi;"
        "views = sys.modules['consultations.api'].__dict__;"
        "tracked = {id(o) for o in gc.get_objects()};"
        "print(gc.get_freeze_count() > 50_000, id(views) in tracked)"
    )
    assert last_line_of(code) == "True False"
