"""Complaints' write modules say "no" in core.errors' vocabulary only (issue
15): no Django PermissionDenied, no Django ValidationError raised. (The views
may still raise PermissionDenied: they are the HTTP door.) Written for
complaints/ alone; the other apps are converted apart."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Every module of complaints/ that services call or that is a service itself.
WRITE_MODULES = (
    "services.py",
    "selectors.py",
    "intake.py",
    "conflicts.py",
    "deadlines.py",
    "exports.py",
    "refusals.py",
    "triage.py",
)
DJANGO_ERRORS = {"PermissionDenied", "ValidationError"}


def _django_refusals(path: pathlib.Path) -> list[str]:
    """Each PermissionDenied import and each raise of a Django
    PermissionDenied or ValidationError (catching a validator's
    ValidationError stays allowed: that is no answer to anyone)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.core.exceptions":
            found.extend(
                f"{path.name}:{node.lineno} import {a.name}"
                for a in node.names
                if a.name == "PermissionDenied"
            )
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            name = raised.attr if isinstance(raised, ast.Attribute) else getattr(raised, "id", "")
            if name in DJANGO_ERRORS:
                found.append(f"{path.name}:{node.lineno} raise {name}")
    return found


def test_complaints_services_raise_domain_errors_only():
    paths = [ROOT / "complaints" / name for name in WRITE_MODULES]
    assert all(p.exists() for p in paths)
    assert [line for path in paths for line in _django_refusals(path)] == []


def test_the_scan_sees_a_django_refusal(tmp_path):
    probe = tmp_path / "services.py"
    probe.write_text(
        "from django.core.exceptions import PermissionDenied, ValidationError\n"
        "from django.core import exceptions\n"
        "def f():\n    raise PermissionDenied\n"
        "def g():\n    raise ValidationError({'x': ['y']})\n"
        "def h():\n    raise exceptions.ValidationError('z')\n"
        "def ok():\n    try:\n        pass\n    except ValidationError:\n        pass\n"
    )
    assert len(_django_refusals(probe)) == 4
