"""Run a real Mosquitto broker with TLS for the simulator and the tests.

Only 127.0.0.1, ports picked at run time, password authentication and an
ACL so each user sees only its printers' topics, as on Bambu's brokers:
clients (``bblp``, ``u_<uid>``) read ``device/<serial>/report`` and write
``device/<serial>/request``; printer peers do the opposite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, replace
import os
from pathlib import Path
import random
import shutil
import signal
import socket
import tempfile
from types import TracebackType
from typing import Final, Literal, Self

HOST = "127.0.0.1"
MOSQUITTO = "/usr/sbin/mosquitto"
# Hashes the plain-text password file in place (-U).
HASH_TOOL = "mosquitto_passwd"

type Role = Literal["client", "printer"]


class BrokerError(RuntimeError):
    """Mosquitto could not be started or stopped."""


@dataclass(frozen=True, slots=True)
class Listener:
    """One TLS listener: its name, port and certificate files."""

    name: str
    port: int
    certfile: Path
    keyfile: Path
    cafile: Path | None = None


@dataclass(frozen=True, slots=True)
class User:
    """A broker account and the printers whose topics it may use."""

    name: str
    password: str
    serials: frozenset[str] | None  # None: every printer
    role: Role


class MosquittoBroker:
    """A Mosquitto process with TLS listeners, users and topic ACLs."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        mosquitto: str = MOSQUITTO,
        hash_tool: str = HASH_TOOL,
        host: str = HOST,
    ) -> None:
        """Prepare a broker on ``host``; files go to ``directory`` (default: a temp dir)."""
        self._owns_directory = directory is None
        self.directory = (
            Path(tempfile.mkdtemp(prefix="mosquitto-"))
            if directory is None
            else directory
        )
        self._mosquitto = mosquitto
        self._host = host
        self._hash_tool = hash_tool
        self._listeners: dict[str, Listener] = {}
        self._users: dict[str, User] = {}
        self._process: asyncio.subprocess.Process | None = None

    # --- configuration ------------------------------------------------------

    def add_listener(
        self,
        name: str,
        certfile: Path,
        keyfile: Path,
        *,
        cafile: Path | None = None,
        port: int | None = None,
    ) -> int:
        """Add a TLS listener on ``port`` (a free one when None), kept across restarts."""
        if name in self._listeners:
            raise ValueError(f"listener {name!r} exists")
        port = port or _free_port()
        self._listeners[name] = Listener(name, port, certfile, keyfile, cafile)
        return port

    def set_certificate(self, name: str, certfile: Path, keyfile: Path) -> None:
        """Serve another certificate on a listener from the next (re)start on.

        A fault hook: e.g. a leaf from a CA the clients do not trust.
        """
        self._listeners[name] = replace(
            self._listeners[name], certfile=certfile, keyfile=keyfile
        )

    def certificate(self, name: str) -> tuple[Path, Path]:
        """The certificate and key files a listener serves."""
        listener = self._listeners[name]
        return listener.certfile, listener.keyfile

    def add_user(
        self,
        name: str,
        password: str,
        serials: Iterable[str] | None = None,
        *,
        role: Role = "client",
    ) -> None:
        """Allow a user on the serials' topics (None: all).

        Takes effect at the next start, restart or reload.
        """
        self._users[name] = User(
            name, password, None if serials is None else frozenset(serials), role
        )

    @property
    def host(self) -> str:
        """The address every listener binds to."""
        return self._host

    @property
    def ports(self) -> dict[str, int]:
        """The port of each listener by name."""
        return {name: listener.port for name, listener in self._listeners.items()}

    def port(self, name: str) -> int:
        """The port of one listener."""
        return self._listeners[name].port

    @property
    def log_path(self) -> Path:
        """Mosquitto's log file."""
        return self.directory / "mosquitto.log"

    def log_text(self) -> str:
        """What Mosquitto logged so far (for test failure messages)."""
        parts = [
            path.read_text(encoding="utf-8", errors="replace")
            for path in (self.directory / "stderr.log", self.log_path)
            if path.exists()
        ]
        return "\n".join(parts)

    @property
    def running(self) -> bool:
        """Whether the Mosquitto process is alive."""
        return self._process is not None and self._process.returncode is None

    # --- life cycle ----------------------------------------------------------

    async def start(self, ready_timeout: float = 10.0) -> None:
        """Write the files, start Mosquitto and wait until every port accepts."""
        if self.running:
            return
        if not self._listeners:
            raise BrokerError("no listener configured")
        config, password_file, stderr_path = self._write_files()
        await self._run_tool(self._hash_tool, "-U", str(password_file))
        with stderr_path.open("ab") as stderr:
            self._process = await asyncio.create_subprocess_exec(
                self._mosquitto,
                "-c",
                str(config),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
            )
        try:
            await self._wait_ready(ready_timeout)
        except BaseException:
            await self._terminate()
            raise

    async def stop(self) -> None:
        """Stop Mosquitto and remove the directory when it made it."""
        await self._terminate()
        if self._owns_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    async def restart(self, ready_timeout: float = 10.0) -> None:
        """Stop and start again on the same ports (clients get disconnected)."""
        await self._terminate()
        await self.start(ready_timeout)

    async def reload(self) -> None:
        """Apply changed users and ACLs to the running broker (SIGHUP).

        Mosquitto rereads the files asynchronously: clients connecting right
        after this call may still meet the old settings.
        """
        if self._process is None or not self.running:
            raise BrokerError("mosquitto is not running")
        _, password_file, _ = self._write_files()
        await self._run_tool(self._hash_tool, "-U", str(password_file))
        self._process.send_signal(signal.SIGHUP)

    async def __aenter__(self) -> Self:
        """Start the broker."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the broker."""
        await self.stop()

    # --- internals -----------------------------------------------------------

    def _write_files(self) -> tuple[Path, Path, Path]:
        directory = self.directory
        directory.mkdir(parents=True, exist_ok=True)
        password_file = directory / "passwd"
        acl_file = directory / "acl"
        config = directory / "mosquitto.conf"
        _write_private(
            password_file,
            "".join(f"{user.name}:{user.password}\n" for user in self._users.values()),
        )
        _write_private(acl_file, "".join(_acl(user) for user in self._users.values()))
        lines = [
            "per_listener_settings false",
            "allow_anonymous false",
            f"password_file {password_file}",
            f"acl_file {acl_file}",
            "persistence false",
            f"log_dest file {self.log_path}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
        ]
        if os.geteuid() == 0:
            # Stay root so the 0600 key and password files stay readable.
            lines.append("user root")
        for listener in self._listeners.values():
            lines += [
                "",
                f"listener {listener.port} {self._host}",
                "socket_domain ipv4",
                f"certfile {listener.certfile}",
                f"keyfile {listener.keyfile}",
            ]
            if listener.cafile is not None:
                lines.append(f"cafile {listener.cafile}")
        _write_private(config, "\n".join(lines) + "\n")
        return config, password_file, directory / "stderr.log"

    async def _run_tool(self, *argv: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise BrokerError(f"{argv[0]} failed: {output.decode(errors='replace')}")

    async def _wait_ready(self, seconds: float) -> None:
        """Poll-connect every listener until it accepts, or the process dies."""
        process = self._process
        if process is None:
            raise BrokerError("mosquitto is not started")
        pending = [listener.port for listener in self._listeners.values()]
        async with asyncio.timeout(seconds):
            while pending:
                if process.returncode is not None:
                    raise BrokerError(
                        f"mosquitto exited with {process.returncode}:\n{self.log_text()}"
                    )
                try:
                    _, writer = await asyncio.open_connection(self._host, pending[0])
                except OSError:
                    # Not listening yet: Mosquitto opens its sockets within milliseconds.
                    await asyncio.sleep(0.01)
                    continue
                writer.transport.abort()
                pending.pop(0)

    async def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(5):
                await process.wait()
        except TimeoutError:
            process.kill()
            await process.wait()


def _acl(user: User) -> str:
    reads, writes = (
        ("report", "request") if user.role == "client" else ("request", "report")
    )
    serials = ["+"] if user.serials is None else sorted(user.serials)
    lines = [f"user {user.name}"]
    for serial in serials:
        lines.append(f"topic read device/{serial}/{reads}")
        lines.append(f"topic write device/{serial}/{writes}")
    return "\n".join(lines) + "\n\n"


# Below Linux's ephemeral ports (32768-60999), above the well-known ones.
_PORT_RANGE: Final = (20000, 32768)
_handed_out: set[int] = set()  # never the same port to two listeners at once
_FORGET_AFTER: Final = 4000  # brokers long stopped need their ports no more
_random = random.Random()


def _free_port() -> int:
    """A port free now, below the ephemeral range.

    Mosquitto binds it only when it starts; a port the OS hands out (port 0)
    could meanwhile become the local end of any outgoing connection, which
    never happens below the ephemeral range.
    """
    if len(_handed_out) > _FORGET_AFTER:
        _handed_out.clear()
    while True:
        port = _random.randrange(*_PORT_RANGE)
        if port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
        _handed_out.add(port)
        return port


def _write_private(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
