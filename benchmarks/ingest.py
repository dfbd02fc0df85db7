"""Cost per message of PrinterState.apply next to the orjson.loads floor.

    python -m benchmarks.ingest [--repeat N] [--no-writes]

Each message is parsed and applied in a fresh state replaying the stream, N
times; the minimum time per message (least disturbed by the machine) is kept,
then the median over messages is reported. Full reports and deltas are shown
separately, since a full report diffs the whole tree.

Then the same stream goes into a real Home Assistant (one LAN entry per
capture, the MQTT transport replaced by the tests' FakeLink): for each delta,
the state writes (``state_changed`` plus ``state_reported``, which Home
Assistant fires for a write that changes nothing) are counted next to the
entities whose state or attributes really differ. Target: zero redundant
writes.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
import statistics
import tempfile
from time import perf_counter_ns
from types import MappingProxyType
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntry
from homeassistant.const import (
    CONF_HOST,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, callback
import orjson

from benchmarks.farm import start_hass
from benchmarks.stream import stream
from custom_components.bambu_cloud.aiobambulab.job_details import JobDetails
from custom_components.bambu_cloud.aiobambulab.state import PrinterState
from custom_components.bambu_cloud.const import (
    CONF_ACCESS_CODE,
    CONF_KIND,
    CONF_SERIAL,
    DOMAIN,
    EntryKind,
)
from custom_components.bambu_cloud.job import JobTracker
from tests.common import get_version
from tests.fake_link import FakeLink


def _measure(
    messages: list[tuple[str, bytes]], repeat: int
) -> tuple[list[int], list[int]]:
    parse_ns = [10**18] * len(messages)
    apply_ns = [10**18] * len(messages)
    loads: Callable[[bytes], Any] = orjson.loads
    for _ in range(repeat):
        states: dict[str, PrinterState] = {}
        parsed = [loads(data) for _, data in messages]  # apply takes ownership
        for index, (printer, data) in enumerate(messages):
            state = states.setdefault(printer, PrinterState(printer))
            start = perf_counter_ns()
            loads(data)
            middle = perf_counter_ns()
            state.apply(parsed[index])
            end = perf_counter_ns()
            parse_ns[index] = min(parse_ns[index], middle - start)
            apply_ns[index] = min(apply_ns[index], end - middle)
    return parse_ns, apply_ns


@callback
def _every(_data: Any) -> bool:
    """Home Assistant wants a filter for state_reported: take every one."""
    return True


async def _writes(messages: list[tuple[str, bytes]]) -> tuple[int, int, int]:
    """(deltas, state writes, values changed) of the stream in Home Assistant."""
    writes = [0]

    @callback
    def count(_event: Event[Any]) -> None:
        writes[0] += 1

    with (
        tempfile.TemporaryDirectory() as directory,
        patch(
            "custom_components.bambu_cloud.aiobambulab.printer.PrinterLink", FakeLink
        ),
        patch(
            "custom_components.bambu_cloud.aiobambulab.account.PrinterLink", FakeLink
        ),
        patch.object(
            JobTracker, "_lookup", AsyncMock(side_effect=lambda k: JobDetails(k, None))
        ),
    ):
        hass = await start_hass(Path(directory))
        serials: dict[str, str] = {}
        for index, printer in enumerate(sorted({p for p, _ in messages})):
            serials[printer] = serial = f"01S00C{index:09d}"
            entry = ConfigEntry(
                data={
                    CONF_KIND: EntryKind.LAN,
                    CONF_HOST: "192.0.2.10",
                    CONF_SERIAL: serial,
                    CONF_ACCESS_CODE: "12345678",
                },
                discovery_keys=MappingProxyType({}),
                domain=DOMAIN,
                minor_version=1,
                options={},
                source=SOURCE_USER,
                subentries_data=None,
                title=printer,
                unique_id=serial,
                version=1,
            )
            await hass.config_entries.async_add(entry)
            FakeLink.links[-1].deliver(serial, get_version(printer))
        await hass.async_block_till_done()
        links = {next(iter(link.serials)): link for link in FakeLink.links}
        hass.bus.async_listen(EVENT_STATE_CHANGED, count)
        hass.bus.async_listen(EVENT_STATE_REPORTED, count, event_filter=_every)
        seen: set[str] = set()
        deltas = changed = delta_writes = 0
        for printer, data in messages:
            serial = serials[printer]
            full = printer not in seen
            seen.add(printer)
            before = {
                s.entity_id: (s.state, s.attributes) for s in hass.states.async_all()
            }
            written = writes[0]
            links[serial].deliver(serial, orjson.loads(data))
            await hass.async_block_till_done()
            if full:
                continue
            deltas += 1
            after = {
                s.entity_id: (s.state, s.attributes) for s in hass.states.async_all()
            }
            changed += sum(1 for k, v in after.items() if before.get(k) != v)
            delta_writes += writes[0] - written
        await hass.async_stop()
    return deltas, delta_writes, changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--deltas", type=int, default=300)
    parser.add_argument(
        "--no-writes", dest="writes", action="store_false", help="skip Home Assistant"
    )
    args = parser.parse_args()
    messages = stream(args.deltas)
    parse_ns, apply_ns = _measure(messages, args.repeat)
    firsts: dict[str, int] = {}
    for index, (printer, _) in enumerate(messages):
        firsts.setdefault(printer, index)
    full = sorted(firsts.values())  # each printer's stream opens with its full report
    delta = [i for i in range(len(messages)) if i not in set(full)]
    print(
        f"messages: {len(messages)} ({len(full)} full, {len(delta)} deltas), repeat {args.repeat}"
    )
    print(f"{'':8} {'orjson.loads':>14} {'apply':>10} {'ratio':>7}")
    for name, indices in (
        ("all", range(len(messages))),
        ("full", full),
        ("delta", delta),
    ):
        parse = statistics.median(parse_ns[i] for i in indices) / 1000
        apply = statistics.median(apply_ns[i] for i in indices) / 1000
        print(f"{name:8} {parse:11.2f} us {apply:7.2f} us {apply / parse:6.2f}x")
    sizes = [len(data) for _, data in messages]
    print(f"median message size: {statistics.median(sizes):.0f} bytes")
    if args.writes:
        deltas, writes, changed = asyncio.run(_writes(messages))
        print(
            f"Home Assistant, {deltas} deltas: {writes} state writes, "
            f"{changed} values changed ({writes / deltas:.2f} vs "
            f"{changed / deltas:.2f} per message); redundant writes: "
            f"{writes - changed}"
        )


if __name__ == "__main__":
    main()
