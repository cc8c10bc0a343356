"""One write path: outside ``council/services/`` no module writes a row itself.

Views, admin, tasks, commands and the demo loader change state by calling a service,
which checks the policy, the transition and the version and records history with the
reason. This test reads the source (``ast``) and lists every call that looks like a
write — ``x.save()``, ``Model.objects.create(…)``, ``queryset.update(…)``,
``form.save()``, ``x.delete()``, a many-to-many ``a.b.add/set/remove/clear(…)`` — in any
other module. A line that writes something that is not a record (a Word file into a
buffer, a cache entry) says so with a ``# not a record:`` comment and its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib import admin

COUNCIL = Path(__file__).resolve().parent.parent / "council"
EXEMPT_DIRS = {"services", "migrations"}
MARK = "# not a record:"

QUERYSET_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
M2M_WRITES = {"add", "set", "remove", "clear"}


def _chain(node: ast.AST) -> list[str]:
    """The names along a receiver: ``Reminder.objects.filter(…)`` → [Reminder, objects, filter]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def _is_write(call: ast.Call) -> bool:
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    receiver = _chain(func.value)
    through_orm = "objects" in receiver or any(
        name in {"filter", "exclude", "all", "select_for_update", "history"} for name in receiver
    )
    if func.attr == "save":
        # Model.save() and form.save() take no positional argument; a Word document's
        # save(buffer) and a stored file's save(name, content) do.
        committed = not any(
            k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in call.keywords
        )
        return not call.args and committed
    if func.attr == "delete":
        return True
    if func.attr in QUERYSET_WRITES:
        return through_orm or func.attr != "create"
    if func.attr == "update":
        return through_orm
    if func.attr in M2M_WRITES:
        # ``council.parties.set(…)`` writes a relation; ``seen.add(x)`` fills a local set.
        return isinstance(func.value, ast.Attribute)
    return False


def writes_outside_services() -> list[str]:
    found = []
    for path in sorted(COUNCIL.rglob("*.py")):
        relative = path.relative_to(COUNCIL)
        if relative.parts[0] in EXEMPT_DIRS:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and _is_write(node):
                span = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
                if any(MARK in line for line in span):
                    continue
                found.append(f"council/{relative}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_no_module_outside_services_writes_a_row():
    assert writes_outside_services() == []


def test_the_check_sees_the_writes_it_is_meant_to_catch():
    """The detector itself: each kind of write is caught, each look-alike is not."""
    caught = [
        "obj.save()",
        "form.save()",
        "formset.save()",
        "obj.save(update_fields=['status'])",
        "Reminder.objects.filter(x=1).update(read_at=now)",
        "Reminder.objects.create(a=1)",
        "Mute.objects.get_or_create(user=u)",
        "Mute.objects.filter(user=u).delete()",
        "item.delete()",
        "council.parties.set(parties)",
        "user.groups.add(group)",
    ]
    ignored = [
        "form.save(commit=False)",
        "document.save(buffer)",
        "context.update({'a': 1})",
        "seen.add(x)",
        "self.found[x].add(y)",
        "cache.set(key, value, 60)",
        "calendar.add('version', '2.0')",
    ]
    for code in caught:
        assert _is_write(ast.parse(code).body[0].value), code
    for code in ignored:
        assert not _is_write(ast.parse(code).body[0].value), code


def _defined_in(cls: type, method: str) -> str:
    """The module of the class in ``cls``'s MRO that defines ``method``."""
    for klass in cls.__mro__:
        if method in vars(klass):
            return klass.__module__
    return ""


@pytest.mark.django_db
def test_every_admin_that_saves_goes_through_a_service(rf, superuser):
    """Django's own ``save_model``/``save_formset`` write the row as the form left it; an
    admin that lets a superuser add or change anything overrides them to call services."""
    request = rf.get("/admin/")
    request.user = superuser
    unrouted = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "council":
            continue
        name = type(model_admin).__name__
        saves = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if saves and not _defined_in(type(model_admin), "save_model").startswith("council.admin"):
            unrouted.append(f"{name}.save_model")
        writable_inlines = [
            inline
            for inline in model_admin.get_inline_instances(request)
            if inline.has_add_permission(request, None) or inline.has_change_permission(request)
        ]
        routed = {"save_formset", "save_related"} & {
            method
            for method in ("save_formset", "save_related")
            if _defined_in(type(model_admin), method).startswith("council.admin")
        }
        if writable_inlines and not routed:
            unrouted.append(f"{name} inlines {[type(i).__name__ for i in writable_inlines]}")
    assert unrouted == []
