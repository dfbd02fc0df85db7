"""Project members read by ranges from the simulated printer over real loopback FTPS.

What crossed the network is what the client's TCP acknowledged on the data
connections (``FtpsServer.wire()``); every read is checked against
``zipfile`` reading the whole file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import contextlib
from dataclasses import dataclass, replace
import io
from pathlib import Path
import ssl
import zipfile

import pytest

from custom_components.bambu_cloud.aiobambulab.errors import CommandRefused
from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.ftps_transfer import (
    FileTooLarge,
    RestartRefused,
)
from custom_components.bambu_cloud.aiobambulab.remote_zip import (
    BadZip,
    RemoteZip,
    Wanted,
)
from custom_components.bambu_cloud.aiobambulab.stored_projects import StoredProject
from custom_components.bambu_cloud.aiobambulab.threemf import (
    GCODE_HEADER_BYTES,
    InvalidProjectFile,
    ProjectMembers,
    plate_cover,
    plate_members,
    plates,
    read_plate,
)
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from simulator.ftps import FtpsServer
from simulator.threemf import make_3mf
from simulator.tls import SimulatorPki
from tests.bambu.conftest import ACCESS_CODE, SERIAL
from tests.zip_helpers import (
    MIB,
    bomb,
    damage_directory,
    deflated,
    large_project,
    members_of,
    raw_zip,
    stored,
    wanted_size,
)

pytestmark = pytest.mark.usefixtures("socket_enabled")

PATH = "/cache/cube.gcode.3mf"
FILAMENTS = [("PLA", "#00AE42", 5.0), ("PETG", "#FFFFFF", 3.0)]


def _project() -> bytes:
    return make_3mf(
        name="cube",
        plates=2,
        layers=[20, 30],
        prediction_seconds=[600, 900],
        weight_grams=[8.0, 9.5],
        filaments=FILAMENTS,
        objects=[(7, "cube", (10.0, 10.0, 40.0, 40.0))],
    )


@pytest.fixture
async def server(pki: SimulatorPki, tmp_path: Path) -> AsyncIterator[FtpsServer]:
    leaf = pki.printers[SERIAL]
    async with FtpsServer(
        leaf.cert_path, leaf.key_path, ACCESS_CODE, tmp_path / "sd"
    ) as server:
        yield server


@pytest.fixture
def files(server: FtpsServer, pki: SimulatorPki) -> PrinterFiles:
    context: ssl.SSLContext = local_ssl_context(pki.ca.cert_pem)
    return PrinterFiles(
        "127.0.0.1", ACCESS_CODE, port=server.port, ssl_context=context, timeout=5.0
    )


def _put(server: FtpsServer, data: bytes, path: str = PATH) -> None:
    (server.root / path.lstrip("/")).write_bytes(data)


async def _members(files: PrinterFiles, wanted: dict[str, Wanted]) -> ProjectMembers:
    async with files:
        project = await StoredProject.open(files, PATH, max_bytes=64 * MIB)
        assert project.ranged
        data = await project.read(wanted)
    assert isinstance(data, ProjectMembers)
    return data


async def test_a_large_project_gives_its_plate_for_a_fraction_of_its_bytes(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """Plate 2 of a 16 MiB project, as from the whole file, for < 5 % of it."""
    whole = large_project(_project(), mib=16)
    _put(server, whole)

    members = await _members(files, plate_members(2))

    assert read_plate(members, 2) == read_plate(whole, 2)
    assert plates(members) == [1, 2]
    budget = 0.05 * len(whole) + wanted_size(
        whole, set(plate_members(2)), GCODE_HEADER_BYTES
    )
    wire = await server.wire()
    assert wire < budget, (wire, budget, len(whole))
    # One session; the cut transfers were settled (426 read), not dropped.
    assert server.commands.count("USER bblp") == 1
    assert server.commands[-1] == "QUIT"


async def test_a_small_project_is_read_in_one_transfer(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """A file within the tail read is not fetched again member by member."""
    whole = _project()
    assert len(whole) < 64 * 1024
    _put(server, whole)

    members = await _members(files, plate_members(1))

    assert read_plate(members, 1) == read_plate(whole, 1)
    assert [c for c in server.commands if c.startswith(("RETR", "REST"))] == [
        f"RETR {PATH}"
    ]


async def test_a_comment_with_a_fake_end_record_and_the_directory_out_of_the_tail(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """A comment of almost 64 KiB pushes the directory out of the tail.

    The comment starts with an end record's signature that does not end the
    file (zipfile takes that one and sees no members).
    """
    comment = b"PK\x05\x06" + bytes(18) + b"a comment " * 6550  # 65522 bytes
    data = raw_zip(
        [stored("padding.bin", bytes(200_000)), deflated("a.txt", b"hello " * 1000)],
        comment=comment,
    )
    _put(server, data)

    members = await _members(files, {"a.txt": Wanted(1 * MIB)})

    assert members.data == {"a.txt": b"hello " * 1000}
    assert members.names == {"padding.bin", "a.txt"}
    assert server.commands.count("PASV") == 3  # tail, directory, member
    assert await server.wire() < 200_000  # not the padding


async def test_zip64_sizes_and_end_records(
    server: FtpsServer, files: PrinterFiles
) -> None:
    whole = _project()
    data = raw_zip(members_of(whole), zip64=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # a valid ZIP64 file
        assert archive.read("Metadata/plate_1.png") == zipfile.ZipFile(
            io.BytesIO(whole)
        ).read("Metadata/plate_1.png")
    _put(server, data)

    members = await _members(files, plate_members(2))

    assert read_plate(members, 2) == read_plate(whole, 2)


async def test_a_damaged_directory_is_not_a_project_and_loses_nothing(
    server: FtpsServer, files: PrinterFiles
) -> None:
    data = damage_directory(_project())
    _put(server, data)

    async with files:
        with pytest.raises(InvalidProjectFile, match="central directory"):
            await StoredProject.open(files, PATH, max_bytes=64 * MIB)
        # The session goes on, and the file is as it was.
        assert [entry.name for entry in await files.list("/cache")] == [
            "cube.gcode.3mf"
        ]
    assert (server.root / PATH.lstrip("/")).read_bytes() == data
    assert server.commands.count("USER bblp") == 1


async def test_a_member_that_inflates_past_its_declared_size_is_stopped(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """Declares 1 KiB, inflates to 1 GiB: inflating stops past 1 KiB."""
    member = bomb("Metadata/plate_1.png", declared=1024, inflates_to=1024 * MIB)
    data = raw_zip([member, deflated("Metadata/slice_info.config", b"<config/>")])
    _put(server, data)

    with pytest.raises(InvalidProjectFile, match="inflates past its declared size"):
        await _members(files, {"Metadata/plate_1.png": Wanted(8 * MIB)})
    # The compressed megabyte was not even read to its end.
    assert await server.wire() < len(member.data) // 2


async def test_a_member_declared_larger_than_its_limit_is_not_fetched(
    server: FtpsServer, files: PrinterFiles
) -> None:
    _put(server, raw_zip([stored("big.bin", bytes(MIB)), stored("small", b"x")]))

    with pytest.raises(InvalidProjectFile, match=r"big\.bin is too large"):
        await _members(files, {"big.bin": Wanted(1000)})
    assert server.commands.count("PASV") == 1  # the tail only


async def test_other_compression_methods_are_refused(
    server: FtpsServer, files: PrinterFiles
) -> None:
    _put(server, raw_zip([replace(stored("x.bin", b"data"), method=12)]))

    with pytest.raises(InvalidProjectFile, match="uses compression method 12"):
        await _members(files, {"x.bin": Wanted(1000)})


async def test_a_damaged_member_fails_its_checksum(
    server: FtpsServer, files: PrinterFiles
) -> None:
    member = stored("x.bin", b"0123456789")
    _put(server, raw_zip([member]).replace(b"0123456789", b"0123456780"))

    with pytest.raises(InvalidProjectFile, match="checksum"):
        await _members(files, {"x.bin": Wanted(1000)})


async def test_a_printer_without_rest_gets_the_whole_file(
    server: FtpsServer, files: PrinterFiles
) -> None:
    whole = large_project(_project(), mib=2)
    _put(server, whole)
    server.replies["REST"] = "502 Command not implemented."

    async with files:
        project = await StoredProject.open(files, PATH, max_bytes=64 * MIB)
        assert not project.ranged
        data = await project.read(plate_members(2))
        cover = plate_cover(await project.read({}), 1)

    assert data == whole
    assert read_plate(data, 2) == read_plate(whole, 2)
    assert cover == zipfile.ZipFile(io.BytesIO(whole)).read("Metadata/plate_1.png")
    # The tail was asked for (REST refused), then the whole file sent once.
    assert server.commands.count(f"RETR {PATH}") == 1
    assert server.sent_bytes >= len(whole)


async def test_a_printer_without_rest_keeps_the_download_limit(
    server: FtpsServer, files: PrinterFiles
) -> None:
    _put(server, large_project(_project(), mib=2))
    server.replies["REST"] = "502 Command not implemented."

    with pytest.raises(FileTooLarge):
        async with files:
            await StoredProject.open(files, PATH, max_bytes=1 * MIB)


async def test_a_missing_file_is_refused(files: PrinterFiles) -> None:
    with pytest.raises(CommandRefused):
        await StoredProject.open(files, "/cache/none.3mf", max_bytes=MIB)


async def test_a_cut_transfer_keeps_the_session(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """Reading a few bytes of a large file, then more: one session, 426 read."""
    payload = bytes(range(256)) * 40_000  # 10 MB
    (server.root / "big.bin").write_bytes(payload)

    async with files:
        async with files.reading("/big.bin", offset=1000) as chunks:
            first = await anext(chunks)
        async with files.reading("/big.bin", offset=5_000_000) as chunks:
            second = await anext(chunks)
        listing = await files.list("/")

    assert first == payload[1000 : 1000 + len(first)]
    assert second == payload[5_000_000 : 5_000_000 + len(second)]
    assert "big.bin" in [entry.name for entry in listing]
    assert server.commands.count("USER bblp") == 1
    assert await server.wire() < len(payload) // 10


async def test_no_answer_to_a_cut_transfer_drops_the_session_not_the_data(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """A server silent after a cut: the next call gets a session of its own."""
    payload = bytes(range(256)) * 40_000
    (server.root / "big.bin").write_bytes(payload)
    server.answer_cut = False
    files.timeout = 1.0  # how long the silence is waited for

    async with files:
        async with files.reading("/big.bin", offset=1000) as chunks:
            first = await anext(chunks)
        assert not files.connected
        assert await files.size("/big.bin") == len(payload)

    assert first == payload[1000 : 1000 + len(first)]
    assert server.commands.count("USER bblp") == 2


async def test_rest_refused_is_its_own_error(
    server: FtpsServer, files: PrinterFiles
) -> None:
    (server.root / "big.bin").write_bytes(b"x" * 100)
    server.replies["REST"] = "502 Command not implemented."

    async with files:
        with pytest.raises(RestartRefused):
            async with files.reading("/big.bin", offset=10):
                pass
        assert await files.size("/big.bin") == 100  # the session goes on


async def test_unknown_sizes_read_the_whole_file(
    server: FtpsServer, files: PrinterFiles
) -> None:
    """A printer that does not tell a file's size: the whole file, as before."""
    whole = _project()
    _put(server, whole)
    server.replies["SIZE"] = "502 Command not implemented."

    async with files:
        project = await StoredProject.open(files, PATH, max_bytes=MIB)
        assert not project.ranged
        assert read_plate(await project.read(plate_members(1)), 1) == read_plate(
            whole, 1
        )


@dataclass(frozen=True)
class _InMemory:
    """A file in memory as a range source (for the directory checks alone)."""

    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @contextlib.asynccontextmanager
    async def reading(self, offset: int) -> AsyncIterator[AsyncIterator[bytes]]:
        async def chunks() -> AsyncIterator[bytes]:
            yield self.data[offset:]

        yield chunks()


async def test_a_directory_that_does_not_match_its_end_record() -> None:
    """The entry count of the end record and the directory must agree."""
    data = raw_zip([stored("a", b"1"), stored("b", b"2")])
    end = data.rindex(b"PK\x05\x06")
    one_entry = data[: end + 8] + b"\x01\x00\x01\x00" + data[end + 12 :]
    assert len((await RemoteZip.open(_InMemory(data))).entries) == 2

    with pytest.raises(BadZip, match="does not match"):
        await RemoteZip.open(_InMemory(one_entry))


async def test_a_file_that_is_no_zip() -> None:
    with pytest.raises(BadZip, match="no end of central directory"):
        await RemoteZip.open(_InMemory(b"not a zip at all" * 100))


async def test_a_central_directory_past_its_cap_is_refused() -> None:
    data = raw_zip([stored(f"member_{n}", b"x") for n in range(100)])

    with pytest.raises(BadZip, match="central directory is too large"):
        await RemoteZip.open(_InMemory(data), max_directory=1000)
    assert len((await RemoteZip.open(_InMemory(data))).entries) == 100
