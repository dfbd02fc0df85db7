"""What the integration costs Home Assistant's recorder: rows and database growth.

    python -m benchmarks.recorder [--printers 10] [--seconds 300] [--warm-up 60]

A farm of simulated printers (``benchmarks.world``, in its own process)
prints at real speed with realistic temperature wobble, one report a second
each, into a real Home Assistant with the default SQLite recorder. After a
warm-up (setup, first states, the jobs under way, the first statistics
compile), it counts over the given seconds:

- the state rows the recorder wrote for the integration's entities, per
  printer-hour, and which entities wrote most;
- the short-term statistics rows (every 5 minutes per entity with a
  ``state_class``);
- the growth of the database (its used pages, WAL included), per printer-day.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
import logging
from pathlib import Path
import sqlite3
import tempfile
import time
from typing import Any

from homeassistant.components.recorder import get_instance
from homeassistant.core import HomeAssistant

from benchmarks.hass import add_account, our_entities, start_hass
from benchmarks.world import farm, wait_for

RECORDER = """\
recorder:
  commit_interval: 5
"""
MIB = 1024 * 1024
DB_FILE = "home-assistant_v2.db"


def _used_bytes(database: Path) -> int:
    """The database's used pages (what the recorder's data takes), in bytes."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def _statistics_compiled(database: Path) -> bool:
    """Whether the recorder compiled statistics once (and made their series)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute("SELECT COUNT(*) FROM statistics_short_term")
        return bool(rows.fetchone()[0])


def _rows(
    database: Path, entity_ids: set[str], since: float, until: float
) -> dict[str, Any]:
    """State and statistics rows written between ``since`` and ``until``."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        states = connection.execute(
            "SELECT m.entity_id FROM states s JOIN states_meta m"
            " ON s.metadata_id = m.metadata_id"
            " WHERE s.last_updated_ts >= ? AND s.last_updated_ts < ?",
            (since, until),
        ).fetchall()
        statistics = connection.execute(
            "SELECT COUNT(*) FROM statistics_short_term WHERE created_ts >= ?"
            " AND created_ts < ?",
            (since, until),
        ).fetchone()[0]
        series = connection.execute(
            "SELECT statistic_id FROM statistics_meta WHERE source = 'recorder'"
        ).fetchall()
    ours = Counter(row[0] for row in states if row[0] in entity_ids)
    return {
        "ours": ours,
        "all": len(states),
        "statistics": statistics,
        "series": len({row[0] for row in series} & entity_ids),
    }


async def _flush(hass: HomeAssistant) -> None:
    await get_instance(hass).async_block_till_done()
    await asyncio.sleep(6)  # past one commit interval
    await get_instance(hass).async_block_till_done()


async def _measure(args: argparse.Namespace) -> None:
    async with farm(args.printers, wobble=True) as facts:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as directory:
            config = Path(directory)
            hass = await start_hass(config, RECORDER)
            database = config / DB_FILE
            try:
                entry_id = await add_account(hass, facts)
                printers = hass.config_entries.async_get_known_entry(
                    entry_id
                ).runtime_data.printers
                await wait_for(
                    lambda: all(p.data.has_full_report for p in printers.values()),
                    120,
                )
                await asyncio.sleep(args.warm_up)
                # Past the first 5-minute compile, which makes the statistics
                # series once: the window sees the steady state.
                await wait_for(lambda: _statistics_compiled(database), 330)
                await _flush(hass)
                entity_ids = {e.entity_id for e in our_entities(hass)}
                enabled = {
                    e.entity_id for e in our_entities(hass) if e.disabled_by is None
                }
                start, used = time.time(), _used_bytes(database)
                await asyncio.sleep(args.seconds)
                end = time.time()
                await _flush(hass)
                grown = _used_bytes(database) - used
                rows = _rows(database, entity_ids, start, end)
            finally:
                await hass.async_stop()
    _report(args, rows, grown, end - start, len(entity_ids), len(enabled))


def _report(
    args: argparse.Namespace,
    rows: dict[str, Any],
    grown: int,
    seconds: float,
    entities: int,
    enabled: int,
) -> None:
    printer_hours = args.printers * seconds / 3600
    ours: Counter[str] = rows["ours"]
    total = sum(ours.values())
    temperatures = sum(n for e, n in ours.items() if "temperature" in e)
    print(
        f"recorder: {args.printers} printers for {seconds:.0f} s, "
        f"{entities} entities ({enabled} enabled), "
        f"{rows['series']} long-term statistics series"
    )
    print(
        f"state rows: {total} ({total / printer_hours:.0f} per printer-hour, "
        f"{total / args.printers / seconds:.2f} per printer-second); "
        f"temperatures {temperatures} ({100 * temperatures / max(total, 1):.0f} %)"
    )
    print(f"short-term statistics rows: {rows['statistics']}")
    per_day = grown / printer_hours * 24 / MIB
    print(
        f"database growth: {grown / 1024:.0f} KiB = "
        f"{per_day:.2f} MiB per printer-day (target < 2)"
    )
    by_kind: Counter[str] = Counter()
    for entity_id, count in ours.items():
        # sensor.farm_3_nozzle_temperature -> sensor.nozzle_temperature
        domain, _, name = entity_id.partition(".")
        kind = name.split("_", 2)[-1] if name.startswith("farm_") else name
        by_kind[f"{domain}.{kind}"] += count
    print("most written:", ", ".join(f"{k} {n}" for k, n in by_kind.most_common(8)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--printers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--warm-up", type=float, default=60.0)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_measure(parser.parse_args()))


if __name__ == "__main__":
    main()
