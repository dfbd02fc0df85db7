"""A printer farm in a process of its own, for benchmarks that measure Home Assistant.

    python -m benchmarks.world --printers 10 --info facts.json [--wobble]

The simulated cloud, brokers and printers run here, so that what a
benchmark measures in its own process (memory, database writes) is Home
Assistant's and the integration's only. Printers print back to back at real
speed, two-hour jobs of 300 layers. With ``--wobble`` their nozzle and bed readings wobble around the
value the simulation holds, at the printers' 1/32 °C resolution, the way
real P1, A1 and X1 printers report them (as in ``benchmarks/stream.py``).
The account logs in with its password alone; ``--info`` receives the
connection facts once the world is up.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
import itertools
import json
import os
from pathlib import Path
import random
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

from simulator.cloud import Kind
from simulator.firmware import Job
from simulator.printer import SimulatedPrinter
from simulator.world import Simulator
from tests.common import PRINTERS

EMAIL = "farm@example.com"
PASSWORD = "farm-password"  # noqa: S105 - a simulated account
# How far readings stray from the settled value, in °C (as benchmarks/stream.py).
NOZZLE_WOBBLE = 0.5
BED_WOBBLE = 0.3
RESOLUTION = 32  # readings come in 1/32 °C


def _wobble(printer: SimulatedPrinter, rng: random.Random) -> None:
    """Make the printer's legacy temperature readings wobble on every tick."""
    firmware = printer.firmware
    advance = firmware.advance

    def wobbling(seconds: float) -> None:
        advance(seconds)
        state = firmware.state
        for key, spread in (
            ("nozzle_temper", NOZZLE_WOBBLE),
            ("bed_temper", BED_WOBBLE),
        ):
            value = state.get(key)
            if isinstance(value, int | float) and value > 0:
                noisy = float(value) + rng.uniform(-spread, spread)
                state[key] = round(noisy * RESOLUTION) / RESOLUTION

    firmware.advance = wobbling  # type: ignore[method-assign]


async def build(world: Simulator, printers: int, *, wobble: bool) -> None:
    """One account with ``printers`` printers, each printing back to back."""
    world.add_account(EMAIL, PASSWORD, kind=Kind.DIRECT)
    runs = itertools.count(1)
    rng = random.Random(1)

    def next_job() -> Job:
        # A typical job: two hours, 300 layers of 0.2 mm.
        return Job(
            name=f"Part #{next(runs)}",
            total_layers=300,
            prepare_seconds=60,
            print_seconds=7200,
        )

    for index in range(printers):
        printer = await world.add_printer(
            EMAIL, PRINTERS[index % len(PRINTERS)], name=f"Farm {index + 1}"
        )
        printer.idle_between_jobs = 60.0
        printer.repeat_jobs = next_job
        printer.start_job(next_job())
        if wobble:
            _wobble(printer, rng)


async def _run(args: argparse.Namespace) -> None:
    world = Simulator(args.directory, rate_hz=args.rate, speed=1.0)
    await build(world, args.printers, wobble=args.wobble)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with world:
        facts = world.describe()
        facts["ca_pem"] = world.ca_pem
        args.info.write_text(json.dumps(facts), encoding="utf-8")
        await stop.wait()


@contextlib.asynccontextmanager
async def farm(
    printers: int, *, wobble: bool = False, rate: float = 1.0
) -> AsyncIterator[dict[str, Any]]:
    """Run a farm in a child process; yield its connection facts."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as directory:
        info = Path(directory) / "facts.json"
        command = [
            sys.executable,
            "-m",
            "benchmarks.world",
            "--printers",
            str(printers),
            "--rate",
            str(rate),
            "--info",
            str(info),
            "--directory",
            str(Path(directory) / "world"),
        ]
        if wobble:
            command.append("--wobble")
        child = subprocess.Popen(command, env=os.environ)  # noqa: ASYNC220, S603
        try:
            deadline = time.monotonic() + 120
            while not info.exists():
                if child.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the farm did not start")
                await asyncio.sleep(0.2)
            yield json.loads(info.read_text(encoding="utf-8"))
        finally:
            child.send_signal(signal.SIGTERM)
            await asyncio.get_running_loop().run_in_executor(None, child.wait)


def wait_for(condition: Callable[[], bool], timeout: float) -> Any:
    """A coroutine polling ``condition`` every half second until it holds."""

    async def waiting() -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the condition did not hold in time")
            await asyncio.sleep(0.5)

    return waiting()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--printers", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--wobble", action="store_true")
    parser.add_argument("--info", type=Path, required=True)
    parser.add_argument("--directory", type=Path)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
