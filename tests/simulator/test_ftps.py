"""The simulated printer FTPS server, driven by a bare FTP client.

``RawFtp`` speaks FTP by hand with asyncio's own TLS, which cannot resume a
session: exactly the client a vsftpd with ``require_ssl_reuse`` refuses.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
import os
from pathlib import Path
import re
import ssl
from typing import Self

import pytest

from simulator.ftps import FtpsServer
from simulator.tls import SimulatorPki, generate_pki

SERIAL = "01S00A000000009"
ACCESS_CODE = "87654321"

pytestmark = pytest.mark.usefixtures("socket_enabled")


class RawFtp:
    """A hand-driven FTPS control connection; data channels never resume TLS."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        context: ssl.SSLContext,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.context = context

    @classmethod
    async def open(cls, port: int, context: ssl.SSLContext) -> Self:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
        return cls(reader, writer, context)

    async def reply(self) -> str:
        """One reply; a multi-line one joined with newlines."""
        lines = [(await self.reader.readline()).decode().rstrip("\r\n")]
        if lines[0][3:4] == "-":
            while not lines[-1].startswith(lines[0][:3] + " "):
                lines.append((await self.reader.readline()).decode().rstrip("\r\n"))
        return "\n".join(lines)

    async def send(self, line: str) -> str:
        self.writer.write(line.encode() + b"\r\n")
        await self.writer.drain()
        return await self.reply()

    async def login(self, code: str = ACCESS_CODE, *, protect: bool = True) -> None:
        assert (await self.reply()).startswith("220")
        assert (await self.send("USER bblp")).startswith("331")
        assert (await self.send(f"PASS {code}")).startswith("230")
        if protect:
            assert (await self.send("PBSZ 0")).startswith("200")
            assert (await self.send("PROT P")).startswith("200")

    async def passive(self, *, extended: bool = False) -> int:
        if extended:
            answer = await self.send("EPSV")
            match = re.search(r"\(\|\|\|(\d+)\|\)", answer)
            assert match, answer
            return int(match[1])
        answer = await self.send("PASV")
        match = re.search(r"\(127,0,0,1,(\d+),(\d+)\)", answer)
        assert match, answer
        return int(match[1]) * 256 + int(match[2])

    async def data(
        self, command: str, upload: bytes | None = None, *, extended: bool = False
    ) -> tuple[str, bytes, str]:
        """Run a data command: (first reply, bytes received, final reply)."""
        port = await self.passive(extended=extended)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        first = await self.send(command)
        if not first.startswith("150"):
            writer.close()
            return first, b"", ""
        await writer.start_tls(self.context)  # a fresh session, never resumed
        received = b""
        if upload is not None:
            writer.write(upload)
            await writer.drain()
        else:
            received = await reader.read()
        writer.close()
        final = await self.reply()
        return first, received, final

    async def close(self) -> None:
        self.writer.transport.abort()


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return generate_pki(tmp_path_factory.mktemp("pki"), [SERIAL])


@pytest.fixture
def context(pki: SimulatorPki) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=pki.ca.cert_pem)
    context.check_hostname = False
    return context


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "sd"


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
    async with make_server(pki, root, require_session_reuse=False) as server:
        yield server


@pytest.fixture
async def ftp(server: FtpsServer, context: ssl.SSLContext) -> AsyncIterator[RawFtp]:
    client = await RawFtp.open(server.port, context)
    await client.login()
    yield client
    await client.close()


async def test_sd_card_folders_are_created(server: FtpsServer, root: Path) -> None:
    assert (root / "cache").is_dir()
    assert (root / "timelapse").is_dir()
    assert server.port > 0


async def test_commands_are_recorded(server: FtpsServer, ftp: RawFtp) -> None:
    assert await ftp.send("NOOP") == "200 NOOP ok."
    assert server.commands == [
        "USER bblp",
        f"PASS {ACCESS_CODE}",
        "PBSZ 0",
        "PROT P",
        "NOOP",
    ]


async def test_upload_calls_on_upload_and_download_returns_it(
    server: FtpsServer, ftp: RawFtp, root: Path
) -> None:
    uploads: list[tuple[str, Path]] = []
    server.on_upload = lambda remote, local: uploads.append((remote, local))
    payload = os.urandom(200_000)

    first, _, final = await ftp.data("STOR /cache/job.3mf", payload)
    assert first.startswith("150")
    assert final == "226 Transfer complete."
    assert uploads == [("/cache/job.3mf", root / "cache" / "job.3mf")]
    assert (root / "cache" / "job.3mf").read_bytes() == payload

    assert await ftp.send("SIZE /cache/job.3mf") == "213 200000"
    _, received, final = await ftp.data("RETR cache/job.3mf", extended=True)
    assert received == payload
    assert final == "226 Transfer complete."
    assert server.data_reused == [False, False]  # RawFtp never resumes


async def test_paths_cannot_escape_root(
    server: FtpsServer, ftp: RawFtp, root: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link").symlink_to(tmp_path)

    assert (await ftp.send("SIZE ../secret.txt")).startswith("550")
    assert (await ftp.send("SIZE /../../secret.txt")).startswith("550")
    assert (await ftp.send("SIZE link/secret.txt")).startswith("550")
    assert (await ftp.send("CWD link")).startswith("550")
    assert (await ftp.send("DELE ../secret.txt")).startswith("550")
    assert (await ftp.send("SIZE bad\0name")).startswith("550")
    first, _, _ = await ftp.data("RETR link/secret.txt")
    assert first.startswith("550")
    first, _, _ = await ftp.data("LIST link")
    assert first.startswith("550")
    assert (await ftp.send("CDUP")).startswith("250")
    assert await ftp.send("PWD") == '257 "/" is the current directory'

    # ".." above the root stays at the root, as in a chroot.
    _, _, final = await ftp.data("STOR ../../escaped.txt", b"x")
    assert final.startswith("226")
    assert (root / "escaped.txt").read_bytes() == b"x"
    assert not (tmp_path / "escaped.txt").exists()
    assert (tmp_path / "secret.txt").read_text() == "secret"


async def test_directories(ftp: RawFtp, root: Path) -> None:
    assert await ftp.send("MKD /cache/new") == '257 "/cache/new" created'
    assert (await ftp.send("MKD /cache/new")).startswith("550")
    assert (await ftp.send("CWD /cache/new")).startswith("250")
    assert await ftp.send("PWD") == '257 "/cache/new" is the current directory'
    assert (await ftp.send("CDUP")).startswith("250")
    assert await ftp.send("PWD") == '257 "/cache" is the current directory'
    (root / "cache" / "new" / "file").write_bytes(b"1")
    assert (await ftp.send("RMD new")).startswith("550")  # not empty
    assert (await ftp.send("DELE new/file")).startswith("250")
    assert (await ftp.send("DELE new")).startswith("550")  # a directory
    assert (await ftp.send("RMD new")).startswith("250")
    assert (await ftp.send("RMD /")).startswith("550")
    assert not (root / "cache" / "new").exists()


async def test_listings(ftp: RawFtp, root: Path) -> None:
    (root / "cache" / "a b.3mf").write_bytes(b"12345")
    old = root / "timelapse" / "old.mp4"
    old.write_bytes(b"")
    stamp = datetime(2020, 3, 4, 5, 6, 7, tzinfo=UTC).timestamp()
    os.utime(old, (stamp, stamp))

    _, listing, final = await ftp.data("LIST -la /cache")
    assert final.startswith("226")
    [line] = listing.decode().splitlines()
    assert re.fullmatch(
        r"-rw-r--r-- +1 0 +0 +5 [A-Z][a-z]{2} [ \d]\d \d\d:\d\d a b\.3mf", line
    )
    _, listing, _ = await ftp.data("LIST /timelapse/old.mp4")
    assert listing.decode().split(None, 5)[5] == "Mar  4  2020 old.mp4\r\n"
    _, listing, _ = await ftp.data("LIST")
    assert [row[0] for row in listing.decode().splitlines()] == ["d", "d"]
    _, listing, _ = await ftp.data("NLST /")
    assert listing == b"cache\r\ntimelapse\r\n"
    _, listing, _ = await ftp.data("MLSD /timelapse")
    assert listing == b"type=file;size=0;modify=20200304050607; old.mp4\r\n"
    first, _, _ = await ftp.data("MLSD /timelapse/old.mp4")
    assert first.startswith("501")
    assert await ftp.send("MDTM /timelapse/old.mp4") == "213 20200304050607"
    assert (await ftp.send("MDTM /missing")).startswith("550")


async def test_features_and_system(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    async with make_server(pki, root, mlsd=False) as server:
        ftp = await RawFtp.open(server.port, context)
        assert (await ftp.reply()).startswith("220")
        features = await ftp.send("FEAT")  # allowed before login
        assert features.startswith("211-")
        assert " PROT" in features
        assert "MLST" not in features
        assert await ftp.send("SYST") == "215 UNIX Type: L8"
        await ftp.close()


async def test_login_rules(server: FtpsServer, context: ssl.SSLContext) -> None:
    ftp = await RawFtp.open(server.port, context)
    assert await ftp.reply() == "220 Bambu printer FTPS ready."
    assert (await ftp.send("PASS x")).startswith("503")
    assert (await ftp.send("LIST")).startswith("530")
    assert (await ftp.send("USER root")).startswith("331")
    assert (await ftp.send(f"PASS {ACCESS_CODE}")).startswith("530")
    assert (await ftp.send("USER bblp")).startswith("331")
    assert (await ftp.send("PASS wrong")).startswith("530")
    assert (await ftp.send("PWD")).startswith("530")
    assert (await ftp.send("USER bblp")).startswith("331")
    assert (await ftp.send(f"PASS {ACCESS_CODE}")).startswith("230")
    assert (await ftp.send("PWD")).startswith("257")
    await ftp.close()


async def test_settings_and_unknown_commands(ftp: RawFtp) -> None:
    assert (await ftp.send("TYPE I")).startswith("200")
    assert (await ftp.send("TYPE E")).startswith("504")
    assert (await ftp.send("PROT C")).startswith("536")
    assert (await ftp.send("PROT S")).startswith("504")
    assert await ftp.send("SITE CHMOD 777 x") == "502 Command not implemented."
    assert (await ftp.send("SIZE /cache")).startswith("550")
    assert await ftp.send("QUIT") == "221 Goodbye."
    assert await ftp.reader.read() == b""


async def test_data_needs_prot_p_and_pasv(
    server: FtpsServer, context: ssl.SSLContext
) -> None:
    ftp = await RawFtp.open(server.port, context)
    await ftp.login(protect=False)
    first, _, _ = await ftp.data("LIST")
    assert first == "521 Data connections must be encrypted."
    first, _, _ = await ftp.data("RETR /missing")
    assert first == "521 Data connections must be encrypted."
    assert (await ftp.send("PBSZ 0")).startswith("200")
    assert (await ftp.send("PROT P")).startswith("200")
    assert await ftp.send("LIST") == "425 Use PASV or EPSV first."
    await ftp.close()


async def test_refused_data_command_drops_the_data_connection(ftp: RawFtp) -> None:
    port = await ftp.passive()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert (await ftp.send("RETR /missing")).startswith("550")
    assert (await ftp.send("STOR /no/such/dir/file")).startswith("553")
    assert await reader.read() == b""  # the server closed it
    writer.close()


async def test_only_one_data_connection_per_pasv(ftp: RawFtp) -> None:
    await ftp.passive()  # replaced by the next one, which closes it
    port = await ftp.passive()
    first_reader, first_writer = await asyncio.open_connection("127.0.0.1", port)
    second_reader, second_writer = await asyncio.open_connection("127.0.0.1", port)
    assert await second_reader.read() == b""  # closed by the server
    assert not first_reader.at_eof()
    first_writer.close()
    second_writer.close()


async def test_no_data_connection_times_out(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    async with make_server(pki, root, data_timeout=0.05) as server:
        ftp = await RawFtp.open(server.port, context)
        await ftp.login()
        await ftp.passive()
        assert await ftp.send("LIST") == "425 Failed to establish connection."
        await ftp.close()


async def test_session_reuse_is_required_by_default(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    async with make_server(pki, root) as server:
        ftp = await RawFtp.open(server.port, context)
        await ftp.login()
        first, received, final = await ftp.data("LIST /")
        assert first.startswith("150")
        assert received == b""
        assert final == "522 SSL connection failed: session reuse required."
        assert server.data_reused == [False]
        await ftp.close()


async def test_canned_and_silent_replies(server: FtpsServer, ftp: RawFtp) -> None:
    server.replies["NOOP"] = "299 canned"
    server.replies["SYST"] = None
    assert await ftp.send("NOOP") == "299 canned"
    ftp.writer.write(b"SYST\r\n")
    assert await ftp.send("PWD") == '257 "/" is the current directory'
    assert server.commands[-3:] == ["NOOP", "SYST", "PWD"]


async def test_start_and_stop_are_idempotent_and_stop_closes_clients(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    server = make_server(pki, root)
    await server.start()
    port = server.port
    await server.start()
    assert server.port == port
    ftp = await RawFtp.open(port, context)
    await ftp.login()
    await ftp.passive()
    await server.stop()
    await server.stop()
    assert await ftp.reader.read() == b""
    with pytest.raises(ConnectionRefusedError):
        await RawFtp.open(port, context)
    await ftp.close()


async def test_upload_without_session_reuse_stores_nothing(
    pki: SimulatorPki, root: Path, context: ssl.SSLContext
) -> None:
    uploads: list[str] = []
    async with make_server(
        pki, root, on_upload=lambda remote, _: uploads.append(remote)
    ) as server:
        ftp = await RawFtp.open(server.port, context)
        await ftp.login()
        first, _, final = await ftp.data("STOR /cache/x.3mf", b"data")
        await ftp.close()
    assert first.startswith("150")
    assert final.startswith("522")
    assert not (root / "cache" / "x.3mf").exists()
    assert uploads == []


async def test_data_connection_without_tls_is_refused(ftp: RawFtp) -> None:
    port = await ftp.passive()
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    assert (await ftp.send("LIST")).startswith("150")
    writer.write(b"this is not a TLS ClientHello\r\n")
    assert (await ftp.reply()).startswith("522 SSL connection failed (")
    writer.close()


async def test_download_dropped_by_the_client_is_aborted(
    ftp: RawFtp, root: Path
) -> None:
    # Far more than the socket buffers hold, so the server is still sending.
    (root / "big.bin").write_bytes(bytes(32 * 1024 * 1024))
    port = await ftp.passive()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert (await ftp.send("RETR /big.bin")).startswith("150")
    await writer.start_tls(ftp.context)
    assert len(await reader.readexactly(1000)) == 1000
    writer.transport.abort()
    assert (await ftp.reply()).startswith("426 Connection closed; transfer aborted")


async def test_overlong_command_line_closes_the_connection(ftp: RawFtp) -> None:
    ftp.writer.write(b"NOOP " + b"x" * 100_000)
    await ftp.writer.drain()
    assert await ftp.reader.read() == b""
