"""A realistic report stream made from the real captures.

Each printer sends its full report once, then deltas the way P1/A1 firmware
and the cloud broker do while printing: progress, remaining time, layer,
temperatures wobbling around their targets, fans, Wi-Fi signal, and now and
then an AMS tray's remaining filament or a job state change.
"""

from __future__ import annotations

import json
from pathlib import Path
import random
from typing import Any

import orjson

PRINTERS_DIR = Path(__file__).parents[1] / "tests" / "fixtures" / "printers"


def printers() -> list[str]:
    """The fixture printers."""
    return sorted(p.name for p in PRINTERS_DIR.iterdir() if p.is_dir())


def full_report(printer: str) -> dict[str, Any]:
    """A printer's captured full report."""
    return json.loads((PRINTERS_DIR / printer / "pushall.json").read_text())


def _delta(report: dict[str, Any], step: int, rng: random.Random) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "mc_percent": min(100, step // 10),
        "mc_remaining_time": max(0, 600 - step // 6),
        "nozzle_temper": 220 + rng.uniform(-0.5, 0.5),
        "bed_temper": 60 + rng.uniform(-0.3, 0.3),
    }
    if step % 7 == 0:
        fields["layer_num"] = step // 7
    if step % 5 == 0:
        fields["cooling_fan_speed"] = str(rng.choice([10, 12, 15]))
        fields["wifi_signal"] = f"-{rng.randint(40, 70)}dBm"
    units = report["print"].get("ams", {}).get("ams", [])
    if units and step % 30 == 0:
        unit = rng.choice(units)
        fields["ams"] = {
            "ams": [
                {"id": unit["id"], "tray": [{"id": "0", "remain": rng.randint(0, 100)}]}
            ]
        }
    if step % 200 == 0:
        fields["gcode_state"] = rng.choice(["RUNNING", "PAUSE"])
    return {
        "print": {
            "command": "push_status",
            "msg": 1,
            "sequence_id": str(step),
            **fields,
        }
    }


def stream(deltas_per_printer: int = 300, seed: int = 1) -> list[tuple[str, bytes]]:
    """(printer, message bytes): each printer's full report, then its deltas."""
    rng = random.Random(seed)
    messages: list[tuple[str, bytes]] = []
    for printer in printers():
        report = full_report(printer)
        messages.append((printer, orjson.dumps(report)))
        messages.extend(
            (printer, orjson.dumps(_delta(report, step, rng)))
            for step in range(1, deltas_per_printer + 1)
        )
    return messages
