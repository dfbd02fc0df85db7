"""``python -m simulator.develop``: the demo behind ``scripts/develop``.

Starts the simulated world, then Home Assistant with this integration on
http://127.0.0.1:8123, onboards a user and adds the demo account through the
real config flow over Home Assistant's REST API, exactly as a person would in
the UI (the verification code is read from the simulated mailbox). Ctrl-C
stops Home Assistant and the world.

The demo's log and Repairs page show what the integration says, nothing
else: the HTTP settings are stored as Home Assistant 2026.10 keeps them (no
``http:`` YAML to migrate), onboarding skips the steps that set up weather,
radio and speech integrations the environment has no libraries for, and
Home Assistant's notice about its own installation method is dismissed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
import contextlib
import itertools
import json
import logging
import os
from pathlib import Path
import shutil
import signal
import sys
from typing import Any

import aiohttp
from homeassistant.components.http.config import (
    HTTP_STORAGE_SCHEMA,
    STORAGE_KEY as HTTP_STORAGE_KEY,
    STORAGE_MINOR_VERSION as HTTP_STORAGE_MINOR_VERSION,
    STORAGE_VERSION as HTTP_STORAGE_VERSION,
)
from homeassistant.components.onboarding import (
    STORAGE_KEY as ONBOARDING_STORAGE_KEY,
    STORAGE_VERSION as ONBOARDING_STORAGE_VERSION,
)
from homeassistant.components.onboarding.const import STEP_USER, STEPS
from homeassistant.util import dt as dt_util

from .scenario import DEMO_EMAIL, DEMO_PASSWORD, build_demo
from .storage import stock
from .world import Simulator

_LOGGER = logging.getLogger("simulator.develop")
REPO = Path(__file__).resolve().parent.parent
HA_HOST = "127.0.0.1"
HA_USER = "demo"
HA_PASSWORD = "demo-password"  # noqa: S105 - printed for the person running the demo
CONFIGURATION = """\
homeassistant:
  name: Bambu demo
  unit_system: metric
  time_zone: UTC
  country: DE
  currency: EUR
frontend:
config:
history:
logbook:
{http}logger:
  default: warning
  logs:
    custom_components.bambu_cloud: info
    simulator: info
"""
HTTP_YAML = """\
http:
  server_host: {host}
  server_port: {port}
"""
# Home Assistant's own notices that say nothing about this integration.
CORE_NOTICES = frozenset({("homeassistant", "deprecated_method")})
NOTICE_WAIT = 30.0  # seconds for Home Assistant to raise them after its start


class DemoError(RuntimeError):
    """The demo could not be brought up."""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator.develop")
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant port")
    parser.add_argument(
        "--directory",
        type=Path,
        default=REPO / ".demo",
        help="Home Assistant configuration and simulator files (wiped on start)",
    )
    parser.add_argument("--speed", type=float, default=1.0)
    return parser.parse_args()


def prepare_config(directory: Path, port: int, *, http_in_yaml: bool = True) -> Path:
    """A fresh configuration directory with this integration linked in.

    ``http_in_yaml``: the HTTP settings in configuration.yaml, as a person
    would write them (Home Assistant then asks to confirm them, and raises a
    repair about the YAML); else already in Home Assistant's storage.
    """
    shutil.rmtree(directory, ignore_errors=True)
    config = directory / "config"
    (config / "custom_components").mkdir(parents=True)
    http = HTTP_YAML.format(host=HA_HOST, port=port) if http_in_yaml else ""
    (config / "configuration.yaml").write_text(
        CONFIGURATION.format(http=http), encoding="utf-8"
    )
    (config / "custom_components" / "bambu_cloud").symlink_to(
        REPO / "custom_components" / "bambu_cloud"
    )
    if not http_in_yaml:
        _store(
            config,
            HTTP_STORAGE_KEY,
            HTTP_STORAGE_VERSION,
            {
                "stable": {
                    **HTTP_STORAGE_SCHEMA(
                        {"server_host": [HA_HOST], "server_port": port}
                    ),
                    "created_at": dt_util.utcnow().isoformat(),
                    "error": None,
                    "error_message": None,
                },
                "pending": None,
                "yaml_migration_done": True,
            },
            minor_version=HTTP_STORAGE_MINOR_VERSION,
        )
    return config


def skip_onboarding_extras(config: Path) -> None:
    """Leave only the user step of onboarding to do.

    The other steps set up integrations for a new home (weather, radio,
    text-to-speech) whose libraries the environment does not have.
    """
    _store(
        config,
        ONBOARDING_STORAGE_KEY,
        ONBOARDING_STORAGE_VERSION,
        {"done": [step for step in STEPS if step != STEP_USER]},
    )


def _store(
    config: Path, key: str, version: int, data: Any, *, minor_version: int = 1
) -> None:
    """Write a Home Assistant storage file as its Store would."""
    storage = config / ".storage"
    storage.mkdir(exist_ok=True)
    (storage / key).write_text(
        json.dumps(
            {
                "version": version,
                "minor_version": minor_version,
                "key": key,
                "data": data,
            },
            indent=2,
        ),
        encoding="utf-8",
    )


class HomeAssistantApi:
    """Just enough of Home Assistant's REST API to onboard and add an entry."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        """Talk to the instance at ``base``."""
        self._session = session
        self._base = base
        self._token = ""

    async def wait_until_up(self, process: asyncio.subprocess.Process) -> None:
        """Poll until the HTTP server answers (Home Assistant takes a while)."""
        async with asyncio.timeout(300):
            while True:
                if process.returncode is not None:
                    raise DemoError(f"Home Assistant exited with {process.returncode}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with self._session.get(f"{self._base}/manifest.json") as r:
                        if r.status == 200:
                            return
                await asyncio.sleep(0.5)

    async def onboard(self, *, user_only: bool = False) -> None:
        """Create the owner and finish the onboarding steps.

        ``user_only``: the other steps are already marked done.
        """
        client_id = f"{self._base}/"
        created = await self._post(
            "/api/onboarding/users",
            {
                "client_id": client_id,
                "name": "Demo",
                "username": HA_USER,
                "password": HA_PASSWORD,
                "language": "en",
            },
            auth=False,
        )
        async with self._session.post(
            f"{self._base}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": created["auth_code"],
                "client_id": client_id,
            },
        ) as response:
            response.raise_for_status()
            self._token = (await response.json())["access_token"]
        if user_only:
            return
        await self._post("/api/onboarding/core_config", {})
        await self._post("/api/onboarding/analytics", {})
        await self._post(
            "/api/onboarding/integration",
            {"client_id": client_id, "redirect_uri": f"{client_id}?auth_callback=1"},
        )

    async def keep_http_settings(self) -> None:
        """Confirm HTTP settings given in configuration.yaml.

        Home Assistant 2026.10 moves them into its storage as a trial that
        reverts (and restarts) after five minutes unless someone confirms it;
        the confirm dialog would also cover the page. Tests that start from
        YAML call this; the demo writes the settings to storage instead.
        """
        async with self._session.ws_connect(f"{self._base}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self._token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                raise DemoError("the websocket did not accept the token")
            await ws.send_json({"id": 1, "type": "http/config/promote"})
            answer = await ws.receive_json()
            if not answer.get("success"):
                raise DemoError(f"confirming the HTTP settings: {answer}")

    async def dismiss_core_notices(self) -> None:
        """Ignore Home Assistant's repairs about itself, once it has raised them.

        Home Assistant checks its installation method after it has started;
        the demo is no installation to keep, so the notice is noise.
        """
        async with self._session.ws_connect(f"{self._base}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self._token})
            if (await ws.receive_json()).get("type") != "auth_ok":
                raise DemoError("the websocket did not accept the token")
            ids = itertools.count(1)
            left = set(CORE_NOTICES)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(NOTICE_WAIT):
                    while left:
                        await ws.send_json(
                            {"id": next(ids), "type": "repairs/list_issues"}
                        )
                        answer = await ws.receive_json()
                        for issue in answer.get("result", {}).get("issues", ()):
                            key = (issue["domain"], issue["issue_id"])
                            if key in left and not issue.get("ignored"):
                                await ws.send_json(
                                    {
                                        "id": next(ids),
                                        "type": "repairs/ignore_issue",
                                        "domain": key[0],
                                        "issue_id": key[1],
                                        "ignore": True,
                                    }
                                )
                                await ws.receive_json()
                                left.discard(key)
                        if left:
                            await asyncio.sleep(0.5)

    async def start_flow(self, handler: str) -> dict[str, Any]:
        """Start a config flow, as the "Add integration" button does."""
        return await self._post(
            "/api/config/config_entries/flow",
            {"handler": handler},
        )

    async def flow_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Answer the flow's current step."""
        return await self._post(f"/api/config/config_entries/flow/{flow_id}", data)

    async def start_options(self, entry_id: str) -> dict[str, Any]:
        """Open an entry's options, as its "Configure" button does."""
        return await self._post(
            "/api/config/config_entries/options/flow", {"handler": entry_id}
        )

    async def options_step(self, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Answer the options flow's current step."""
        return await self._post(
            f"/api/config/config_entries/options/flow/{flow_id}", data
        )

    async def _post(
        self, path: str, body: dict[str, Any], *, auth: bool = True
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._token}"} if auth else {}
        async with self._session.post(
            f"{self._base}{path}", json=body, headers=headers
        ) as response:
            if response.status >= 400:
                raise DemoError(
                    f"{path}: HTTP {response.status} {await response.text()}"
                )
            data: dict[str, Any] = await response.json()
            return data


async def add_demo_account(api: HomeAssistantApi, world: Simulator) -> dict[str, Any]:
    """Walk the integration's config flow like a person in the UI would."""
    result = await api.start_flow("bambu_cloud")
    for _ in range(10):
        if result["type"] == "create_entry":
            return result
        if result["type"] == "abort":
            raise DemoError(f"config flow aborted: {result.get('reason')}")
        step = result.get("step_id")
        flow_id = result["flow_id"]
        if result["type"] == "menu":
            result = await api.flow_step(flow_id, {"next_step_id": "cloud"})
        elif step == "cloud":
            result = await api.flow_step(
                flow_id,
                {
                    "region": "global",
                    "email": DEMO_EMAIL,
                    "password": DEMO_PASSWORD,
                    "advanced": {
                        "api_url": world.api_url,
                        "mqtt_host": HA_HOST,
                        "mqtt_port": world.mqtt_port,
                        "ca_cert": world.ca_pem,
                    },
                },
            )
        elif step == "code":
            code = world.last_code(DEMO_EMAIL)
            if code is None:
                raise DemoError("the simulated cloud sent no code")
            result = await api.flow_step(flow_id, {"code": code})
        elif step == "printers":
            result = await api.flow_step(
                flow_id, {"selected_printers": list(world.printers)}
            )
        else:
            raise DemoError(f"unexpected step {step}: {result.get('errors')}")
    raise DemoError("the config flow did not finish")


async def add_lan_access(
    api: HomeAssistantApi, world: Simulator, entry_id: str
) -> None:
    """Give each printer its LAN address and ports in the options.

    For a world whose printers share 127.0.0.1 on ports picked at run time
    (the browser tests): Home Assistant cannot find them by their reports.
    """
    for serial, printer in world.printers.items():
        ports = printer.extra_ports()
        result = await api.start_options(entry_id)
        if result.get("step_id") != "account":
            raise DemoError(f"unexpected options step {result.get('step_id')}")
        result = await api.options_step(
            result["flow_id"],
            {
                "device_list_interval": 5,
                "selected_printers": list(world.printers),
                "configure_printer": serial,
            },
        )
        result = await api.options_step(
            result["flow_id"],
            {
                "host": printer.address,
                "access_code": printer.access_code,
                "camera": True,
                "advanced": {
                    "port": printer.lan_port,
                    "camera_port": ports.get("camera_port", 6000),
                    "ftp_port": ports["ftp_port"],
                },
            },
        )
        if result["type"] != "create_entry":
            raise DemoError(f"printer options of {serial}: {result.get('errors')}")


@contextlib.asynccontextmanager
async def home_assistant(
    config: Path, *, module: str = "simulator.hass_main", **streams: Any
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run Home Assistant on ``config`` as a subprocess; stop it on leaving.

    ``module`` is what ``python -m`` runs: by default Home Assistant through
    the wrapper that lets its frontend load without the voice libraries; ``streams`` go to the subprocess (stdout, stderr); by
    default it shares this process's terminal.
    """
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        "--config",
        str(config),
        "--skip-pip",
        env={**os.environ, "PYTHONPATH": str(REPO)},
        **streams,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                async with asyncio.timeout(30):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


async def _run(args: argparse.Namespace) -> int:
    config = prepare_config(args.directory, args.port, http_in_yaml=False)
    skip_onboarding_extras(config)
    # Printers at addresses of their own, on a real printer's ports: Home
    # Assistant finds them from their reports, no option to type.
    world = Simulator(
        args.directory / "simulator",
        rate_hz=1.0,
        speed=args.speed,
        lan_addresses=True,
    )
    await build_demo(world, printing=3)
    # Timelapses and print files on each printer, for the Media panel: P1/A1
    # models record AVI, the others MP4, as the real ones do.
    for printer in world.printers.values():
        await stock(printer.files.root, avi=printer.has_jpeg_camera)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with world, home_assistant(config) as process:
        base = f"http://{HA_HOST}:{args.port}"
        async with aiohttp.ClientSession() as session:
            api = HomeAssistantApi(session, base)
            await api.wait_until_up(process)
            await api.onboard(user_only=True)
            entry = await add_demo_account(api, world)
            await api.dismiss_core_notices()
        print(
            f"\nHome Assistant is ready: {base}\n"
            f"  log in as {HA_USER} / {HA_PASSWORD}\n"
            f"  Bambu account {entry['title']} added with "
            f"{len(world.printers)} simulated printers.\n"
            "Ctrl-C stops everything.\n",
            flush=True,
        )
        waiter = asyncio.create_task(stop.wait())
        exited = asyncio.create_task(process.wait())
        await asyncio.wait({waiter, exited}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        exited.cancel()
    return 0


def main() -> None:
    """Run the demo until Ctrl-C."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        sys.exit(asyncio.run(_run(_arguments())))
    except DemoError as err:
        _LOGGER.error("The demo could not start: %s", err)  # noqa: TRY400
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
