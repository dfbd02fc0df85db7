"""A printer's implicit FTPS server (TLS from the first byte) over a directory.

It behaves like the vsftpd on Bambu printers: user ``bblp`` with the access
code as password, data connections only after ``PROT P``, passive mode only,
and (by default) a data connection must resume the control connection's TLS
session, or it is refused with 522. Like vsftpd, the server answers 150
before it starts TLS on the data connection, so a client must send the
command first and shake hands after the 150.

The directory stands for the SD card: paths are resolved inside it and can
never leave it, whatever ``..`` or symbolic links say. Every command line is
recorded in ``commands``; ``replies`` replaces the answer to a verb (None:
stay silent) so tests can make the server misbehave (``"REST": "502 ..."``
for a server without ranges). ``sent_bytes`` counts the file bytes handed
to data connections, so tests see what a ranged read really cost. A
client may cut a download short by closing the data connection: like
vsftpd, the server then answers 426 and the session goes on.

Files are read and written synchronously: they are small and local, and the
server only serves tests and the demo.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import logging
from pathlib import Path
import posixpath
import socket
import ssl
from types import TracebackType
from typing import Self, cast

_LOGGER = logging.getLogger(__name__)

HOST = "127.0.0.1"
USER = "bblp"
GREETING = "220 Bambu printer FTPS ready."
FOLDERS = ("cache", "timelapse")
_CHUNK = 64 * 1024
# struct tcp_info (linux/tcp.h): the offset of tcpi_bytes_acked.
_TCP_INFO_BYTES_ACKED = 120
_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
_NOT_PROTECTED = "521 Data connections must be encrypted."
_RECENT = timedelta(days=180)  # ls shows the time, not the year, within this
_FEATURES = (
    "EPSV", "MDTM", "MLST type*;size*;modify*;", "PASV", "PBSZ", "PROT",
    "REST STREAM", "SIZE", "UTF8",
)  # fmt: skip
_VERBS = frozenset({
    "USER", "PASS", "PBSZ", "PROT", "TYPE", "NOOP", "SYST", "FEAT", "PWD", "CWD",
    "CDUP", "MKD", "RMD", "SIZE", "MDTM", "DELE", "PASV", "EPSV", "LIST", "NLST",
    "MLSD", "RETR", "STOR", "REST", "ABOR",
})  # fmt: skip
_PRE_LOGIN = frozenset({"USER", "PASS", "FEAT", "SYST", "NOOP", "PBSZ", "PROT"})

type Transport = tuple[asyncio.StreamReader, asyncio.StreamWriter]
type UploadCallback = Callable[[str, Path], None]


class _Passive:
    """A one-shot listener for the data connection announced by PASV/EPSV."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._accepted: asyncio.Future[Transport] = (
            asyncio.get_running_loop().create_future()
        )
        self._taken = False

    async def open(self, host: str) -> int:
        """Listen on a free port and return it."""
        self._server = await asyncio.start_server(self._accept, host, 0)
        return int(self._server.sockets[0].getsockname()[1])

    def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # Stop reading at once: an eager ClientHello must stay in the socket
        # until start_tls, not land in the plain stream's buffer.
        cast("asyncio.Transport", writer.transport).pause_reading()
        if self._accepted.done():
            writer.transport.abort()
            return
        self._accepted.set_result((reader, writer))

    async def take(self) -> Transport:
        """Wait for the data connection and take it over."""
        transport = await self._accepted
        self._taken = True
        return transport

    async def close(self) -> None:
        """Stop listening; drop a connection nobody took."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if not self._accepted.done():
            self._accepted.cancel()
        elif not self._taken and not self._accepted.cancelled():
            self._accepted.result()[1].transport.abort()


@dataclass
class _Session:
    """The state of one control connection."""

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    user: str | None = None
    logged_in: bool = False
    protected: bool = False  # PROT P given
    cwd: str = "/"
    restart: int = 0  # REST: where the next RETR starts
    passive: _Passive | None = field(default=None, repr=False)


class FtpsServer:
    """Serve ``root`` over implicit FTPS like a Bambu printer's SD card."""

    def __init__(
        self,
        cert_path: Path,
        key_path: Path,
        access_code: str,
        root: Path,
        *,
        host: str = HOST,
        port: int = 0,
        require_session_reuse: bool = True,
        on_upload: UploadCallback | None = None,
        mlsd: bool = True,
        tls_max_version: ssl.TLSVersion | None = None,
        data_timeout: float = 10.0,
    ) -> None:
        """Prepare the server; ``root`` gets ``cache/`` and ``timelapse/``.

        ``mlsd=False`` hides MLSD (like vsftpd) so clients fall back to LIST;
        ``tls_max_version`` caps TLS (e.g. 1.2 to test session ids instead of
        TLS 1.3 tickets); ``data_timeout`` bounds the wait for a data
        connection after PASV.
        """
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(cert_path, key_path)
        if tls_max_version is not None:
            self._context.maximum_version = tls_max_version
        self._access_code = access_code
        self.root = root
        for folder in FOLDERS:
            (root / folder).mkdir(parents=True, exist_ok=True)
        self._root_real = root.resolve()
        self.host = host
        self._port = port
        self.require_session_reuse = require_session_reuse
        self.on_upload = on_upload
        self.mlsd = mlsd
        self.data_timeout = data_timeout
        self.greeting: str | None = GREETING
        self.replies: dict[str, str | None] = {}
        self.answer_cut = True  # False: no reply to a transfer the client cut
        self.commands: list[str] = []
        self.data_reused: list[bool] = []  # per data connection: TLS resumed?
        self.sent_bytes = 0  # of files (RETR), written to data connections
        self.wire_bytes = 0  # what data connections carried (see _Wire, wire())
        self._counting: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._data_writers: set[asyncio.StreamWriter] = set()

    # --- life cycle -----------------------------------------------------------

    @property
    def port(self) -> int:
        """The control port (the real one once started with port 0)."""
        return self._port

    async def start(self) -> None:
        """Start listening; a second call does nothing."""
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._serve, self.host, self._port, ssl=self._context
        )
        self._port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Close every connection and stop listening; a second call does nothing."""
        if self._server is None:
            return
        server, self._server = self._server, None
        server.close()
        tasks = [*self._tasks, *self._counting]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in self._data_writers:
            writer.transport.abort()
        self._data_writers.clear()
        server.abort_clients()
        await server.wait_closed()

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    # --- control connection ---------------------------------------------------

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        # asyncio runs each client in a task of its own.
        task = cast("asyncio.Task[None]", asyncio.current_task())
        self._tasks.add(task)
        session = _Session(reader, writer)
        try:
            if self.greeting is not None:
                await self._send(session, self.greeting)
            while await self._next_command(session):
                pass
        except (OSError, ssl.SSLError, ValueError) as err:
            _LOGGER.debug("FTPS control connection ended: %s", err)
        finally:
            self._tasks.discard(task)
            if session.passive is not None:
                await session.passive.close()
            writer.close()

    async def _next_command(self, session: _Session) -> bool:
        """Handle one command line; False when the connection is over."""
        raw = await session.reader.readline()
        if not raw.endswith(b"\n"):
            return False
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        self.commands.append(line)
        verb, _, argument = line.partition(" ")
        verb = verb.upper()
        if verb in self.replies:
            canned = self.replies[verb]
            if canned is not None:
                await self._send(session, canned)
            return True
        if verb == "QUIT":
            await self._send(session, "221 Goodbye.")
            return False
        if verb not in _VERBS:
            await self._send(session, "502 Command not implemented.")
        elif not session.logged_in and verb not in _PRE_LOGIN:
            await self._send(session, "530 Please login with USER and PASS.")
        else:
            await getattr(self, f"_ftp_{verb.lower()}")(session, argument)
        return True

    async def _send(self, session: _Session, text: str) -> None:
        session.writer.write(text.encode() + b"\r\n")
        await session.writer.drain()

    # --- login and settings ---------------------------------------------------

    async def _ftp_user(self, session: _Session, argument: str) -> None:
        session.user, session.logged_in = argument, False
        await self._send(session, "331 Please specify the password.")

    async def _ftp_pass(self, session: _Session, argument: str) -> None:
        if session.user is None:
            await self._send(session, "503 Login with USER first.")
            return
        if session.user == USER and argument == self._access_code:
            session.logged_in = True
            await self._send(session, "230 Login successful.")
            return
        session.user = None
        await self._send(session, "530 Login incorrect.")

    async def _ftp_pbsz(self, session: _Session, argument: str) -> None:
        await self._send(session, "200 PBSZ set to 0.")

    async def _ftp_prot(self, session: _Session, argument: str) -> None:
        level = argument.strip().upper()
        if level == "P":
            session.protected = True
            await self._send(session, "200 PROT now Private.")
        elif level == "C":
            await self._send(session, "536 PROT C refused: data must be encrypted.")
        else:
            await self._send(session, "504 Unknown PROT level.")

    async def _ftp_type(self, session: _Session, argument: str) -> None:
        if argument.strip().upper() in ("I", "A", "L 8"):
            await self._send(session, "200 Type set.")
        else:
            await self._send(session, "504 Unsupported type.")

    async def _ftp_noop(self, session: _Session, argument: str) -> None:
        await self._send(session, "200 NOOP ok.")

    async def _ftp_syst(self, session: _Session, argument: str) -> None:
        await self._send(session, "215 UNIX Type: L8")

    async def _ftp_feat(self, session: _Session, argument: str) -> None:
        features = [f for f in _FEATURES if self.mlsd or not f.startswith("MLST")]
        lines = ["211-Features:", *(f" {f}" for f in features), "211 End"]
        await self._send(session, "\r\n".join(lines))

    # --- directories ----------------------------------------------------------

    async def _ftp_pwd(self, session: _Session, argument: str) -> None:
        await self._send(session, f'257 "{session.cwd}" is the current directory')

    async def _ftp_cwd(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or not target[1].is_dir():
            await self._send(session, "550 Failed to change directory.")
            return
        session.cwd = target[0]
        await self._send(session, "250 Directory successfully changed.")

    async def _ftp_cdup(self, session: _Session, argument: str) -> None:
        await self._ftp_cwd(session, "..")

    async def _ftp_mkd(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or not _make_directory(target[1]):
            await self._send(session, "550 Create directory operation failed.")
            return
        await self._send(session, f'257 "{target[0]}" created')

    async def _ftp_rmd(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or target[0] == "/" or not _remove_directory(target[1]):
            await self._send(session, "550 Remove directory operation failed.")
            return
        await self._send(session, "250 Remove directory operation successful.")

    # --- files ----------------------------------------------------------------

    async def _ftp_size(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or not target[1].is_file():
            await self._send(session, "550 Could not get file size.")
            return
        await self._send(session, f"213 {target[1].stat().st_size}")

    async def _ftp_mdtm(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or not target[1].is_file():
            await self._send(session, "550 Could not get file modification time.")
            return
        await self._send(session, f"213 {_mtime(target[1]):%Y%m%d%H%M%S}")

    async def _ftp_dele(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is None or not _remove_file(target[1]):
            await self._send(session, "550 Delete operation failed.")
            return
        await self._send(session, "250 Delete operation successful.")

    # --- data connections -------------------------------------------------------

    async def _ftp_pasv(self, session: _Session, argument: str) -> None:
        port = await self._listen(session)
        numbers = ",".join(self.host.split("."))
        await self._send(
            session,
            f"227 Entering Passive Mode ({numbers},{port >> 8},{port & 0xFF}).",
        )

    async def _ftp_epsv(self, session: _Session, argument: str) -> None:
        port = await self._listen(session)
        await self._send(session, f"229 Entering Extended Passive Mode (|||{port}|)")

    async def _listen(self, session: _Session) -> int:
        if session.passive is not None:
            await session.passive.close()
        session.passive = _Passive()
        return await session.passive.open(self.host)

    async def _ftp_list(self, session: _Session, argument: str) -> None:
        await self._listing(session, argument, _list_line)

    async def _ftp_nlst(self, session: _Session, argument: str) -> None:
        await self._listing(session, argument, lambda path: path.name)

    async def _ftp_mlsd(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if target is not None and target[1].is_file():
            await self._send(session, "501 MLSD needs a directory.")
            return
        await self._listing(session, argument, _mlsd_line)

    async def _listing(
        self, session: _Session, argument: str, line: Callable[[Path], str]
    ) -> None:
        # ls-style options ("-la") are accepted and ignored.
        words = [w for w in argument.split(" ") if w and not w.startswith("-")]
        target = self._resolve(session, " ".join(words))
        if target is None or not target[1].exists():
            await self._refuse_data(session, "550 No such file or directory.")
            return
        paths = sorted(target[1].iterdir()) if target[1].is_dir() else [target[1]]
        text = "".join(f"{line(path)}\r\n" for path in paths)
        await self._transfer(session, text.encode())

    async def _ftp_rest(self, session: _Session, argument: str) -> None:
        if not argument.strip().isdigit():
            await self._send(session, "501 REST needs a number.")
            return
        session.restart = int(argument)
        await self._send(session, f"350 Restart position accepted ({argument}).")

    async def _ftp_abor(self, session: _Session, argument: str) -> None:
        # Like vsftpd without async ABOR: seen only between transfers.
        await self._send(session, "225 No transfer to ABOR.")

    async def _ftp_retr(self, session: _Session, argument: str) -> None:
        offset, session.restart = session.restart, 0
        target = self._resolve(session, argument)
        if target is None or not target[1].is_file():
            await self._refuse_data(session, "550 Failed to open file.")
            return
        # Streamed from the file: timelapses may be gigabytes.
        await self._transfer(session, (target[1], offset))

    async def _ftp_stor(self, session: _Session, argument: str) -> None:
        target = self._resolve(session, argument)
        if (
            target is None
            or not argument
            or target[1].is_dir()
            or not target[1].parent.is_dir()
        ):
            await self._refuse_data(session, "553 Could not create file.")
            return
        received = await self._transfer(session, None)
        if received is None:
            return
        target[1].write_bytes(received)
        # Before the 226, so a client that saw it can rely on the callback.
        if self.on_upload is not None:
            self.on_upload(target[0], target[1])
        await self._send(session, "226 Transfer complete.")

    async def _refuse_data(self, session: _Session, reply: str) -> None:
        """Answer a data command that cannot run (PROT P is checked first)."""
        if not session.protected:
            reply = _NOT_PROTECTED
        if session.passive is not None:
            await session.passive.close()
            session.passive = None
        await self._send(session, reply)

    async def _transfer(
        self, session: _Session, payload: bytes | tuple[Path, int] | None
    ) -> bytes | None:
        """Send ``payload``, or receive a file when it is None.

        Sends 226 itself after sending; after receiving, the caller does once
        the file is stored. Returns what was received, or None on failure
        (the error reply has then been sent).
        """
        if not session.protected:
            await self._refuse_data(session, _NOT_PROTECTED)
            return None
        data = await self._open_data(session)
        if data is None:
            return None
        reader, writer = data
        wire = _Wire(writer)
        try:
            received = b""
            if payload is None:
                received = await reader.read()
            elif isinstance(payload, tuple):
                await self._send_file(writer, *payload)
            else:
                for start in range(0, len(payload), _CHUNK):
                    writer.write(payload[start : start + _CHUNK])
                    await writer.drain()
        except (OSError, ssl.SSLError) as err:
            # Cut by the client: its TCP acknowledged what crossed.
            self.wire_bytes += wire.acked()
            writer.transport.abort()
            if self.answer_cut:
                await self._send(
                    session, f"426 Connection closed; transfer aborted ({err})."
                )
            return None
        except BaseException:
            wire.release()
            raise
        # Closing sends close_notify; the transport finishes on its own.
        writer.close()
        # Counted once the client is done: it may still cut the transfer
        # short while the last bytes wait in buffers.
        task = asyncio.create_task(self._count_when_closed(writer, wire))
        self._counting.add(task)
        task.add_done_callback(self._counting.discard)
        if payload is not None:
            await self._send(session, "226 Transfer complete.")
        return received

    async def _count_when_closed(
        self, writer: asyncio.StreamWriter, wire: _Wire
    ) -> None:
        try:
            with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
                async with asyncio.timeout(self.data_timeout):
                    await writer.wait_closed()
            self.wire_bytes += wire.acked()
        finally:
            wire.release()

    async def wire(self) -> int:
        """``wire_bytes`` once every finished transfer is counted."""
        await asyncio.gather(*self._counting, return_exceptions=True)
        return self.wire_bytes

    async def _open_data(self, session: _Session) -> Transport | None:
        passive, session.passive = session.passive, None
        if passive is None:
            await self._send(session, "425 Use PASV or EPSV first.")
            return None
        try:
            async with asyncio.timeout(self.data_timeout):
                reader, writer = await passive.take()
        except TimeoutError:
            await self._send(session, "425 Failed to establish connection.")
            return None
        finally:
            await passive.close()
        self._data_writers.add(writer)
        await self._send(session, "150 Opening BINARY mode data connection.")
        try:
            async with asyncio.timeout(self.data_timeout):
                await writer.start_tls(self._context)
        except (OSError, ssl.SSLError) as err:  # TimeoutError is an OSError
            writer.transport.abort()
            await self._send(session, f"522 SSL connection failed ({err}).")
            return None
        tls: ssl.SSLObject = writer.get_extra_info("ssl_object")
        self.data_reused.append(tls.session_reused)
        if self.require_session_reuse and not tls.session_reused:
            writer.close()
            await self._send(
                session, "522 SSL connection failed: session reuse required."
            )
            return None
        return reader, writer

    async def _send_file(
        self, writer: asyncio.StreamWriter, path: Path, offset: int
    ) -> int:
        sent = 0
        with path.open("rb") as file:
            file.seek(offset)
            while chunk := file.read(_CHUNK):
                writer.write(chunk)
                sent += len(chunk)
                self.sent_bytes += len(chunk)
                await writer.drain()
        return sent

    # --- paths ------------------------------------------------------------------

    def _resolve(self, session: _Session, argument: str) -> tuple[str, Path] | None:
        """Map a client path to (virtual path, local path); None if outside root."""
        if "\0" in argument:
            return None
        virtual = posixpath.normpath(posixpath.join(session.cwd, argument or "."))
        virtual = "/" + virtual.lstrip("/")  # normpath keeps a leading "//"
        local = self.root.joinpath(virtual.lstrip("/"))
        # Symbolic links are followed, so check where the path really ends.
        if not local.resolve().is_relative_to(self._root_real):
            return None
        return virtual, local


class _Wire:
    """What the client's TCP acknowledged on one data connection.

    asyncio's TLS takes in far more than the network carries once a client
    cuts a transfer short (``sent_bytes`` counts that); the peer's
    acknowledgements (Linux's TCP_INFO) count what a printer really sent,
    TLS included. Without TCP_INFO it counts nothing.
    """

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        # A handle of our own stays readable after asyncio closes its socket.
        self._sock = (
            sock.dup() if sock is not None and hasattr(socket, "TCP_INFO") else None
        )
        self._start = self._bytes_acked()

    def acked(self) -> int:
        """The bytes acknowledged since the start; the handle is let go."""
        total = self._bytes_acked() - self._start
        self.release()
        return total

    def release(self) -> None:
        """Let the handle go, or the connection would not end."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _bytes_acked(self) -> int:
        if self._sock is None:
            return 0
        try:
            info = self._sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        except OSError:
            return 0
        field = info[_TCP_INFO_BYTES_ACKED : _TCP_INFO_BYTES_ACKED + 8]
        return int.from_bytes(field, "little")


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _list_line(path: Path, now: datetime | None = None) -> str:
    """One ``ls -l`` line, as vsftpd writes it (English month names)."""
    stat = path.stat()
    kind, mode = ("d", "rwxr-xr-x") if path.is_dir() else ("-", "rw-r--r--")
    when = _mtime(path)
    month = _MONTHS[when.month - 1]
    if abs((now or datetime.now(UTC)) - when) < _RECENT:
        date = f"{month} {when.day:2d} {when:%H:%M}"
    else:
        date = f"{month} {when.day:2d}  {when.year}"
    return f"{kind}{mode}    1 0        0        {stat.st_size:>10} {date} {path.name}"


def _mlsd_line(path: Path) -> str:
    kind = "dir" if path.is_dir() else "file"
    size = path.stat().st_size
    return f"type={kind};size={size};modify={_mtime(path):%Y%m%d%H%M%S}; {path.name}"


def _make_directory(path: Path) -> bool:
    try:
        path.mkdir()
    except OSError:
        return False
    return True


def _remove_directory(path: Path) -> bool:
    try:
        path.rmdir()
    except OSError:
        return False
    return True


def _remove_file(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        path.unlink()
    except OSError:
        return False
    return True
