"""Entities and actions command the printer through its typed methods only.

Every command goes through one of ``Printer``'s awaited methods (``pause``,
``set_nozzle_temperature``, ``start_print`` ...), which check their input and
raise typed errors that ``control.async_command`` translates. No module of the
integration builds a payload (imports the library's command builders) or
sends one itself (calls a link's or the printer's ``request``/``publish``).
"""

from __future__ import annotations

import ast
from pathlib import Path

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "bambu_cloud"

# The modules that send commands: they must exist for the check to mean much.
COMMANDING = {
    "button.py",
    "control.py",
    "fan.py",
    "light.py",
    "number.py",
    "print_file.py",
    "select.py",
    "services.py",
    "switch.py",
}
BUILDERS = "aiobambulab.commands"
SENDING = {"request", "publish"}


def _imports_builders(node: ast.Import | ast.ImportFrom) -> bool:
    """Whether an import brings in the command builders, in any spelling."""
    if isinstance(node, ast.Import):
        return any(BUILDERS in alias.name for alias in node.names)
    module = node.module or ""
    if module.endswith(BUILDERS) or f"{BUILDERS}." in module:
        return True
    return module.endswith("aiobambulab") and any(
        alias.name == "commands" for alias in node.names
    )


def _sends(node: ast.Call) -> bool:
    """Whether a call is ``<anything>.request(...)`` or ``.publish(...)``."""
    return isinstance(node.func, ast.Attribute) and node.func.attr in SENDING


def offences(source: str) -> list[str]:
    """Each builder import and each raw send in ``source``, by line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom) and _imports_builders(node):
            found.append((node.lineno, "imports the command builders"))
        elif isinstance(node, ast.Call) and _sends(node):
            found.append((node.lineno, "sends a raw payload"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_no_module_builds_or_sends_a_payload() -> None:
    modules = {path.name: path for path in INTEGRATION.glob("*.py")}
    assert set(modules) >= COMMANDING
    found = {
        name: lines
        for name, path in sorted(modules.items())
        if (lines := offences(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_finds_payloads_built_and_sent() -> None:
    """Each spelling of the old command path is caught."""
    source = (
        "from .aiobambulab import commands\n"
        "from .aiobambulab.commands import Fan\n"
        "import custom_components.bambu_cloud.aiobambulab.commands\n"
        "from .aiobambulab import Fan, commands as cmd\n"
        "async def press(self):\n"
        "    await self.coordinator.printer.request(commands.pause())\n"
        "    await printer.publish({})\n"
        "    await self.coordinator.printer.pause()\n"
        "from .aiobambulab import LightNode\n"
    )
    assert offences(source) == [
        "1: imports the command builders",
        "2: imports the command builders",
        "3: imports the command builders",
        "4: imports the command builders",
        "6: sends a raw payload",
        "7: sends a raw payload",
    ]
