"""The printer's storage: listing, streaming a large timelapse, converting an AVI.

    python -m benchmarks.media [--gigabytes 1.0] [--files 500] [--project-mib 50]

Against the simulator's FTPS server over loopback TLS (server and client in
this process):

- the time to list a folder of ``--files`` timelapses and build the media
  browser's children (folders first, newest first), best of 5;
- the memory (tracemalloc, both ends) while streaming a ``--gigabytes``
  timelapse chunk by chunk as the storage view does: sampled every 10 %,
  it must stay flat;
- the first-frame latency of an AVI (MJPEG) converted to fragmented MP4 by
  ffmpeg: the time from the request to the first ``mdat`` (a playable
  fragment), and to the end;
- a ``--project-mib`` project's thumbnail (its first plate's picture), read
  as the media browser did (the whole file downloaded) and as it does (the
  directory and two members by ranges): the time (best of 3) and the bytes
  the data connections carried (as the client's TCP acknowledged them).
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime, timedelta
import io
import os
from pathlib import Path
import shutil
import tempfile
from time import perf_counter
import tracemalloc
import zipfile

from custom_components.bambu_cloud.aiobambulab.ftps import PrinterFiles
from custom_components.bambu_cloud.aiobambulab.stored_projects import StoredProject
from custom_components.bambu_cloud.aiobambulab.threemf import (
    ProjectData,
    cover_members,
    index_members,
    plate_cover,
    plates,
)
from custom_components.bambu_cloud.aiobambulab.tls import local_ssl_context
from custom_components.bambu_cloud.media_convert import convert
from custom_components.bambu_cloud.media_source import _children
from custom_components.bambu_cloud.storage_access import StoredFile
from simulator.ftps import FtpsServer
from simulator.storage import make_video
from simulator.threemf import make_3mf
from simulator.tls import generate_pki

SERIAL = "01S00C000000001"
ACCESS_CODE = "12345678"


async def main(gigabytes: float, count: int, project_mib: int) -> None:
    """Run the three measurements and print them."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        pki = generate_pki(root / "pki", [SERIAL])
        leaf = pki.printers[SERIAL]
        sd = root / "sd"
        async with FtpsServer(leaf.cert_path, leaf.key_path, ACCESS_CODE, sd) as server:
            files = PrinterFiles(
                "127.0.0.1",
                ACCESS_CODE,
                port=server.port,
                ssl_context=local_ssl_context(pki.ca.cert_pem),
                serial=SERIAL,
                timeout=60,
            )
            await _project_thumbnail(files, server, sd, project_mib)
            await _listing(files, sd, count)
            await _streaming(files, sd, gigabytes)
            await _conversion(files, sd)


async def _listing(files: PrinterFiles, sd: Path, count: int) -> None:
    folder = sd / "many"
    folder.mkdir()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        path = folder / f"video_{number:04d}.mp4"
        path.write_bytes(b"x")
        when = (start + timedelta(minutes=number)).timestamp()
        os.utime(path, (when, when))
    stored = StoredFile("entry", SERIAL, "/many")
    best = float("inf")
    for _ in range(5):
        began = perf_counter()
        children = _children(stored, await files.list("/many"))
        best = min(best, perf_counter() - began)
    if len(children) != count or children[0].title != f"video_{count - 1:04d}.mp4":
        raise SystemExit("the listing is wrong: not every file, or not newest first")
    print(f"list {count} files and build the browser page: {best * 1000:.1f} ms")


async def _project_thumbnail(
    files: PrinterFiles, server: FtpsServer, sd: Path, mib: int
) -> None:
    project = _large_project(mib)
    (sd / "cache" / "big.gcode.3mf").write_bytes(project)
    path = "/cache/big.gcode.3mf"
    expected = zipfile.ZipFile(io.BytesIO(project)).read("Metadata/plate_1.png")

    async def whole() -> bytes | None:
        data = await files.download(path, max_size=len(project))
        return _first_cover(data)

    async def ranged() -> bytes | None:
        async with files:
            stored = await StoredProject.open(files, path, max_bytes=len(project))
            return _first_cover(await stored.read(index_members() | cover_members(1)))

    for label, read in (("whole download", whole), ("by ranges", ranged)):
        best = float("inf")
        for _ in range(3):
            before = await server.wire()
            began = perf_counter()
            cover = await read()
            best = min(best, perf_counter() - began)
            carried = await server.wire() - before
        if cover != expected:
            raise SystemExit(f"{label}: not the plate's picture")
        print(
            f"thumbnail of a {len(project) / 1024**2:.0f} MiB project, {label}: "
            f"{best * 1000:.1f} ms, {carried / 1024:.0f} KiB on the wire "
            f"({carried / len(project):.2%} of the file)"
        )


def _large_project(mib: int) -> bytes:
    """A sliced project grown with ``mib`` MiB that do not compress.

    Large members before, between and after the plate's: the picture is
    neither at the start nor in the file's last 64 KiB.
    """
    small = make_3mf(
        name="big",
        plates=1,
        layers=100,
        prediction_seconds=3600,
        weight_grams=50.0,
        filaments=[("PLA", "#FFFFFF", 50.0)],
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(small)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        target.writestr(
            "3D/Objects/padding.model",
            os.urandom(mib * 1024**2 // 2),
            compress_type=zipfile.ZIP_STORED,
        )
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".gcode"):
                data += os.urandom(mib * 1024**2 // 4)
            target.writestr(info, data)
        # Data after the picture too: its transfer must be cut short.
        target.writestr(
            "3D/Objects/after.model",
            os.urandom(mib * 1024**2 // 4),
            compress_type=zipfile.ZIP_STORED,
        )
    return out.getvalue()


def _first_cover(data: ProjectData) -> bytes | None:
    numbers = plates(data)
    return plate_cover(data, numbers[0] if numbers else 1)


async def _streaming(files: PrinterFiles, sd: Path, gigabytes: float) -> None:
    size = int(gigabytes * 1024**3)
    big = sd / "timelapse" / "big.mp4"
    with big.open("wb") as file:
        file.truncate(size)  # sparse: the disk holds nothing
    tracemalloc.start()
    samples: list[tuple[int, int]] = []
    received = 0
    step = size // 10
    next_sample = step
    began = perf_counter()
    async with files.open_read("/timelapse/big.mp4") as (_size, chunks):
        async for chunk in chunks:
            received += len(chunk)
            if received >= next_sample:
                samples.append((received, tracemalloc.get_traced_memory()[0]))
                next_sample += step
    elapsed = perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    big.unlink()
    if received != size:
        raise SystemExit(f"streamed {received} of {size} bytes")
    print(
        f"stream {gigabytes:g} GB: {size / elapsed / 1024**2:.0f} MB/s, "
        f"peak traced memory {peak / 1024**2:.1f} MB"
    )
    print(
        "  memory at 10 %, 20 %, ...: "
        + ", ".join(f"{current / 1024**2:.1f}" for _at, current in samples)
        + " MB"
    )


async def _conversion(files: PrinterFiles, sd: Path) -> None:
    avi = sd / "timelapse" / "long.avi"
    await make_video(avi, avi=True, seconds=60.0, size="1280x720")
    ffmpeg = shutil.which("ffmpeg") or "ffmpeg"
    began = perf_counter()
    first: float | None = None
    total = 0
    tail = b""
    async for chunk in convert(files, "/timelapse/long.avi", ffmpeg):
        total += len(chunk)
        if first is None and b"mdat" in tail + chunk:
            first = perf_counter() - began
        tail = chunk[-8:]
    elapsed = perf_counter() - began
    if first is None:
        raise SystemExit("ffmpeg wrote no fragment")
    print(
        f"convert a {avi.stat().st_size / 1024**2:.1f} MB AVI (60 s, 720p MJPEG): "
        f"first frame after {first * 1000:.0f} ms, all {total / 1024**2:.1f} MB "
        f"MP4 after {elapsed:.1f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--project-mib", type=int, default=50)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.gigabytes, arguments.files, arguments.project_mib))
