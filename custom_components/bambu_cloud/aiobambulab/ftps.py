"""Files on a printer's SD card over implicit FTPS (port 990).

``PrinterFiles`` is the client: one session per printer at a time, opened
per call or for an ``async with`` block. The control connection lives in
``ftps_control``, uploads and downloads in ``ftps_transfer``, listings are
read in ``ftps_listing``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import contextlib
from datetime import UTC, datetime
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
)
from .ftps_control import Control
from .ftps_listing import MAX_LISTING, Listing, listing_lines, parse_list, parse_mlsd
from .ftps_transfer import FileTooLarge, Incomplete, Progress, receiving, transfer
from .tls import local_ssl_context

PORT: Final = 990
DEFAULT_TIMEOUT: Final = 15.0
DEFAULT_MAX_DOWNLOAD: Final = 64 * 1024 * 1024

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
        self._control: Control | None = None
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

    async def list(self, path: str = "/") -> Listing:
        """The entries of the directory ``path`` (without ``.`` and ``..``)."""
        _check_path(path)
        async with self._session() as control:
            if "MLST" in control.features:
                data = await transfer(control, f"MLSD {path}", limit=MAX_LISTING)
                return parse_mlsd(listing_lines(data))
            data = await transfer(control, f"LIST {path}", limit=MAX_LISTING)
            return parse_list(listing_lines(data), datetime.now(UTC))

    async def upload(
        self, remote_path: str, data: bytes, *, progress: Progress | None = None
    ) -> None:
        """Store ``data`` as ``remote_path``, replacing any file there.

        ``progress(sent, total)`` is called after each chunk.
        """
        _check_path(remote_path)
        async with self._session() as control:
            await transfer(control, f"STOR {remote_path}", send=data, progress=progress)

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
            data = await transfer(control, f"RETR {path}", limit=limit, path=path)
            if size is not None and len(data) != size:
                raise ConnectError(
                    ConnectionFailure.PROTOCOL,
                    f"{path}: got {len(data)} of {size} bytes",
                )
            return data

    async def size(self, path: str) -> int | None:
        """The size of the file ``path`` (None when the printer does not say).

        A missing file is refused (CommandRefused).
        """
        _check_path(path)
        async with self._session() as control:
            return await control.size(path)

    @contextlib.asynccontextmanager
    async def open_read(
        self, path: str, *, offset: int = 0
    ) -> AsyncIterator[tuple[int | None, AsyncIterator[bytes]]]:
        """Stream the file ``path``: ``async with files.open_read(p) as (size, chunks)``.

        ``size`` is the whole file's (None when the printer does not say);
        ``chunks`` yields the bytes from ``offset`` on, one chunk at a time,
        so memory stays flat whatever the size. Leaving the block early
        (a viewer that stopped watching) drops the session: the printer's
        reply to the cut transfer is not worth waiting for. The session is
        held for the whole block.
        """
        _check_path(path)
        if offset < 0:
            raise InvalidCommand(f"negative offset {offset}", path=path)
        reader_failure: BaseException | None = None
        async with self._session() as control:
            size = await control.size(path)
            if size is not None and offset > size:
                raise InvalidCommand(f"offset {offset} beyond {size}", path=path)
            try:
                async with receiving(control, f"RETR {path}", offset=offset) as chunks:
                    try:
                        yield size, chunks
                    except BaseException as err:  # noqa: BLE001 - raised again below
                        # The reader's own failure (a viewer gone): not the
                        # printer's, so it must not read as a ConnectError.
                        reader_failure = err
            except Incomplete:
                self._abort()
        if reader_failure is not None:
            raise reader_failure

    @contextlib.asynccontextmanager
    async def reading(
        self, path: str, *, offset: int = 0
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        """Read the file ``path`` from ``offset`` on, for as long as the block wants.

        ``async with files.reading(p, offset=n) as chunks``: unlike
        ``open_read``, leaving early keeps the session, so a caller can read
        several ranges of a file one after the other: the data connection is
        closed and the printer's reply to the cut transfer read. Raises
        RestartRefused (a CommandRefused) when the printer cannot start at
        ``offset``.
        """
        _check_path(path)
        if offset < 0:
            raise InvalidCommand(f"negative offset {offset}", path=path)
        reader_failure: Exception | None = None
        async with self._session() as control:
            try:
                async with receiving(
                    control, f"RETR {path}", offset=offset, settle=True
                ) as chunks:
                    try:
                        yield chunks
                    except Exception as err:  # noqa: BLE001 - raised again below
                        # The reader's own failure (e.g. a damaged file it
                        # read): the transfer is settled, the session kept.
                        reader_failure = err
            except Incomplete:
                self._abort()
        if reader_failure is not None:
            raise reader_failure

    async def delete(self, path: str) -> None:
        """Delete the file ``path``."""
        _check_path(path)
        async with self._session() as control:
            await control.expect(f"DELE {path}", 250)

    # --- session handling -------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _session(self) -> AsyncIterator[Control]:
        """The open session, or a session opened for this one call."""
        async with self._lock:
            one_shot = self._control is None
            try:
                async with self._failures():
                    yield await self._connect()
            finally:
                if one_shot:
                    await self._close()

    async def _connect(self) -> Control:
        if self._control is None:
            await self._printer.acquire()
            try:
                self._control = await Control.open(
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


def _check_path(path: str) -> None:
    """Refuse a path that would break the command line."""
    if not path or any(c in path for c in "\r\n\0"):
        raise InvalidCommand(f"invalid path {path!r}", path=path)
