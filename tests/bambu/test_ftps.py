"""The FTPS client against the simulated printer over real loopback TLS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
import hashlib
import os
from pathlib import Path
import socket
import ssl

import pytest

from custom_components.bambu_cloud.aiobambulab import ftps_control, ftps_listing
from custom_components.bambu_cloud.aiobambulab.errors import (
    CommandRefused,
    ConnectError,
    ConnectionFailure,
    InvalidCommand,
)
from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.ftps_listing import RemoteFile
from custom_components.bambu_cloud.aiobambulab.ftps_transfer import FileTooLarge
from custom_components.bambu_cloud.aiobambulab.identity import WrongPrinter
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.ftps import FtpsServer
from simulator.tls import SimulatorPki
from tests.bambu.conftest import ACCESS_CODE, SERIAL, SERIAL2
from tests.simulator.test_ftps import RawFtp

pytestmark = pytest.mark.usefixtures("socket_enabled")

type Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "sd"


@pytest.fixture
def context(pki: SimulatorPki) -> ssl.SSLContext:
    """What the integration uses: chain checked against the CA, no host name."""
    return local_ssl_context(pki.ca.cert_pem)


def make_server(pki: SimulatorPki, root: Path, **kwargs: object) -> FtpsServer:
    files = pki.printers[SERIAL]
    return FtpsServer(
        files.cert_path,
        files.key_path,
        ACCESS_CODE,
        root,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
async def server(pki: SimulatorPki, root: Path) -> AsyncIterator[FtpsServer]:
    async with make_server(pki, root) as server:
        yield server


def client(port: int, context: ssl.SSLContext, **kwargs: object) -> PrinterFiles:
    options: dict[str, object] = {"timeout": 5.0} | kwargs
    return PrinterFiles(
        "127.0.0.1",
        str(options.pop("access_code", ACCESS_CODE)),
        port=port,
        ssl_context=context,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def files(server: FtpsServer, context: ssl.SSLContext) -> PrinterFiles:
    return client(server.port, context)


async def serve(
    handler: Handler, context: ssl.SSLContext | None = None
) -> asyncio.Server:
    return await asyncio.start_server(handler, "127.0.0.1", 0, ssl=context)


def port_of(server: asyncio.Server) -> int:
    return int(server.sockets[0].getsockname()[1])


def passive_reply(port: int) -> str:
    return f"227 Entering Passive Mode (127,0,0,1,{port >> 8},{port & 0xFF})."


async def expect_failure(
    call: Awaitable[object], reason: ConnectionFailure, match: str | None = None
) -> ConnectError:
    with pytest.raises(ConnectError, match=match) as caught:
        await call
    assert caught.value.reason is reason
    assert caught.value.placeholders == {"reason": reason.value}
    return caught.value


# --- the round trip ------------------------------------------------------------


@pytest.mark.parametrize("mlsd", [True, False], ids=["mlsd", "list"])
@pytest.mark.parametrize(
    "tls_max", [None, ssl.TLSVersion.TLSv1_2], ids=["tls1.3", "tls1.2"]
)
async def test_upload_list_download_round_trip(
    pki: SimulatorPki,
    root: Path,
    context: ssl.SSLContext,
    mlsd: bool,
    tls_max: ssl.TLSVersion | None,
) -> None:
    payload = os.urandom(300_000)  # several chunks
    progress: list[tuple[int, int]] = []
    uploads: list[str] = []
    async with make_server(
        pki,
        root,
        mlsd=mlsd,
        tls_max_version=tls_max,
        on_upload=lambda r, _: uploads.append(r),
    ) as server:
        before = datetime.now(UTC).replace(second=0, microsecond=0)
        async with client(server.port, context) as files:
            was_connected = files.connected
            await files.upload(
                "/cache/job one.3mf",
                payload,
                progress=lambda sent, total: progress.append((sent, total)),
            )
            listing = await files.list("/cache")
            top = await files.list()
            received = await files.download("/cache/job one.3mf")
        assert was_connected
        assert not files.connected

    assert received == payload
    assert (root / "cache" / "job one.3mf").read_bytes() == payload
    assert uploads == ["/cache/job one.3mf"]
    assert progress == [
        (min(n * 65536, len(payload)), len(payload)) for n in range(1, 6)
    ]
    [entry] = listing
    assert (entry.name, entry.size, entry.is_dir) == (
        "job one.3mf",
        len(payload),
        False,
    )
    assert entry.modified is not None
    assert entry.modified >= before
    assert sorted((e.name, e.is_dir) for e in top) == [
        ("cache", True),
        ("timelapse", True),
    ]
    # Every data connection resumed the control connection's TLS session.
    assert server.data_reused == [True, True, True, True]
    listing_verb = "MLSD" if mlsd else "LIST"
    assert [c.split(" ")[0] for c in server.commands] == [
        "USER", "PASS", "PBSZ", "PROT", "TYPE", "FEAT",
        "PASV", "STOR", "PASV", listing_verb, "PASV", listing_verb,
        "SIZE", "PASV", "RETR", "QUIT",
    ]  # fmt: skip


async def test_each_call_has_its_own_session_outside_a_block(
    server: FtpsServer, files: PrinterFiles
) -> None:
    await files.upload("/a.txt", b"hello")
    assert not files.connected
    assert await files.download("/a.txt") == b"hello"
    assert server.commands.count("USER bblp") == 2
    assert server.commands.count("QUIT") == 2


async def test_connect_twice_is_one_session(
    server: FtpsServer, files: PrinterFiles
) -> None:
    await files.connect()
    await files.connect()
    await files.close()
    await files.close()
    assert server.commands.count("USER bblp") == 1


async def test_empty_upload_and_calls_in_parallel(
    root: Path, files: PrinterFiles
) -> None:
    (root / "cache" / "x").write_bytes(b"x" * 1000)
    async with files:
        await files.upload("/cache/empty", b"")
        results = await asyncio.gather(
            files.download("/cache/x"), files.download("/cache/empty")
        )
    assert list(results) == [b"x" * 1000, b""]
    assert (root / "cache" / "empty").read_bytes() == b""


async def test_delete(root: Path, files: PrinterFiles) -> None:
    (root / "cache" / "old.3mf").write_bytes(b"1")
    async with files:
        await files.delete("/cache/old.3mf")
        assert await files.list("/cache") == []
        with pytest.raises(CommandRefused) as caught:
            await files.delete("/cache/old.3mf")
        assert caught.value.err_code == 550
        assert caught.value.reason == "Delete operation failed."
        assert files.connected  # a refusal leaves the session usable
        assert await files.list("/cache") == []
    assert not (root / "cache" / "old.3mf").exists()


async def test_refusals(files: PrinterFiles) -> None:
    async with files:
        with pytest.raises(CommandRefused) as missing:
            await files.download("/nothing.3mf")
        with pytest.raises(CommandRefused) as no_dir:
            await files.upload("/no/such/dir.3mf", b"x")
        with pytest.raises(CommandRefused) as no_listing:
            await files.list("/nowhere")
        assert files.connected
    assert (missing.value.err_code, no_dir.value.err_code) == (550, 553)
    assert no_listing.value.err_code == 550


@pytest.mark.parametrize("path", ["", "a\r\nDELE b", "a\nb", "nul\0"])
async def test_paths_that_break_the_command_line_are_refused(
    server: FtpsServer, files: PrinterFiles, path: str
) -> None:
    for call in (
        files.list(path),
        files.upload(path, b""),
        files.download(path),
        files.delete(path),
    ):
        with pytest.raises(InvalidCommand):
            await call
    assert server.commands == []  # refused before connecting


# --- login and TLS --------------------------------------------------------------


async def test_wrong_access_code(server: FtpsServer, context: ssl.SSLContext) -> None:
    files = client(server.port, context, access_code="00000000")
    error = await expect_failure(files.connect(), ConnectionFailure.CREDENTIALS)
    assert "00000000" not in str(error)
    assert not files.connected


async def test_login_without_password(server: FtpsServer, files: PrinterFiles) -> None:
    server.replies["USER"] = "230 Already in."
    server.replies["TYPE"] = "200 Binary."  # the simulator wants a real login
    await files.connect()
    assert files.connected
    assert not any(c.startswith("PASS") for c in server.commands)
    await files.close()


async def test_untrusted_certificate(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    rogue = pki.rogue_printers[SERIAL]
    async with FtpsServer(rogue.cert_path, rogue.key_path, ACCESS_CODE, root) as server:
        await expect_failure(client(server.port, context).list(), ConnectionFailure.TLS)
        # The default context trusts only Bambu's CAs.
        await expect_failure(
            PrinterFiles("127.0.0.1", ACCESS_CODE, port=server.port, timeout=5).list(),
            ConnectionFailure.TLS,
        )
        assert server.commands == []


async def test_closed_port(context: ssl.SSLContext) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await expect_failure(client(port, context).list(), ConnectionFailure.UNREACHABLE)


async def test_printer_that_closes_the_session(
    server: FtpsServer, files: PrinterFiles
) -> None:
    await files.connect()
    await server.stop()
    await expect_failure(files.list(), ConnectionFailure.UNREACHABLE)
    assert not files.connected


async def test_printer_that_hangs_up_before_answering(
    pki: SimulatorPki, context: ssl.SSLContext
) -> None:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(pki.printers[SERIAL].cert_path, pki.printers[SERIAL].key_path)

    async def hang_up(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(b"220 Hello.\r\n")
        await reader.readline()
        writer.close()

    server = await serve(hang_up, tls)
    try:
        await expect_failure(
            client(port_of(server), context).connect(),
            ConnectionFailure.UNREACHABLE,
            "closed the connection",
        )
    finally:
        server.close()


async def test_service_unavailable(server: FtpsServer, files: PrinterFiles) -> None:
    server.greeting = "421 Too many connections."
    await expect_failure(files.connect(), ConnectionFailure.UNREACHABLE, "421")


# --- session reuse on the data channel ----------------------------------------


async def test_printer_refuses_a_data_channel_without_session_reuse(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    ftp = await RawFtp.open(server.port, context)
    await ftp.login(ACCESS_CODE)
    first, received, final = await ftp.data("LIST /")
    await ftp.close()
    assert first.startswith("150")
    assert received == b""
    assert final.startswith("522")
    assert server.data_reused == [False]


async def test_client_needs_its_session_reuse(
    server: FtpsServer, files: PrinterFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the control channel's session the same client is refused."""
    monkeypatch.setattr(ftps_control.Control, "tls_session", lambda self: None)
    await expect_failure(files.list(), ConnectionFailure.TLS, "522")
    assert server.data_reused == [False]


async def test_data_before_prot_p_is_refused(
    server: FtpsServer, files: PrinterFiles
) -> None:
    server.replies["PROT"] = "200 Pretending."  # the server never saw PROT P
    async with files:
        with pytest.raises(CommandRefused) as caught:
            await files.list()
    assert caught.value.err_code == 521
    assert server.data_reused == []


# --- size limits ----------------------------------------------------------------


async def test_download_larger_than_the_limit_is_not_transferred(
    server: FtpsServer, root: Path, context: ssl.SSLContext
) -> None:
    (root / "big.bin").write_bytes(b"x" * 100)
    files = client(server.port, context, max_download=99)
    with pytest.raises(FileTooLarge) as caught:
        await files.download("/big.bin")
    assert (caught.value.size, caught.value.limit) == (100, 99)
    assert caught.value.placeholders == {
        "path": "/big.bin",
        "size": "100",
        "limit": "99",
    }
    assert "RETR /big.bin" not in server.commands
    assert await files.download("/big.bin", max_size=100) == b"x" * 100


@pytest.mark.parametrize("size_reply", ["213 5", "502 SIZE not implemented."])
async def test_download_limit_holds_when_size_is_wrong_or_unknown(
    server: FtpsServer, root: Path, files: PrinterFiles, size_reply: str
) -> None:
    (root / "big.bin").write_bytes(b"x" * 200_000)
    server.replies["SIZE"] = size_reply
    async with files:
        with pytest.raises(FileTooLarge) as caught:
            await files.download("/big.bin", max_size=10)
        assert caught.value.size > 10
        assert files.connected  # the transfer was dropped, the session kept
        server.replies.pop("SIZE")
        assert await files.download("/big.bin") == b"x" * 200_000


async def test_download_shorter_than_announced(
    server: FtpsServer, root: Path, files: PrinterFiles
) -> None:
    (root / "f").write_bytes(b"abc")
    server.replies["SIZE"] = "213 4"
    await expect_failure(files.download("/f"), ConnectionFailure.PROTOCOL, "3 of 4")


# --- timeouts -------------------------------------------------------------------


async def test_no_tls_handshake_times_out(context: ssl.SSLContext) -> None:
    connections: list[asyncio.StreamWriter] = []

    async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)

    server = await serve(mute)
    try:
        files = client(port_of(server), context, timeout=0.2)
        await expect_failure(files.list(), ConnectionFailure.TIMEOUT, "within 0.2 s")
    finally:
        for writer in connections:
            writer.close()
        server.close()
    assert connections


async def test_no_greeting_times_out(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    server.greeting = None
    await expect_failure(
        client(server.port, context, timeout=0.2).connect(), ConnectionFailure.TIMEOUT
    )


async def test_no_answer_to_a_command_times_out_and_drops_the_session(
    server: FtpsServer, root: Path, context: ssl.SSLContext
) -> None:
    (root / "f").write_bytes(b"abc")
    server.replies["RETR"] = None
    files = client(server.port, context, timeout=0.5)
    await files.connect()
    await expect_failure(files.download("/f"), ConnectionFailure.TIMEOUT)
    assert not files.connected


async def test_silent_data_channel_times_out(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    # 150, but the server never starts TLS on the data connection.
    server.replies["LIST"] = "150 Here it comes."
    server.replies["MLSD"] = "150 Here it comes."
    await expect_failure(
        client(server.port, context, timeout=0.5).list(), ConnectionFailure.TIMEOUT
    )


async def test_quit_without_answer_still_closes(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    server.replies["QUIT"] = None
    files = client(server.port, context, timeout=0.5)
    await files.connect()
    await files.close()
    assert not files.connected


async def test_cancelled_call_drops_the_session(
    server: FtpsServer, root: Path, files: PrinterFiles
) -> None:
    (root / "f").write_bytes(b"abc")
    server.replies["RETR"] = None
    await files.connect()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(files.download("/f"), 0.3)
    assert not files.connected


# --- replies that make no sense -------------------------------------------------


@pytest.mark.parametrize(
    ("verb", "reply", "match"),
    [
        ("", "hello there", "not an FTP reply"),
        ("USER", "331 " + "x" * 10_000, "line too long"),
        ("USER", "332 Need account.", "login: 332"),
        ("PBSZ", "500 Unknown command.", "PBSZ 0: 500"),
        ("FEAT", "211-Features:\r\n" + " X\r\n" * 300 + "211 End", "reply too long"),
    ],
)
async def test_garbage_during_login(
    server: FtpsServer, files: PrinterFiles, verb: str, reply: str, match: str
) -> None:
    if verb:
        server.replies[verb] = reply
    else:
        server.greeting = reply
    await expect_failure(files.connect(), ConnectionFailure.PROTOCOL, match)
    assert not files.connected


@pytest.mark.parametrize(
    ("verb", "reply", "match"),
    [
        ("PASV", "227 Somewhere.", "PASV: unexpected"),
        ("PASV", "227 (127,0,0,1,0,0)", "PASV: unexpected"),
        ("PASV", "227 (127,0,0,1,256,0)", "PASV: unexpected"),
        ("PASV", "200 Sure.", "PASV: 200"),
        ("SIZE", "213 large", "SIZE: unexpected"),
        ("RETR", "226 Done already.", "RETR: 226"),
        ("DELE", "200 Fine.", "DELE: 200"),
    ],
)
async def test_garbage_in_a_session(
    server: FtpsServer,
    root: Path,
    files: PrinterFiles,
    verb: str,
    reply: str,
    match: str,
) -> None:
    (root / "f").write_bytes(b"abc")
    server.replies[verb] = reply
    await files.connect()
    call = files.delete("/f") if verb == "DELE" else files.download("/f")
    await expect_failure(call, ConnectionFailure.PROTOCOL, match)
    assert not files.connected


async def test_broken_data_connection_is_reported(
    server: FtpsServer, files: PrinterFiles
) -> None:
    server.replies["MLSD"] = "150 Here it comes."
    server.replies["PASV"] = passive_reply(1)  # nothing listens there
    await expect_failure(files.list(), ConnectionFailure.UNREACHABLE)


async def test_data_connection_refused_by_code(
    server: FtpsServer, files: PrinterFiles
) -> None:
    server.replies["MLSD"] = "425 Can't open data connection."
    await expect_failure(files.list(), ConnectionFailure.UNREACHABLE, "425")


async def test_data_failure_after_a_success_reply(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """The data connection dies but the printer claims success: still an error."""

    async def hang_up(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.transport.abort()

    data = await serve(hang_up)
    server.replies["PASV"] = passive_reply(port_of(data))
    server.replies["MLSD"] = "150 Here it comes.\r\n226 Done."
    try:
        error = await expect_failure(files.list(), ConnectionFailure.TLS)
    finally:
        data.close()
    assert isinstance(error.__cause__, ssl.SSLError)


async def test_listing_closed_without_close_notify_and_250(
    server: FtpsServer, pki: SimulatorPki, files: PrinterFiles
) -> None:
    """Another server's data side: no TLS resumption, no close_notify, 250."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(pki.printers[SERIAL].cert_path, pki.printers[SERIAL].key_path)
    line = b"-rw-r--r-- 1 0 0 7 Jan  2  2024 plate.3mf\r\n"

    async def send_listing(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(line)
        await writer.drain()
        writer.transport.abort()  # no close_notify

    data = await serve(send_listing, tls)
    server.replies["PASV"] = passive_reply(port_of(data))
    server.replies["FEAT"] = "502 No features."
    server.replies["LIST"] = "150 Here it comes.\r\n250 Done."
    try:
        listing = await files.list("/")
    finally:
        data.close()
    assert listing == [
        RemoteFile("plate.3mf", 7, False, datetime(2024, 1, 2, tzinfo=UTC))
    ]


# --- listing parsers --------------------------------------------------------------


def test_parse_list() -> None:
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    lines = [
        "total 12",
        "drwxr-xr-x    2 0        0            4096 Feb 28 10:15 cache",
        "-rw-r--r--    1 0        0         1048576 Dec 31 23:59 last year.3mf",
        "-rw-r--r--    1 root     root            5 Mar  1 12:30 in an hour",
        "lrwxrwxrwx    1 0        0              12 Jan  1  2024 link -> /cache",
        "-rw-r--r--    1 0        0               1 Feb 29 08:00 leap.txt",
        "-rw-r--r--    1 0        0               1 Apr 31 08:00 no such day",
        "-rw-r--r--    1 0        0               1 Foo  1  2024 odd month",
        "drwxr-xr-x    2 0        0            4096 Jan  1 00:00 .",
        "drwxr-xr-x    2 0        0            4096 Jan  1 00:00 ..",
        "not a listing line",
    ]
    assert ftps_listing.parse_list(lines, now) == [
        RemoteFile("cache", 4096, True, datetime(2025, 2, 28, 10, 15, tzinfo=UTC)),
        RemoteFile(
            "last year.3mf", 1048576, False, datetime(2024, 12, 31, 23, 59, tzinfo=UTC)
        ),
        RemoteFile("in an hour", 5, False, datetime(2025, 3, 1, 12, 30, tzinfo=UTC)),
        RemoteFile("link", 12, False, datetime(2024, 1, 1, tzinfo=UTC)),
        # No 29 February in 2025: the file is from 2024.
        RemoteFile("leap.txt", 1, False, datetime(2024, 2, 29, 8, 0, tzinfo=UTC)),
        RemoteFile("no such day", 1, False, None),
        RemoteFile("odd month", 1, False, None),
    ]


def test_parse_mlsd() -> None:
    lines = [
        "type=cdir;modify=20240101000000; /cache",
        "type=pdir;modify=20240101000000; /",
        "type=dir;modify=20240102030405; sub dir",
        "Type=File;Size=42;Modify=20240102030405.123; a.3mf",
        "type=file;size=junk;modify=yesterday; b.gcode",
        "size=1; c",
        "type=file;size=1; .",
        "no-facts-or-name",
        "type=file; ",
    ]
    when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert ftps_listing.parse_mlsd(lines) == [
        RemoteFile("sub dir", 0, True, when),
        RemoteFile("a.3mf", 42, False, when),
        RemoteFile("b.gcode", 0, False, None),
        RemoteFile("c", 1, False, None),
    ]


# --- hardening (issue 14: points 10 and 18) ---------------------------------------


async def test_certificate_of_another_printer_gets_no_access_code(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    """Point 10: the server is a valid Bambu printer, but not the one asked for."""
    async with make_server(pki, root) as server:  # presents SERIAL's certificate
        files = client(server.port, context, serial=SERIAL2)
        error = await expect_failure(
            files.list("/"),
            ConnectionFailure.TLS,
            f"of printer {SERIAL}, not {SERIAL2}",
        )
        assert isinstance(error.__cause__, WrongPrinter)
        assert server.commands == []  # not even USER, let alone PASS
        assert not files.connected
        # The right serial: the same server works.
        assert await client(server.port, context, serial=SERIAL).list("/") is not None


async def test_data_connections_are_checked_too(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    async with make_server(pki, root) as server:
        files = client(server.port, context, serial=SERIAL)
        async with files:
            await files.upload("/a.3mf", b"data")
            assert await files.download("/a.3mf") == b"data"
        assert server.data_reused == [True, True]


async def test_sessions_to_one_printer_take_turns(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    """Point 18: the job tracker and print_file never log in at the same time."""
    first = client(server.port, context, serial=SERIAL)
    second = client(server.port, context, serial=SERIAL)
    other_printer = client(server.port + 1, context)  # another port: its own turn
    await first.connect()
    waiting = asyncio.create_task(second.upload("/b.3mf", b"b"))
    await asyncio.sleep(0)  # the upload starts and waits for its turn
    assert second._printer is first._printer
    assert first._printer.locked()
    assert not waiting.done()
    assert other_printer._printer is not first._printer
    await first.upload("/a.3mf", b"a")
    await first.close()
    await waiting
    logins = [i for i, line in enumerate(server.commands) if line == "USER bblp"]
    quits = [i for i, line in enumerate(server.commands) if line == "QUIT"]
    assert len(logins) == 2
    assert logins[0] < quits[0] < logins[1]  # one session after the other
    assert not first._printer.locked()
    assert (server.root / "b.3mf").read_bytes() == b"b"


async def test_a_failed_session_lets_the_next_one_in(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    wrong = client(server.port, context, access_code="00000000")
    await expect_failure(wrong.list("/"), ConnectionFailure.CREDENTIALS)
    assert not wrong._printer.locked()
    assert await client(server.port, context).list("/") is not None


# --- streamed downloads ------------------------------------------------------

BIG = 3 * 1024 * 1024 + 17  # many chunks, not a multiple of one


def _content(size: int) -> bytes:
    return bytes((i * 7 + i // 256) % 256 for i in range(size))


async def test_stream_whole_file_in_chunks(root: Path, files: PrinterFiles) -> None:
    data = _content(BIG)
    (root / "timelapse" / "big.mp4").write_bytes(data)
    digest = hashlib.sha256()
    chunks = 0
    largest = 0
    async with files.open_read("/timelapse/big.mp4") as (size, stream):
        assert size == BIG
        async for chunk in stream:
            digest.update(chunk)
            chunks += 1
            largest = max(largest, len(chunk))
    assert digest.digest() == hashlib.sha256(data).digest()
    assert chunks > 10  # streamed, never one buffer
    assert largest <= 64 * 1024
    assert not files.connected  # a one-shot session is closed


async def test_stream_from_an_offset(
    root: Path, files: PrinterFiles, server: FtpsServer
) -> None:
    data = _content(200_000)
    (root / "cache" / "part.3mf").write_bytes(data)
    async with files:
        async with files.open_read("/cache/part.3mf", offset=150_000) as (
            size,
            stream,
        ):
            assert size == 200_000
            received = b"".join([chunk async for chunk in stream])
        assert received == data[150_000:]
        assert files.connected  # a finished stream keeps the session
        assert await files.download("/cache/part.3mf") == data
    assert "REST 150000" in server.commands


async def test_stopping_early_drops_the_session_and_the_next_call_works(
    root: Path, files: PrinterFiles, server: FtpsServer
) -> None:
    data = _content(BIG)
    (root / "timelapse" / "big.avi").write_bytes(data)
    async with files:
        async with files.open_read("/timelapse/big.avi") as (_size, stream):
            async for _chunk in stream:
                break  # the viewer went away
        assert not files.connected  # the cut transfer's reply is not awaited
        # A new session, in step with the printer.
        assert [e.name for e in await files.list("/timelapse")] == ["big.avi"]
        assert await files.download("/timelapse/big.avi", max_size=BIG) == data


async def test_a_reader_failure_is_raised_as_is(
    root: Path, files: PrinterFiles
) -> None:
    (root / "timelapse" / "a.mp4").write_bytes(_content(BIG))

    class ViewerGone(Exception):
        pass

    async def watch() -> None:
        async with files.open_read("/timelapse/a.mp4") as (_size, stream):
            async for _chunk in stream:
                raise ViewerGone

    with pytest.raises(ViewerGone):
        await watch()
    assert not files.connected
    assert len(await files.list("/timelapse")) == 1


async def test_stream_refusals(root: Path, files: PrinterFiles) -> None:
    (root / "cache" / "small.3mf").write_bytes(b"12345")
    with pytest.raises(CommandRefused) as caught:
        async with files.open_read("/cache/missing.3mf"):
            pytest.fail("a missing file has no stream")
    assert caught.value.err_code == 550
    with pytest.raises(InvalidCommand):
        async with files.open_read("/cache/small.3mf", offset=6):
            pytest.fail("an offset beyond the end has no stream")
    with pytest.raises(InvalidCommand):
        async with files.open_read("/cache/small.3mf", offset=-1):
            pytest.fail("a negative offset has no stream")
