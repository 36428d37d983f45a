"""No circles (issue 15): services queue their tasks by name instead of
importing them back, rules import their models at the top, and every task
named that way exists."""

import ast
import pathlib

from django.utils.module_loading import import_string
from django_tasks.base import Task

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = (
    "accountability",
    "accounts",
    "cms",
    "complaints",
    "consultations",
    "core",
    "events",
    "petitions",
)


def _modules(name: str):
    for app in APPS:
        yield from (ROOT / app).glob(name)


def _imports(tree) -> list[tuple[str, bool]]:
    """(module, inside a function) for every import in the tree."""
    found = []

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom):
                module = "." * child.level + (child.module or "")
                found.extend((f"{module}.{a.name}".lstrip("."), in_function) for a in child.names)
                found.append((module, in_function))
            elif isinstance(child, ast.Import):
                found.extend((a.name, in_function) for a in child.names)
            walk(child, inner)

    walk(tree, False)
    return found


def _names(path: pathlib.Path, module: str) -> bool:
    """Does the file import `module` of its own app (anywhere, even in a function)?"""
    app = path.parent.name
    return any(
        name in (f".{module}", f"{app}.{module}")
        or name.startswith((f".{module}.", f"{app}.{module}."))
        or (name == module and path.parent.name == app)
        for name, _inner in _imports(ast.parse(path.read_text()))
    )


def test_services_and_tasks_do_not_import_each_other():
    """One direction only: in the apps, tasks use their services, which queue
    them by name; in core, the services queue core's own tasks, which use no
    service."""
    both = []
    for services in _modules("services.py"):
        tasks = services.with_name("tasks.py")
        if tasks.exists() and _names(services, "tasks") and _names(tasks, "services"):
            both.append(services.parent.name)
    assert both == []
    for app in ("complaints", "consultations", "petitions"):
        assert not _names(ROOT / app / "services.py", "tasks"), app


def test_no_rules_module_imports_inside_a_function():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _modules("rules.py")
        for module, inner in _imports(ast.parse(path.read_text()))
        if inner
    ]
    assert offenders == []


def test_every_task_queued_by_name_exists():
    names = set()
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] not in APPS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "enqueue_on_commit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and ".tasks." in value and value.count(".") == 2:
                    names.add(value)  # a task path kept in a constant
    assert {
        "consultations.tasks.notify_proposal_answered",
        "petitions.tasks.notify_signers",
        "complaints.tasks.complainant_news_email",
    } <= names
    for name in names:
        task = import_string(name)
        assert isinstance(task, Task) and task.module_path == name


PROJECT = (*APPS, "moderation", "config")
# Left to the complaints branch, which owns the file (docs/architecture.md).
LATE_WITHOUT_A_REASON: set[str] = set()


def _late_project_imports(path: pathlib.Path):
    """(line, module) of each import of a project module inside a function."""
    found = []

    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                if isinstance(child, ast.ImportFrom):
                    module = "." * child.level + (child.module or "")
                else:
                    module = child.names[0].name
                if module.startswith(".") or module.split(".")[0] in PROJECT:
                    found.append((child.lineno, module))
            walk(child, inner)

    walk(ast.parse(path.read_text()), False)
    return found


def test_every_late_import_says_why():
    """An import inside a function dodges a cycle, and says which in a
    `# Late:` comment above it (the imports right under it share it). Only
    AppConfig.ready() and its helpers, Django's place for them, need none."""
    missing = []
    for app in PROJECT:
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in path.parts or path.name == "apps.py":
                continue
            if relative in LATE_WITHOUT_A_REASON:
                continue
            lines = path.read_text().splitlines()
            for lineno, module in _late_project_imports(path):
                above = lineno - 2
                while above >= 0 and lines[above].lstrip().startswith(("from ", "import ")):
                    above -= 1
                if above < 0 or "# Late:" not in lines[above]:
                    missing.append(f"{relative}:{lineno} {module}")
    assert missing == []
