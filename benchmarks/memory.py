"""The integration's heap in Home Assistant, and the HMS texts' share of it.

    python -m benchmarks.memory --printers 1
    python -m benchmarks.memory --printers 50

The farm (``benchmarks.world``) runs in its own process; this one runs a
real Home Assistant under ``tracemalloc``. The integration's heap is what
Home Assistant holds more once the account and its printers are set up and
running (the integration's own objects and Home Assistant's per-entity
ones), after a warm-up and a garbage collection. The HMS texts' share is
what was allocated under ``aiobambulab/hms.py`` and is still held. Then one
printer reports its first HMS error, and both are measured again.

Run it once per printer count: each run is a fresh process, so the numbers
do not mix. Fixed and per-printer cost follow from two runs (1 and 50).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import copy
import gc
import logging
from pathlib import Path
import tempfile
import tracemalloc

from homeassistant.core import HomeAssistant

from benchmarks.hass import add_account, our_entities, start_hass
from benchmarks.world import farm, wait_for
from custom_components.bambu_cloud.runtime import BambuRuntimeData

MIB = 1024 * 1024
FRAMES = 12  # deep enough to see hms.py under json's parser
HMS_FILE = str(Path("aiobambulab") / "hms.py")
OURS = "custom_components/bambu_cloud/"
# A nozzle heater fault, as a printer reports it.
FIRST_ERROR = {
    "print": {
        "command": "push_status",
        "hms": [{"attr": 0x03000200, "code": 0x00010001}],
        "print_error": 0x03004000,
    }
}


def _held() -> tuple[int, int, tracemalloc.Snapshot]:
    """Bytes traced now, those allocated under hms.py, and the snapshot."""
    gc.collect()
    # Not the snapshots themselves (the base one is kept for the comparison).
    snapshot = tracemalloc.take_snapshot().filter_traces(
        (tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__),)
    )
    total = sum(stat.size for stat in snapshot.statistics("filename"))
    hms = sum(
        trace.size
        for trace in snapshot.traces
        if any(frame.filename.endswith(HMS_FILE) for frame in trace.traceback)
    )
    return total, hms, snapshot


def _where(base: tracemalloc.Snapshot, now: tracemalloc.Snapshot, top: int) -> None:
    """The files whose allocations grew most (innermost frame)."""
    for stat in now.compare_to(base, "filename")[:top]:
        name = stat.traceback[0].filename.split("site-packages/")[-1]
        print(f"  {stat.size_diff / 1024:8.0f} KiB  {name}")


def _whose(base: tracemalloc.Snapshot, now: tracemalloc.Snapshot, top: int) -> None:
    """The integration's lines that allocated the growth, directly or through
    Home Assistant (e.g. an entity added); growth no frame of ours asked for
    is Home Assistant's own (its timers, caches)."""
    grown: collections.Counter[str] = collections.Counter()
    for trace in now.traces:
        grown[_owner(trace.traceback)] += trace.size
    for trace in base.traces:
        grown[_owner(trace.traceback)] -= trace.size
    for owner, size in grown.most_common(top):
        print(f"  {size / 1024:8.0f} KiB  {owner}")


def _owner(traceback: tracemalloc.Traceback) -> str:
    """``ours.py:line <- allocating file:line``, or the allocating file alone."""
    frame = traceback[-1]  # the most recent
    where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
    for frame in reversed(traceback):
        if OURS in frame.filename:
            ours = frame.filename.split(OURS)[-1]
            return f"{ours}:{frame.lineno} <- {where}"
    return where.rsplit(":", 1)[0]


async def _measure(args: argparse.Namespace) -> None:
    async with farm(args.printers, rate=args.rate) as facts:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as directory:
            hass = await start_hass(Path(directory))
            try:
                await asyncio.sleep(5)
                base, _, base_snapshot = _held()
                entry_id = await add_account(hass, facts)
                runtime = hass.config_entries.async_get_known_entry(
                    entry_id
                ).runtime_data
                printers = runtime.printers
                await wait_for(
                    lambda: all(p.data.has_full_report for p in printers.values()),
                    300,
                )
                await asyncio.sleep(args.warm_up)
                registered = our_entities(hass)
                entities = len(registered)
                enabled = sum(not entry.disabled_by for entry in registered)
                running, hms, snapshot = _held()
                await _first_error(hass, runtime)
                after_error, hms_after, _ = _held()
            finally:
                await hass.async_stop()
    heap = running - base
    print(
        f"memory: {args.printers} printers, {entities} entities ({enabled} enabled): "
        f"integration heap "
        f"{heap / MIB:.2f} MiB ({heap / MIB / args.printers:.3f} MiB per printer); "
        f"HMS texts {hms / MIB:.2f} MiB ({100 * hms / max(heap, 1):.0f} %)"
    )
    print(
        f"after the first HMS error: heap {(after_error - base) / MIB:.2f} MiB, "
        f"HMS texts {hms_after / MIB:.3f} MiB"
    )
    if args.top:
        print("where the heap grew (by allocating file):")
        _where(base_snapshot, snapshot, args.top)
        print("whose code asked for it (the innermost frame in the integration):")
        _whose(base_snapshot, snapshot, args.top)
    if args.dump:  # for a closer look afterwards (tracemalloc.Snapshot.load)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, base_snapshot.dump, f"{args.dump}-base")
        await loop.run_in_executor(None, snapshot.dump, f"{args.dump}-running")


async def _first_error(hass: HomeAssistant, runtime: BambuRuntimeData) -> None:
    """One printer reports an HMS and a print error, as from its broker."""
    coordinator = next(iter(runtime.printers.values()))
    coordinator.printer.handle_cloud_message(copy.deepcopy(FIRST_ERROR))
    await hass.async_block_till_done()
    await asyncio.sleep(2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--printers", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--warm-up", type=float, default=20.0)
    parser.add_argument(
        "--frames",
        type=int,
        default=FRAMES,
        help="traceback depth; 1 is much faster but cannot see the HMS share",
    )
    parser.add_argument("--top", type=int, default=0, help="list the top files")
    parser.add_argument(
        "--dump", help="save both snapshots as DUMP-base and DUMP-running"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tracemalloc.start(args.frames)
    asyncio.run(_measure(args))


if __name__ == "__main__":
    main()
