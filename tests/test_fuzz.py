"""Fuzzing: random and mutated printer messages through the whole integration.

Each example goes the full path a broker message takes after parsing: the
link's callback, the hub, the coordinator, ``PrinterState`` and every entity
of every platform, in one running Home Assistant (set up once per test, as a
printer's session lasts). After each example:

- no exception escaped the message callback and nothing was logged at
  error level (Home Assistant logs what fails in its own tasks);
- every entity state has the right type and lies in its physical range
  (``tests.fuzz_helpers.entity_problems``);
- the printer's next good report is still taken: a fresh capture with a
  marker progress shows up in the progress sensor.

Hypothesis runs in an executor thread and hands each example to the event
loop, so it can shrink a failure to the smallest message that causes it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.bambu_cloud.const import DOMAIN
from tests.common import PRINTERS, get_version, pushall
from tests.conftest import LAN_SERIAL, setup_capture
from tests.fake_link import FakeLink
from tests.fuzz_helpers import (
    entity_problems,
    mutated_capture,
    numeric_leaves,
    over_the_wire,
    random_message,
    with_values,
)

FUZZ_SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,  # no files in the tree; a failure prints its example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXAMPLE_TIMEOUT = 30.0  # seconds for one example on the event loop
# Boundary values for every number of a capture: out of 16/32/64-bit
# ranges, negative, huge, fractional, and not numbers at all.
BOUNDARY_VALUES = (-1, 400, 65535, 0xFFFFFFFF, 2**63 - 1, 1e300, 0.5, "nan", None)
SWEEP_CHUNK = 12  # numbers set at once; a failure names them

# Job files come from the test, never from a printer.
pytestmark = pytest.mark.usefixtures("job_files")


class Harness:
    """One printer in a running Home Assistant, fed examples from a thread."""

    def __init__(
        self,
        hass: HomeAssistant,
        capture: str,
        link: FakeLink,
        entry_id: str,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Remember where to deliver and what to check."""
        self.hass = hass
        self.capture = capture
        self.link = link
        self.entry_id = entry_id
        self.caplog = caplog
        self.loop = asyncio.get_running_loop()
        self.examples = 0
        self.delivered = 0
        self._seen_records = 0
        registry = er.async_get(hass)
        progress = registry.async_get_entity_id(
            "sensor", DOMAIN, f"{LAN_SERIAL}_progress"
        )
        assert progress is not None
        self.progress = progress

    def run(self, messages: list[dict[str, Any]]) -> None:
        """One example, from the Hypothesis thread: deliver, check, recover."""
        future = asyncio.run_coroutine_threadsafe(self.example(messages), self.loop)
        future.result(EXAMPLE_TIMEOUT)

    async def example(self, messages: list[dict[str, Any]]) -> None:
        """Deliver the messages, check every entity, then recover."""
        self.examples += 1
        for message in messages:
            wire = over_the_wire(message)
            if wire is None:
                continue  # the link drops what orjson cannot parse
            self.delivered += 1
            self.link.deliver(LAN_SERIAL, wire)
        await self.hass.async_block_till_done()
        self._assert_no_errors()
        coordinator = self._coordinator()
        problems = entity_problems(
            self.hass, self.entry_id, LAN_SERIAL, coordinator.data.model
        )
        assert not problems, "\n".join(problems)
        await self.recover()

    async def recover(self) -> None:
        """The next good report is taken (and resets the state for the next example)."""
        marker = 1 + self.examples % 98
        report = pushall(self.capture)
        report["print"]["mc_percent"] = marker
        self.link.deliver(LAN_SERIAL, get_version(self.capture))
        self.link.deliver(LAN_SERIAL, {"event": {"event": "client.connected"}})
        self.link.deliver(LAN_SERIAL, report)
        await self.hass.async_block_till_done()
        self._assert_no_errors()
        state = self.hass.states.get(self.progress)
        assert state is not None
        assert state.state == str(marker)

    def _assert_no_errors(self) -> None:
        records = self.caplog.records[self._seen_records :]
        self._seen_records = len(self.caplog.records)
        errors = [
            f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}"
            for r in records
            if r.levelno >= logging.ERROR or r.exc_info
        ]
        assert not errors, "\n".join(errors)

    def _coordinator(self) -> Any:
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        assert entry is not None
        return entry.runtime_data.printers[LAN_SERIAL]


async def _harness(
    hass: HomeAssistant, capture: str, caplog: pytest.LogCaptureFixture
) -> Harness:
    caplog.set_level(logging.INFO)
    entry, link = await setup_capture(hass, capture)
    return Harness(hass, capture, link, entry.entry_id, caplog)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_random_messages(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Random JSON under the real report keys never breaks an entity."""
    harness = await _harness(hass, "x1c-multi-ams", caplog)

    @FUZZ_SETTINGS
    @given(st.lists(random_message(), min_size=1, max_size=4))
    def fuzz(messages: list[dict[str, Any]]) -> None:
        harness.run(messages)

    await hass.async_add_executor_job(fuzz)
    assert harness.examples >= FUZZ_SETTINGS.max_examples
    assert harness.delivered > harness.examples


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("capture", ["x1c-multi-ams", "h2d-laser", "a1-ams-lite"])
async def test_mutated_captures(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    caplog: pytest.LogCaptureFixture,
    capture: str,
) -> None:
    """Real reports with values replaced, retyped or removed never break an entity."""
    harness = await _harness(hass, capture, caplog)

    @FUZZ_SETTINGS
    @given(st.lists(mutated_capture(capture), min_size=1, max_size=3))
    def fuzz(messages: list[dict[str, Any]]) -> None:
        harness.run(messages)

    await hass.async_add_executor_job(fuzz)
    assert harness.examples >= FUZZ_SETTINGS.max_examples


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("capture", PRINTERS)
async def test_every_number_at_its_boundaries(
    hass: HomeAssistant,
    fake_link: type[FakeLink],
    caplog: pytest.LogCaptureFixture,
    capture: str,
) -> None:
    """Systematically: each number of each capture set to each boundary value.

    Random mutations rarely hit the few packed fields among hundreds of
    values; this sweep reaches every one of them.
    """
    harness = await _harness(hass, capture, caplog)
    leaves = numeric_leaves(pushall(capture)["print"])
    chunks = [leaves[i : i + SWEEP_CHUNK] for i in range(0, len(leaves), SWEEP_CHUNK)]
    failures: list[str] = []
    for value in BOUNDARY_VALUES:
        for chunk in chunks:
            try:
                await harness.example([with_values(capture, chunk, value)])
            except AssertionError as err:
                # Go on: one run lists every broken entity, not just the first.
                failures.append(f"{value!r} at {chunk}:\n{err}")
                await harness.recover()
    assert not failures, "\n\n".join(failures)
    assert harness.examples == len(BOUNDARY_VALUES) * len(chunks)
