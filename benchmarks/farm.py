"""A 50-printer farm into one Home Assistant: event-loop CPU share and latency.

    python -m benchmarks.farm [--printers 50] [--rate 1] [--seconds 60]

The simulated world (cloud, brokers, printers printing back to back) runs
in its own thread with its own event loop, so Home Assistant's loop thread
does only Home Assistant's work. Home Assistant is the real thing, set up
by ``bootstrap`` from a minimal configuration in a temporary directory; the
account is added through the config flow with its verification code.

Measured after a warm-up, over the given seconds:

- CPU share: the loop thread's CPU time (``time.thread_time`` read on the
  loop) over wall time;
- latency: from the printer publishing a report (stamped in the simulator)
  to Home Assistant writing a state from it (the new state's
  ``last_updated``), worst and percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine
import itertools
import logging
from pathlib import Path
import statistics
import tempfile
import threading
import time
from typing import Any
from unittest.mock import patch

from homeassistant import bootstrap, runner
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er

from custom_components.bambu_cloud.aiobambulab.printer import Printer, Update
from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import Kind
from simulator.develop import HA_HOST
from simulator.firmware import Job
from simulator.printer import SimulatedPrinter
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.world import Simulator
from tests.common import PRINTERS

REPO = Path(__file__).resolve().parent.parent
CONFIGURATION = """\
homeassistant:
  name: Bambu farm
  unit_system: metric
  time_zone: UTC
logger:
  default: warning
"""
SPEED = 30.0  # simulated seconds per real second: every tick reports a change
WARM_UP = 20.0


class World:
    """The simulator in a thread of its own."""

    def __init__(self, directory: Path, printers: int, rate: float) -> None:
        """Prepare (not start) the world."""
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.simulator = Simulator(directory, rate_hz=rate, speed=SPEED)
        self.count = printers
        # (serial, sequence_id) -> when the printer handed the report to MQTT
        self.published: dict[tuple[str, str], float] = {}

    def run[T](self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the world's loop and wait for it (blocking)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    async def start(self) -> None:
        """Start the thread, build the farm, start it."""
        self._thread.start()
        await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self._build(), self.loop)
        )

    async def stop(self) -> None:
        """Stop the world and its thread."""
        await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self.simulator.stop(), self.loop)
        )
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()

    async def _build(self) -> None:
        world = self.simulator
        world.add_account(DEMO_EMAIL, DEMO_PASSWORD, kind=Kind.CODE)
        runs = itertools.count(1)

        def next_job() -> Job:
            return Job(
                name=f"Part #{next(runs)}",
                total_layers=120,
                prepare_seconds=30,
                print_seconds=900,
            )

        for index in range(self.count):
            printer = await world.add_printer(
                DEMO_EMAIL, PRINTERS[index % len(PRINTERS)], name=f"Farm {index + 1}"
            )
            printer.idle_between_jobs = 30.0
            printer.repeat_jobs = next_job
            printer.start_job(next_job())
            self._stamp(printer)
        await world.start()

    def _stamp(self, printer: SimulatedPrinter) -> None:
        publish = printer._publish  # noqa: SLF001 - the moment a report leaves

        async def stamped(message: dict[str, Any]) -> None:
            report = message.get("print")
            if isinstance(report, dict) and "sequence_id" in report:
                key = (printer.serial, str(report["sequence_id"]))
                self.published[key] = time.time()
            await publish(message)

        printer._publish = stamped  # type: ignore[method-assign]  # noqa: SLF001


async def start_hass(config_dir: Path) -> HomeAssistant:
    (config_dir / "custom_components").mkdir(parents=True)
    (config_dir / "configuration.yaml").write_text(CONFIGURATION, encoding="utf-8")
    (config_dir / "custom_components" / DOMAIN).symlink_to(
        REPO / "custom_components" / DOMAIN
    )
    hass = await bootstrap.async_setup_hass(
        runner.RuntimeConfig(config_dir=str(config_dir), skip_pip=True)
    )
    if hass is None:
        raise RuntimeError("Home Assistant did not start")
    await hass.async_start()
    return hass


async def _add_account(hass: HomeAssistant, world: World) -> str:
    simulator = world.simulator
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": "user"})
    result = await flow.async_configure(result["flow_id"], {"next_step_id": "cloud"})
    result = await flow.async_configure(
        result["flow_id"],
        {
            "region": "global",
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "advanced": {
                "api_url": simulator.api_url,
                "mqtt_host": HA_HOST,
                "mqtt_port": simulator.mqtt_port,
                "ca_cert": simulator.ca_pem,
            },
        },
    )
    result = await flow.async_configure(
        result["flow_id"], {"code": simulator.last_code(DEMO_EMAIL)}
    )
    result = await flow.async_configure(
        result["flow_id"], {"selected_printers": list(simulator.printers)}
    )
    if result["type"] != "create_entry":
        raise RuntimeError(f"config flow: {result}")
    return str(result["result"].entry_id)


class Latency:
    """Publish-to-state delays, matched by the report each coordinator handles."""

    def __init__(self, hass: HomeAssistant, world: World) -> None:
        """Start listening (call on the loop)."""
        self._world = world
        self._handling: dict[str, float] = {}  # serial -> publish time
        self._serial_of: dict[str, str] = {}
        self._registry = er.async_get(hass)
        self.delays: list[float] = []
        self.recording = False
        self.writes = 0
        hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_state)

    def wrap(
        self, handle: Callable[[Printer, dict[str, Any]], Update]
    ) -> Callable[[Printer, dict[str, Any]], Update]:
        """Note which published report a printer is taking."""

        def handling(printer: Printer, message: dict[str, Any]) -> Update:
            report = message.get("print")
            if isinstance(report, dict) and "sequence_id" in report:
                key = (printer.serial, str(report["sequence_id"]))
                stamp = self._world.published.pop(key, None)
                if stamp is not None:
                    self._handling[printer.serial] = stamp
            return handle(printer, message)

        return handling

    @callback
    def _on_state(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if not self.recording or new is None:
            return
        serial = self._serial(event.data["entity_id"])
        stamp = self._handling.get(serial) if serial else None
        if stamp is None:
            return
        self.writes += 1
        self.delays.append(new.last_updated_timestamp - stamp)

    def _serial(self, entity_id: str) -> str | None:
        if entity_id not in self._serial_of:
            entry = self._registry.async_get(entity_id)
            if entry is None or entry.platform != DOMAIN:
                return None
            self._serial_of[entity_id] = entry.unique_id.split("_", 1)[0]
        return self._serial_of[entity_id]


async def _measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        world = World(root / "world", args.printers, args.rate)
        started = time.perf_counter()
        await world.start()
        ready = time.perf_counter() - started
        hass = await start_hass(root / "config")
        latency = Latency(hass, world)
        messages = [0]
        handle = Printer.apply

        def counting(printer: Printer, message: dict[str, Any]) -> Update:
            messages[0] += 1
            return handle(printer, message)

        try:
            with patch.object(Printer, "apply", latency.wrap(counting)):
                await _add_account(hass, world)
                await asyncio.sleep(WARM_UP)
                entities = len(
                    [
                        e
                        for e in er.async_get(hass).entities.values()
                        if e.platform == DOMAIN
                    ]
                )
                latency.recording = True
                first = messages[0]
                cpu, wall = time.thread_time(), time.perf_counter()
                await asyncio.sleep(args.seconds)
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
                latency.recording = False
                taken = messages[0] - first
        finally:
            await hass.async_stop()
            await world.stop()
    delays = sorted(latency.delays) or [0.0]
    print(
        f"farm: {args.printers} printers at {args.rate:g}/s, {entities} entities; "
        f"world ready in {ready:.1f} s"
    )
    print(
        f"reports taken: {taken} in {wall:.0f} s ({taken / wall:.1f}/s), "
        f"state writes {latency.writes} ({latency.writes / max(taken, 1):.1f} per report)"
    )
    print(
        f"event-loop CPU: {cpu:.2f} s of {wall:.0f} s = {100 * cpu / wall:.1f} % "
        "of one core (target < 5 %)"
    )
    quantiles = statistics.quantiles(delays, n=100) if len(delays) > 1 else delays * 99
    print(
        "publish -> state written: "
        f"median {1000 * statistics.median(delays):.1f} ms, "
        f"p99 {1000 * quantiles[98]:.1f} ms, worst {1000 * delays[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--printers", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_measure(parser.parse_args()))


if __name__ == "__main__":
    main()
