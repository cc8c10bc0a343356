"""Calls go down only: entry points (views, admin, tasks, commands) → forms and filters →
services, documents and reporting → the policy and the read helpers → models and
querysets. A module never imports from a layer above its own; this reads every module's
imports (``ast``) and names each import that goes up.
"""

from __future__ import annotations

import ast
from pathlib import Path

COUNCIL = Path(__file__).resolve().parent.parent / "council"

# Top-level module or package of council → its layer; higher numbers sit higher.
LAYERS = {
    # Entry points: what Django, Celery or a person calls.
    **dict.fromkeys(
        [
            "views",
            "api",
            "admin",
            "tasks",
            "management",
            "urls",
            "middleware",
            "demo",
            "demo_sides",
            "demo_extensions",
            "demo_cycles",
            "demo_compliance",
            "demo_notify",
            "backup",
            "login_throttle",
            "context_processors",
            "templatetags",
            "celery",
            "asgi",
            "wsgi",
            "apps",
            "settings",
        ],
        4,
    ),
    # What pages are built with: forms, filters, widgets and the language rule.
    **dict.fromkeys(["forms", "filters", "widgets", "i18n"], 3),
    # State changes, generated files and figures, and reading imported files.
    **dict.fromkeys(["services", "documents", "reporting", "imports"], 2),
    # Who may do what, and the reads the services build on.
    **dict.fromkeys(
        [
            "policies",
            "history",
            "reminders",
            "search",
            "workload",
            "versions",
            "cycles",
            "webhooks",
            "public",
        ],
        1,
    ),
    # The records and how they are queried.
    **dict.fromkeys(
        [
            "models",
            "querysets",
            "paging",
            "fields",
            "text",
            "roles",
            "translation",
            "formats",
            "sqlite",
            "workdays",
        ],
        0,
    ),
}


def _area(module: str) -> str:
    """``council.views.sessions`` → ``views``; ``council`` → ``council``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _imports(path: Path) -> set[str]:
    relative = path.relative_to(COUNCIL.parent).with_suffix("")
    package = list(relative.parts[:-1])  # for __init__.py, the package itself
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.add(".".join([*base, node.module]))
            else:
                found.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("council."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("council."))
    return found


def upward_imports() -> list[str]:
    found = []
    for path in sorted(COUNCIL.rglob("*.py")):
        if {"migrations", "locale"} & set(path.parts):
            continue
        if path.parent == COUNCIL and path.name == "__init__.py":
            continue
        area = _area(".".join(path.relative_to(COUNCIL.parent).with_suffix("").parts))
        for target in sorted(_imports(path)):
            other = _area(target)
            if other in (area, "council"):
                continue
            if LAYERS[other] > LAYERS[area]:
                found.append(f"council/{path.relative_to(COUNCIL)}: {area} → {other}")
    return found


def test_every_module_has_a_layer():
    areas = {
        path.stem if path.is_file() else path.name
        for path in COUNCIL.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path.is_dir() and (path / "__init__.py").exists() and path.name != "migrations")
    }
    assert areas - set(LAYERS) == set(), "give each new module a layer in LAYERS"


def test_no_module_imports_from_a_layer_above_it():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The detector itself: a model module importing a view is reported."""
    fake = tmp_path / "council"
    (fake / "models").mkdir(parents=True)
    (fake / "views").mkdir()
    (fake / "models" / "__init__.py").write_text("from ..views import dashboard\n")
    (fake / "views" / "__init__.py").write_text("from ..models import Session\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["COUNCIL"]), "COUNCIL", fake)
    assert upward_imports() == ["council/models/__init__.py: models → views"]
