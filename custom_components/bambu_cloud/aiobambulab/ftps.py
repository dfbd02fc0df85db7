"""Files on a printer's SD card over implicit FTPS (port 990).

The printer runs vsftpd: TLS from the first byte, user ``bblp`` with the
access code, passive mode, ``PROT P``, and a data connection must resume the
control connection's TLS session or the printer refuses it (522). asyncio's
TLS transport cannot resume a given session, so the data channel runs TLS
itself over memory BIOs (``SSLContext.wrap_bio(..., session=...)``) on a
plain connection; the control channel uses asyncio's TLS and lends its
session.

Like ftplib, the client connects the data socket after PASV, sends the
command, and starts TLS only after the 150 reply, which is when vsftpd
starts it on its side.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import re
import ssl
from types import TracebackType
from typing import Final, Self
import weakref

from .errors import (
    BambuError,
    CommandRefused,
    ConnectError,
    ConnectionFailure,
    InvalidCommand,
    LinkError,
)
from .identity import check_printer
from .tls import local_ssl_context

PORT: Final = 990
USER: Final = "bblp"
DEFAULT_TIMEOUT: Final = 15.0
DEFAULT_MAX_DOWNLOAD: Final = 64 * 1024 * 1024
MAX_LISTING: Final = 4 * 1024 * 1024  # a directory listing larger than this is junk
_CHUNK: Final = 64 * 1024
_LINE_LIMIT: Final = 8 * 1024
_MAX_REPLY_LINES: Final = 256
_REPLY = re.compile(r"(\d{3})([ -])(.*)")
_PASV = re.compile(r"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})")
_LIST_LINE = re.compile(
    r"([-dlbcps])\S{9}\S*\s+\d+\s+\S+\s+\S+\s+(\d+)\s+"
    r"([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}|\d{4})\s(.+)"
)
_MONTHS: Final = (
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_CODE_FAILURES: Final = {
    421: ConnectionFailure.UNREACHABLE,  # service closing, e.g. too many users
    425: ConnectionFailure.UNREACHABLE,  # the data connection did not open
    426: ConnectionFailure.UNREACHABLE,  # the data connection broke
    522: ConnectionFailure.TLS,  # data TLS refused, e.g. no session reuse
    530: ConnectionFailure.CREDENTIALS,
}

type Progress = Callable[[int, int], None]

# One session per printer at a time, whoever asks (the job tracker reading a
# job's file, print_file uploading one): the printer's vsftpd may refuse a
# second login, and two transfers would share its little bandwidth anyway.
_SESSIONS: weakref.WeakValueDictionary[tuple[str, int], asyncio.Lock] = (
    weakref.WeakValueDictionary()
)


def _printer_lock(host: str, port: int) -> asyncio.Lock:
    lock = _SESSIONS.get((host, port))
    if lock is None:
        lock = _SESSIONS[host, port] = asyncio.Lock()
    return lock


class FileTooLarge(LinkError):
    """A download is larger than the caller allows."""

    key = "file_too_large"

    def __init__(self, path: str, size: int, limit: int) -> None:
        """Name the file, its size (or the size reached) and the limit."""
        super().__init__(
            f"{path} is larger than {limit} bytes ({size})",
            path=path,
            size=str(size),
            limit=str(limit),
        )
        self.path = path
        self.size = size
        self.limit = limit


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One entry of a directory on the printer."""

    name: str
    size: int
    is_dir: bool
    modified: datetime | None = None  # the printer's clock, taken as UTC


type _Listing = list[RemoteFile]


@dataclass(frozen=True, slots=True)
class _Reply:
    code: int
    text: str  # every line, without the codes of the first and last

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class PrinterFiles:
    """A client for the files on one printer.

    Use ``async with PrinterFiles(...) as files:`` to run several operations
    in one session; outside such a block every call opens and closes its own
    session. Calls on one instance run one at a time.

    Errors: ConnectError (reason CREDENTIALS, TLS, UNREACHABLE, TIMEOUT or
    PROTOCOL) when the session fails, after which it is closed;
    CommandRefused (``err_code`` = the FTP reply code) when the printer
    refuses an operation, e.g. a missing file; FileTooLarge; InvalidCommand
    for a path the protocol cannot carry.
    """

    def __init__(
        self,
        host: str,
        access_code: str,
        *,
        port: int = PORT,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_download: int = DEFAULT_MAX_DOWNLOAD,
        serial: str | None = None,
    ) -> None:
        """Configure the client; nothing connects yet.

        ``ssl_context`` defaults to ``local_ssl_context()`` (the chain is
        verified, the host name is not). ``serial``: the printer's, which its
        certificate must name before the access code is sent (None: any
        printer). ``timeout`` bounds each step: connecting, every reply and
        every chunk of a transfer. Sessions to one printer wait for each
        other.
        """
        self.host = host
        self.port = port
        self.serial = serial
        self._access_code = access_code
        self._context = ssl_context or local_ssl_context()
        self.timeout = timeout
        self.max_download = max_download
        self._control: _Control | None = None
        self._lock = asyncio.Lock()
        self._printer = _printer_lock(host, port)

    @property
    def connected(self) -> bool:
        """Whether a session is open."""
        return self._control is not None

    async def connect(self) -> None:
        """Open a session (log in); does nothing when one is open."""
        async with self._lock, self._failures():
            await self._connect()

    async def close(self) -> None:
        """Say goodbye and close the session, if any."""
        async with self._lock:
            await self._close()

    async def __aenter__(self) -> Self:
        """Open a session for the block."""
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the session."""
        await self.close()

    # --- operations -------------------------------------------------------------

    async def list(self, path: str = "/") -> _Listing:
        """The entries of the directory ``path`` (without ``.`` and ``..``)."""
        _check_path(path)
        async with self._session() as control:
            if "MLST" in control.features:
                data = await control.transfer(f"MLSD {path}", limit=MAX_LISTING)
                return _parse_mlsd(_lines(data))
            data = await control.transfer(f"LIST {path}", limit=MAX_LISTING)
            return _parse_list(_lines(data), datetime.now(UTC))

    async def upload(
        self, remote_path: str, data: bytes, *, progress: Progress | None = None
    ) -> None:
        """Store ``data`` as ``remote_path``, replacing any file there.

        ``progress(sent, total)`` is called after each chunk.
        """
        _check_path(remote_path)
        async with self._session() as control:
            await control.transfer(f"STOR {remote_path}", send=data, progress=progress)

    async def download(self, path: str, *, max_size: int | None = None) -> bytes:
        """The content of the file ``path``.

        Raises FileTooLarge beyond ``max_size`` (default: ``max_download``),
        checked before the transfer when the printer tells the size.
        """
        _check_path(path)
        limit = self.max_download if max_size is None else max_size
        async with self._session() as control:
            size = await control.size(path)
            if size is not None and size > limit:
                raise FileTooLarge(path, size, limit)
            data = await control.transfer(f"RETR {path}", limit=limit, path=path)
            if size is not None and len(data) != size:
                raise ConnectError(
                    ConnectionFailure.PROTOCOL,
                    f"{path}: got {len(data)} of {size} bytes",
                )
            return data

    async def delete(self, path: str) -> None:
        """Delete the file ``path``."""
        _check_path(path)
        async with self._session() as control:
            await control.expect(f"DELE {path}", 250)

    # --- session handling -------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[_Control]:
        """The open session, or a session opened for this one call."""
        async with self._lock:
            one_shot = self._control is None
            try:
                async with self._failures():
                    yield await self._connect()
            finally:
                if one_shot:
                    await self._close()

    async def _connect(self) -> _Control:
        if self._control is None:
            await self._printer.acquire()
            try:
                self._control = await _Control.open(
                    self.host, self.port, self._context, self.timeout, self.serial
                )
                await self._control.login(self._access_code)
            except BaseException:
                if self._control is None:
                    self._printer.release()
                raise
        return self._control

    async def _close(self) -> None:
        control, self._control = self._control, None
        if control is not None:
            try:
                await control.quit()
            finally:
                self._printer.release()

    @contextlib.asynccontextmanager
    async def _failures(self) -> AsyncIterator[None]:
        """Turn low-level failures into ConnectError; drop a broken session."""
        try:
            yield
        except (CommandRefused, FileTooLarge, InvalidCommand):
            raise  # the session is still fine
        except BambuError:
            self._abort()
            raise
        except TimeoutError as err:
            self._abort()
            raise ConnectError(
                ConnectionFailure.TIMEOUT,
                f"{self.host}:{self.port} did not answer within {self.timeout:g} s",
            ) from err
        except ssl.SSLError as err:
            self._abort()
            raise ConnectError(ConnectionFailure.TLS, str(err)) from err
        except OSError as err:
            self._abort()
            raise ConnectError(
                ConnectionFailure.UNREACHABLE, str(err) or type(err).__name__
            ) from err
        except asyncio.CancelledError:
            self._abort()
            raise

    def _abort(self) -> None:
        control, self._control = self._control, None
        if control is not None:
            control.abort()
            self._printer.release()


class _Control:
    """One logged-in control connection."""

    def __init__(
        self,
        host: str,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
        timeout: float,
        serial: str | None = None,
    ) -> None:
        self._host = host
        self._serial = serial
        self._reader = reader
        self._writer = writer
        self._context = context
        self._timeout = timeout
        self.features: frozenset[str] = frozenset()

    @classmethod
    async def open(
        cls,
        host: str,
        port: int,
        context: ssl.SSLContext,
        timeout: float,  # noqa: ASYNC109
        serial: str | None = None,
    ) -> _Control:
        """Connect with TLS from the first byte; check the printer's serial."""
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                host,
                port,
                ssl=context,
                limit=_LINE_LIMIT,
                ssl_shutdown_timeout=timeout,
            )
        if serial is not None:
            try:
                check_printer(writer.get_extra_info("ssl_object"), serial)
            except ssl.SSLError:
                writer.transport.abort()
                raise
        return cls(host, reader, writer, context, timeout, serial)

    async def login(self, access_code: str) -> None:
        """Read the greeting, log in and ask for private binary transfers."""
        # Reading the greeting also takes in TLS 1.3 session tickets, which
        # arrive after the handshake and make the session resumable.
        _expected(await self.reply(), 220, "greeting")
        reply = await self.command(f"USER {USER}")
        if reply.code == 331:
            reply = await self.command(f"PASS {access_code}")
        _expected(reply, 230, "login")
        await self.expect("PBSZ 0", 200, setup=True)
        await self.expect("PROT P", 200, setup=True)
        await self.expect("TYPE I", 200, setup=True)
        reply = await self.command("FEAT")
        if reply.code == 211:
            self.features = _features(reply.text.splitlines()[1:])

    async def size(self, path: str) -> int | None:
        """The size of a file; None when the printer does not say."""
        reply = await self.command(f"SIZE {path}")
        if reply.code in (500, 502):  # SIZE not implemented
            return None
        _refused(reply, 213, f"SIZE {path}")
        try:
            return int(reply.text.strip())
        except ValueError:
            raise _protocol(reply, "SIZE") from None

    async def transfer(
        self,
        command: str,
        *,
        send: bytes | None = None,
        progress: Progress | None = None,
        limit: int = 0,
        path: str = "",
    ) -> bytes:
        """Run a data command: send ``send``, or receive at most ``limit`` bytes."""
        port = await self._passive()
        async with asyncio.timeout(self._timeout):
            reader, writer = await asyncio.open_connection(self._host, port)
        try:
            _refused(await self.command(command), 150, command, also=(125,))
            channel = _TlsChannel(
                reader,
                writer,
                self._context,
                self._session(),
                self._host,
                self._timeout,
            )
            received = bytearray()
            failure: OSError | None = None
            too_large = False
            try:
                await channel.handshake(self._serial)
                if send is not None:
                    await channel.send_all(send, progress)
                    await channel.close_notify()
                else:
                    while chunk := await channel.receive():
                        received += chunk
                        if len(received) > limit:
                            too_large = True
                            break
                    # Done, or enough: close before the final reply, which
                    # a server may send only once the data connection is gone.
                    writer.transport.abort()
            except TimeoutError:
                raise
            except OSError as err:  # ssl.SSLError is an OSError too
                failure = err  # the final reply tells more; read it first
            reply = await self.reply()
            if too_large:
                raise FileTooLarge(path, len(received), limit)
            _refused(reply, 226, command, also=(250,))
            if failure is not None:
                raise failure
            return bytes(received)
        finally:
            writer.transport.abort()

    async def _passive(self) -> int:
        reply = await self.command("PASV")
        _expected(reply, 227, "PASV")
        match = _PASV.search(reply.text)
        if match is None:
            raise _protocol(reply, "PASV")
        high, low = int(match[5]), int(match[6])
        port = high * 256 + low
        if not 0 < port <= 0xFFFF:
            raise _protocol(reply, "PASV")
        # The announced address is ignored: the printer is where we connected.
        return port

    def _session(self) -> ssl.SSLSession | None:
        tls: ssl.SSLObject = self._writer.get_extra_info("ssl_object")
        return tls.session

    async def expect(self, command: str, code: int, *, setup: bool = False) -> _Reply:
        """Send ``command`` and require ``code``.

        Any other answer is a refusal (CommandRefused), or a protocol error
        for ``setup`` commands, which every printer accepts.
        """
        reply = await self.command(command)
        if setup:
            _expected(reply, code, command)
        else:
            _refused(reply, code, command)
        return reply

    async def command(self, line: str) -> _Reply:
        """Send one command line and read the reply."""
        self._writer.write(line.encode() + b"\r\n")
        async with asyncio.timeout(self._timeout):
            await self._writer.drain()
        return await self.reply()

    async def reply(self) -> _Reply:
        """Read one (possibly multi-line) reply."""
        async with asyncio.timeout(self._timeout):
            first = await self._line()
            match = _REPLY.fullmatch(first)
            if match is None:
                raise ConnectError(
                    ConnectionFailure.PROTOCOL, f"not an FTP reply: {first[:80]!r}"
                )
            code, more, text = match[1], match[2] == "-", match[3]
            lines = [text]
            while more:
                if len(lines) >= _MAX_REPLY_LINES:
                    raise ConnectError(ConnectionFailure.PROTOCOL, "reply too long")
                line = await self._line()
                more = not line.startswith(f"{code} ")
                lines.append(line if more else line[4:])
            return _Reply(int(code), "\n".join(lines))

    async def _line(self) -> str:
        try:
            raw = await self._reader.readline()
        except ValueError:  # longer than the stream's limit
            raise ConnectError(
                ConnectionFailure.PROTOCOL, "reply line too long"
            ) from None
        if not raw.endswith(b"\n"):
            raise ConnectError(
                ConnectionFailure.UNREACHABLE, "the printer closed the connection"
            )
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    async def quit(self) -> None:
        """Say goodbye politely, but never wait long or fail."""
        try:
            with contextlib.suppress(BambuError, OSError):
                await self.command("QUIT")
            self._writer.close()  # TLS close_notify, bounded by the timeout
            with contextlib.suppress(OSError):
                async with asyncio.timeout(self._timeout):
                    await self._writer.wait_closed()
        finally:
            self.abort()

    def abort(self) -> None:
        """Drop the connection at once."""
        self._writer.transport.abort()


class _TlsChannel:
    """TLS over a plain stream through memory BIOs, resuming a given session."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
        session: ssl.SSLSession | None,
        server_hostname: str,
        timeout: float,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(
            self._incoming,
            self._outgoing,
            server_hostname=server_hostname,
            session=session,
        )
        self._timeout = timeout

    async def handshake(self, serial: str | None) -> None:
        """Run the TLS handshake; the certificate must name ``serial``.

        A resumed session keeps the certificate of its first handshake: the
        data connection is checked as the control connection was.
        """
        await self._run(self._tls.do_handshake)
        if serial is not None:
            check_printer(self._tls, serial)

    async def send_all(self, data: bytes, progress: Progress | None) -> None:
        """Encrypt and send ``data`` chunk by chunk."""
        view = memoryview(data)
        for start in range(0, len(view), _CHUNK):
            chunk = view[start : start + _CHUNK]
            await self._run(lambda: self._tls.write(chunk))  # noqa: B023
            if progress is not None:
                progress(start + len(chunk), len(view))

    async def receive(self) -> bytes:
        """The next decrypted bytes; empty at the end of the stream."""
        try:
            return await self._run(lambda: self._tls.read(_CHUNK))
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            # Also a close without close_notify: the final reply and the
            # size check tell whether everything arrived.
            return b""

    async def close_notify(self) -> None:
        """Send close_notify: the end of an upload."""
        with contextlib.suppress(ssl.SSLError):
            self._tls.unwrap()  # queues ours; the peer's may follow or not
        await self._flush()

    async def _run[T](self, operation: Callable[[], T]) -> T:
        """Repeat ``operation`` while TLS needs bytes from the peer."""
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                await self._flush()
                async with asyncio.timeout(self._timeout):
                    chunk = await self._reader.read(_CHUNK)
                if chunk:
                    self._incoming.write(chunk)
                else:
                    self._incoming.write_eof()
                continue
            await self._flush()
            return result

    async def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self._writer.write(data)
            async with asyncio.timeout(self._timeout):
                await self._writer.drain()


# --- replies --------------------------------------------------------------------


def _expected(reply: _Reply, code: int, what: str) -> None:
    """Require ``code`` of a reply every printer gives; else the session failed."""
    if reply.code == code:
        return
    failure = _CODE_FAILURES.get(reply.code, ConnectionFailure.PROTOCOL)
    raise ConnectError(failure, f"{what}: {reply}")


def _refused(
    reply: _Reply,
    code: int,
    command: str,
    *,
    also: Iterable[int] = (),
) -> None:
    """Require ``code`` (or one of ``also``); a refusal (4xx/5xx) raises."""
    if reply.code == code or reply.code in also:
        return
    if reply.code in _CODE_FAILURES or reply.code < 400:
        _expected(reply, code, command.split(" ", 1)[0])
    raise CommandRefused(reply.text.strip(), reply.code)


def _protocol(reply: _Reply, what: str) -> ConnectError:
    return ConnectError(ConnectionFailure.PROTOCOL, f"{what}: unexpected {reply}")


def _features(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(
        line.split()[0].upper()
        for line in lines
        if line.startswith(" ") and line.strip()
    )


def _check_path(path: str) -> None:
    """Refuse a path that would break the command line."""
    if not path or any(c in path for c in "\r\n\0"):
        raise InvalidCommand(f"invalid path {path!r}", path=path)


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


# --- listings -------------------------------------------------------------------


def _parse_mlsd(lines: Iterable[str]) -> _Listing:
    """Read ``fact=value;...; name`` lines (RFC 3659)."""
    entries: _Listing = []
    for line in lines:
        facts_text, sep, name = line.partition(" ")
        if not sep or not name:
            continue
        facts = {
            key.lower(): value
            for key, _, value in (
                fact.partition("=") for fact in facts_text.split(";") if fact
            )
        }
        kind = facts.get("type", "file").lower()
        if kind in ("cdir", "pdir") or name in (".", ".."):
            continue
        entries.append(
            RemoteFile(
                name=name,
                size=_int(facts.get("size")),
                is_dir=kind == "dir",
                modified=_mlsd_time(facts.get("modify")),
            )
        )
    return entries


def _parse_list(lines: Iterable[str], now: datetime) -> _Listing:
    """Read ``ls -l`` lines as vsftpd writes them; others are skipped."""
    entries: _Listing = []
    for line in lines:
        match = _LIST_LINE.fullmatch(line)
        if match is None:
            continue  # e.g. "total 12"
        kind, size, month, day, time_or_year, name = match.groups()
        if kind == "l":
            name = name.split(" -> ", 1)[0]
        if name in (".", ".."):
            continue
        entries.append(
            RemoteFile(
                name=name,
                size=int(size),
                is_dir=kind == "d",
                modified=_list_time(month, day, time_or_year, now),
            )
        )
    return entries


def _list_time(
    month: str, day: str, time_or_year: str, now: datetime
) -> datetime | None:
    """The date of an ``ls -l`` line; a recent one has a time and no year."""
    if month.lower() not in _MONTHS:
        return None
    number = _MONTHS.index(month.lower()) + 1
    if ":" not in time_or_year:
        return _date(int(time_or_year), number, int(day), 0, 0)
    hour, minute = (int(part) for part in time_or_year.split(":"))
    # Without a year the date is within the last months, never in the future
    # (a day of slack for clocks and time zones).
    for year in (now.year, now.year - 1):
        when = _date(year, number, int(day), hour, minute)
        if when is not None and when <= now + timedelta(days=1):
            return when
    return None


def _date(year: int, month: int, day: int, hour: int, minute: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:  # e.g. 31 April, or 29 February in another year
        return None


def _mlsd_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
