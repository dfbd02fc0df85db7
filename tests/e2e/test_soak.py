"""Soak: a print farm of 20 printers at 2 reports a second into one Home Assistant.

The simulated printers print long jobs of thin layers at 30x speed, so
every tick reports a change (layer, remaining time, progress, filament). The
account's cloud entry takes it all over the real TLS broker. After a
warm-up, the traced Python memory and the event loop's task count are
sampled while the traffic flows; both must stay flat.

Threshold: a leak of only 1 KiB per message would add about
``LEAK_PROBE`` x messages during the sampling window (several MiB at 40
messages a second); the memory may grow by at most a quarter of that.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import gc
from pathlib import Path
import statistics
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bambu_cloud.aiobambulab.printer import Printer, Update
from custom_components.bambu_cloud.const import DOMAIN
from simulator.cloud import Kind
from simulator.firmware import Job
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.world import Simulator
from tests.common import PRINTERS

FARM_SIZE = 20
RATE_HZ = 2.0
SPEED = 30.0  # simulated seconds per real second: every tick changes something
WARM_UP = 20.0  # seconds before the first sample
SAMPLES = 21
SAMPLE_EVERY = 9.0  # seconds between samples: 3 minutes of steady traffic
LEAK_PROBE = 1024  # bytes per message the threshold must catch
MAX_EXTRA_TASKS = 5  # transient tasks (a greeting, a refresh) at a sample


@pytest.fixture
async def world(tmp_path: Path, socket_enabled: None) -> AsyncIterator[Simulator]:
    """The farm: one account, 20 printers of every captured model, all printing."""
    simulator = Simulator(tmp_path / "farm", rate_hz=RATE_HZ, speed=SPEED)
    simulator.add_account(DEMO_EMAIL, DEMO_PASSWORD, kind=Kind.CODE)
    for index in range(FARM_SIZE):
        printer = await simulator.add_printer(
            DEMO_EMAIL, PRINTERS[index % len(PRINTERS)], name=f"Farm {index + 1}"
        )
        # Ten hours of thin layers: a new layer every tick, no job ends while
        # sampling (a finished job adds history, which rightly grows).
        printer.start_job(
            Job(
                name=f"Farm part {index + 1}",
                total_layers=3000,
                prepare_seconds=30,
                print_seconds=36_000,
                ams_mapping=[0],
            )
        )
    async with simulator:
        yield simulator


@pytest.fixture
def delivered() -> Iterator[list[int]]:
    """Counts the reports the printers take (one counter, in a list)."""
    count = [0]
    handle: Callable[[Printer, dict[str, Any]], Update] = Printer.apply

    def counting(self: Printer, message: dict[str, Any]) -> Update:
        count[0] += 1
        return handle(self, message)

    with patch.object(Printer, "apply", counting):
        yield count


def _forget_sent(world: Simulator) -> None:
    # The simulator keeps every message it sent (for tests): not ours to count.
    for printer in world.printers.values():
        printer.sent.clear()


def _sample() -> tuple[int, int]:
    gc.collect()
    return tracemalloc.get_traced_memory()[0], len(asyncio.all_tasks())


@pytest.mark.timeout(420)  # several minutes of traffic by design
async def test_farm_memory_and_tasks_stay_flat(
    hass: HomeAssistant,
    world: Simulator,
    cloud_entry: MockConfigEntry,
    delivered: list[int],
) -> None:
    cloud_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(cloud_entry.entry_id)
    assert cloud_entry.state is ConfigEntryState.LOADED
    registry = er.async_get(hass)
    progress = [
        f"{serial}_progress" for serial in world.printers
    ]  # one sensor per printer that moves all the time
    async with asyncio.timeout(60):
        while not all(
            registry.async_get_entity_id("sensor", DOMAIN, unique_id)
            for unique_id in progress
        ):
            await asyncio.sleep(0.1)

    tracemalloc.start()
    try:
        await asyncio.sleep(WARM_UP)  # the traffic flows meanwhile
        _forget_sent(world)
        memory, tasks = [], []
        started, first_count = time.monotonic(), delivered[0]
        for _ in range(SAMPLES):
            _forget_sent(world)
            used, running = _sample()
            memory.append(used)
            tasks.append(running)
            await asyncio.sleep(SAMPLE_EVERY)
        elapsed = time.monotonic() - started
        messages = delivered[0] - first_count
    finally:
        tracemalloc.stop()

    rate = messages / elapsed
    print(  # noqa: T201 - the numbers are the point of a soak
        f"\nsoak: {messages} reports in {elapsed:.0f} s ({rate:.1f}/s); "
        f"traced memory KiB {[m // 1024 for m in memory]}; tasks {tasks}"
    )
    # The farm really ran at its rate (most ticks report a change).
    assert rate > 0.6 * FARM_SIZE * RATE_HZ
    # Every printer's entities still follow its reports.
    for unique_id in progress:
        entity_id = registry.async_get_entity_id("sensor", DOMAIN, unique_id)
        assert entity_id is not None
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.state != "unavailable"
    leak_budget = LEAK_PROBE * messages * (SAMPLES - 1) / SAMPLES
    growth = statistics.median(memory[-3:]) - statistics.median(memory[:3])
    assert growth < leak_budget / 4, (growth, leak_budget)
    assert max(tasks[-3:]) <= min(tasks[:3]) + MAX_EXTRA_TASKS
