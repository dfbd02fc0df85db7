"""``python -m simulator``: run the demo world until Ctrl-C.

One account, three printers of different models, some of them printing.
The connection facts are printed (and written as JSON with ``--info``) so a
person or ``scripts/develop`` can point Home Assistant at it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
from pathlib import Path
import signal
from typing import Any

from .scenario import DEMO_EMAIL, build_demo
from .world import Simulator

_LOGGER = logging.getLogger("simulator")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="A fake Bambu cloud with simulated printers, on 127.0.0.1.",
    )
    parser.add_argument(
        "--directory", type=Path, help="where to keep certificates and files"
    )
    parser.add_argument(
        "--printing", type=int, default=1, help="how many printers start a job (0-3)"
    )
    parser.add_argument(
        "--rate", type=float, default=1.0, help="reports per second (up to 50)"
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="simulated seconds per real second"
    )
    parser.add_argument("--info", type=Path, help="write the connection facts here")
    parser.add_argument(
        "--announce-port",
        type=int,
        help="printers announce themselves (SSDP NOTIFY) to 127.0.0.1 on this"
        " UDP port (Home Assistant listens on 2021)",
    )
    return parser.parse_args()


def _describe(facts: dict[str, Any]) -> str:
    lines = [
        "Bambu simulator running (Ctrl-C stops it)",
        f"  Cloud API (base URL):  {facts['api_url']}",
        f"  Cloud MQTT broker:     {facts['mqtt']['host']}:{facts['mqtt']['port']}",
        f"  CA certificate:        {facts['ca_cert']}",
    ]
    for account in facts["accounts"]:
        lines.append(
            f"  Account {account['email']} / password {account['password']}"
            f" (uid {account['uid']}; the login code is logged when sent)"
        )
        lines.extend(
            f"    {p['name']} ({p['model']}) serial {p['serial']}, access code"
            f" {p['access_code']}, LAN ports: "
            + ", ".join(f"{k} {v}" for k, v in p.items() if k.endswith("port"))
            for p in account["printers"]
        )
    return "\n".join(lines)


async def _run(args: argparse.Namespace) -> None:
    world = Simulator(
        args.directory,
        rate_hz=min(max(args.rate, 0.1), 50.0),
        speed=args.speed,
        announce_port=args.announce_port,
    )
    await build_demo(world, printing=args.printing)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with world:
        facts = world.describe()
        if args.info is not None:
            args.info.write_text(json.dumps(facts, indent=2), encoding="utf-8")
        print(_describe(facts), flush=True)
        _LOGGER.info("Log in as %s; the code appears below when sent", DEMO_EMAIL)
        await stop.wait()
    _LOGGER.info("Simulator stopped")


def main() -> None:
    """Run the demo world."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(_arguments()))


if __name__ == "__main__":
    main()
