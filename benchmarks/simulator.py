"""How fast the simulated world starts and how many reports it delivers.

``python -m benchmarks.simulator``: builds the demo world (three printers, all
printing) at 50 reports a second, connects one cloud link like the
integration does, and counts what arrives over a few seconds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import resource
import tempfile
import time
from typing import Any

from custom_components.bambu_cloud.aiobambulab.mqtt import PrinterLink
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from simulator.scenario import DEMO_EMAIL, build_demo
from simulator.world import Simulator

SECONDS = 5.0


async def main() -> None:
    """Measure and print."""
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        # Fast simulated time, so every tick changes something and sends a delta.
        world = Simulator(Path(directory), rate_hz=50.0, speed=600.0)
        await build_demo(world, printing=3)
        async with world:
            ready = time.perf_counter() - started
            account = world.accounts[DEMO_EMAIL]
            states = {s: PrinterState(s) for s in world.printers}
            counts = dict.fromkeys(world.printers, 0)

            def on_message(serial: str, message: dict[str, Any]) -> None:
                counts[serial] += 1
                states[serial].apply(message)

            link = PrinterLink.cloud(
                account.uid,
                account.token,
                list(world.printers),
                on_message=on_message,
                host="127.0.0.1",
                port=world.mqtt_port,
                ca_pem=world.ca_pem,
            )
            await link.start()
            await link.wait_connected(10)
            begin = time.perf_counter()
            await asyncio.sleep(SECONDS)
            elapsed = time.perf_counter() - begin
            await link.stop()
    total = sum(counts.values())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"world ready (CA, cloud, 4 brokers, 3 printers): {ready:.2f} s")
    print(
        f"reports received at 50 Hz x 3 printers: {total / elapsed:.0f}/s "
        f"({total} in {elapsed:.1f} s)"
    )
    print(f"peak RSS of simulator + client in one process: {rss:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
