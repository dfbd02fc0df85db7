"""The demo world: one account with three printers of different models."""

from __future__ import annotations

from collections.abc import Iterator
import itertools
from pathlib import Path

from .cloud import Kind
from .firmware import Job
from .threemf import make_3mf
from .world import Simulator

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "bambu-demo"  # noqa: S105 - the published demo login
# (capture, name, what it prints)
DEMO_PRINTERS = (
    ("p1p-ams", "Garage P1P", "Benchy"),
    ("x1c-multi-ams", "Workshop X1C", "Gearbox housing"),
    ("a1-ams-lite", "Office A1", "Desk organizer"),
)
JOB_MINUTES = (45, 90, 30)
AMS_FIRST_TRAY = [0]  # print from AMS 1, slot 1, so filament visibly runs down


async def build_demo(world: Simulator, *, printing: int = 1) -> None:
    """Add the demo account and printers; the first ``printing`` ones print."""
    world.add_account(DEMO_EMAIL, DEMO_PASSWORD, kind=Kind.CODE)
    for index, (capture, name, part) in enumerate(DEMO_PRINTERS):
        printer = await world.add_printer(
            DEMO_EMAIL,
            capture,
            name=name,
            access_code=f"{index + 1}" * 8,
        )
        if index >= printing:
            continue
        minutes = JOB_MINUTES[index]
        runs = itertools.count(1)

        def next_job(
            part: str = part,
            minutes: int = minutes,
            runs: Iterator[int] = runs,
            storage: Path = printer.files.root,
        ) -> Job:
            name = f"{part} #{next(runs)}"
            _store_project(storage, name, minutes)
            return Job(
                name=name,
                total_layers=minutes * 4,
                prepare_seconds=90,
                print_seconds=minutes * 60,
                ams_mapping=AMS_FIRST_TRAY,
            )

        printer.repeat_jobs = next_job
        first = next_job()
        # Start a third of the way in, so the demo opens on a busy printer.
        printer.start_job(first)
        printer.firmware.advance(first.prepare_seconds + first.print_seconds / 3)


def _store_project(storage: Path, name: str, minutes: int) -> None:
    """The job's sliced project on the printer, where a slicer puts it.

    Home Assistant reads its cover, weight and filaments from there, as from
    a real printer (a few kilobytes, written once per job).
    """
    grams = minutes * 0.4
    folder = storage / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.gcode.3mf").write_bytes(
        make_3mf(
            name=name,
            layers=minutes * 4,
            prediction_seconds=minutes * 60,
            weight_grams=grams,
            filaments=[("PLA", "#F4EE2A", grams)],
        )
    )
