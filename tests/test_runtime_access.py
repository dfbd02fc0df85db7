"""Entities and actions reach their printer through the coordinator only.

``entry.runtime_data`` is read where the entry is set up, by the entry's
entry points that look a printer up (actions, websocket commands,
diagnostics), and by platforms through ``entity.entry_runtime`` in their
setup; never by an entity.
"""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "bambu_cloud"

# Where reading ``runtime_data`` is the job: module -> functions.
ALLOWED = {
    "__init__.py": {
        "async_setup_entry",
        "async_unload_entry",
        "async_remove_config_entry_device",
        "_remove_devices_of_dropped_printers",
    },
    "entity.py": {"entry_runtime"},
    # Entry points that find a printer from a device or entry id.
    "services.py": {"_target"},
    "websocket_api.py": {"_printer_of", "last_jobs", "websocket_subscribe_history"},
    "diagnostics.py": {"async_get_config_entry_diagnostics", "_secrets"},
    # The discovery flow asks the accounts for their printer list again.
    "flow_discovery.py": {"_async_read_device_lists"},
    # A LAN entry taking a printer asks the accounts whether they have it.
    "lan_owned.py": {"async_account_lets_go"},
    # The media browser and its views find a printer from an entry id.
    "storage_access.py": {"printer_of", "printers"},
}


def _reads(tree: ast.Module) -> list[tuple[int, list[str]]]:
    """Each ``.runtime_data`` with the functions and classes around it."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "runtime_data":
            scopes: list[str] = []
            current: ast.AST = node
            while current in parents:
                current = parents[current]
                if isinstance(
                    current, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    scopes.append(current.name)
            found.append((node.lineno, scopes[::-1]))
    return found


def _entry_runtime_in_classes(tree: ast.Module) -> list[int]:
    """Calls of ``entry_runtime`` inside a class (an entity)."""
    return [
        call.lineno
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for call in ast.walk(cls)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "entry_runtime"
    ]


def test_entities_never_touch_runtime_data() -> None:
    offenders: list[str] = []
    for path in sorted(INTEGRATION.glob("*.py")):
        name = path.name
        if name == "runtime.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [
            f"{name}:{line} entry_runtime" for line in _entry_runtime_in_classes(tree)
        ]
        for line, scopes in _reads(tree):
            allowed = ALLOWED.get(name, set())
            # Only as a module-level function's own code, never in a class.
            if len(scopes) == 1 and scopes[0] in allowed:
                continue
            offenders.append(f"{name}:{line} in {'.'.join(scopes) or 'module'}")
    assert offenders == []


def test_the_check_finds_a_read_in_an_entity() -> None:
    """The scan sees an entity method reading ``runtime_data``."""
    tree = ast.parse(
        "class E:\n"
        "    def f(self):\n"
        "        return self.coordinator.config_entry.runtime_data.history\n"
        "    def g(self, entry):\n"
        "        return entry_runtime(entry)\n"
    )
    assert _reads(tree) == [(3, ["E", "f"])]
    assert _entry_runtime_in_classes(tree) == [5]
