"""AVI (MJPEG) timelapses converted to MP4 (H.264) for browsers, with a bounded cache.

ffmpeg reads the AVI from the printer as it arrives and writes fragmented
MP4, so the first frame plays before the file is read and nothing is held
whole in memory. The output is also written to a cache directory; a later
viewer gets the cached file (with seeking). The cache keeps the most recently
used conversions up to a total size.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
import contextlib
import hashlib
import logging
import os
from pathlib import Path
import secrets
from typing import BinaryIO, Final, cast

from homeassistant.core import HomeAssistant

from .aiobambulab.ftps import PrinterFiles

LOGGER = logging.getLogger(__name__)

CACHE_BYTES: Final = 2 * 1024 * 1024 * 1024  # the cache's size at most
_CHUNK: Final = 64 * 1024
# Fragmented MP4 from a pipe: playable while it is written. A keyframe (so a
# fragment) every 30 frames: the first one is out before the file is read.
_OUTPUT: Final = (
    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
    "-pix_fmt", "yuv420p", "-an", "-g", "30",
    "-movflags", "frag_keyframe+empty_moov+default_base_moof",
    "-f", "mp4", "pipe:1",
)  # fmt: skip


class ConversionCache:
    """Converted timelapses on disk, the least recently used dropped first."""

    def __init__(
        self, hass: HomeAssistant, directory: Path, limit: int = CACHE_BYTES
    ) -> None:
        """Keep at most ``limit`` bytes in ``directory``."""
        self.hass = hass
        self.directory = directory
        self.limit = limit

    def path_for(self, serial: str, path: str, size: int | None) -> Path:
        """Where the conversion of this file (at this size) is kept."""
        key = hashlib.sha256(f"{serial}\0{path}\0{size}".encode()).hexdigest()[:32]
        return self.directory / f"{key}.mp4"

    async def cached(self, target: Path) -> bool:
        """Whether the conversion is there; marks it as just used."""
        return await self.hass.async_add_executor_job(_touch, target)

    async def store(self, partial: Path, target: Path) -> None:
        """Keep a finished conversion, then trim the cache to its limit."""
        await self.hass.async_add_executor_job(_keep, partial, target, self.limit)

    async def discard(self, partial: Path) -> None:
        """Drop an unfinished conversion."""
        await self.hass.async_add_executor_job(partial.unlink, True)

    async def open_partial(self, target: Path) -> tuple[Path, BinaryIO]:
        """A new file beside ``target`` to write a conversion into."""
        return await self.hass.async_add_executor_job(_open_partial, target)


async def convert(files: PrinterFiles, path: str, ffmpeg: str) -> AsyncGenerator[bytes]:
    """MP4 bytes of the AVI ``path`` as ffmpeg writes them.

    The printer's file is fed to ffmpeg while its output is read; leaving
    the iteration early stops both.
    """
    process = await asyncio.create_subprocess_exec(
        ffmpeg, "-hide_banner", "-loglevel", "error",
        "-probesize", "1M", "-f", "avi", "-i", "pipe:0", *_OUTPUT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    # Both are pipes, as asked above.
    stdin = cast("asyncio.StreamWriter", process.stdin)
    stdout = cast("asyncio.StreamReader", process.stdout)

    async def feed() -> None:
        try:
            async with files.open_read(path) as (_size, chunks):
                async for chunk in chunks:
                    stdin.write(chunk)
                    await stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # ffmpeg stopped reading: its output tells why
        finally:
            stdin.close()

    feeder = asyncio.create_task(feed())
    try:
        while chunk := await stdout.read(_CHUNK):
            yield chunk
        await feeder  # raises the printer's failure, if any
        if await process.wait() != 0:
            raise ConversionFailed(path)
    finally:
        if not feeder.done():
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await feeder
        if process.returncode is None:
            process.kill()
            await process.wait()


class ConversionFailed(Exception):
    """ffmpeg could not read the timelapse."""


def _touch(target: Path) -> bool:
    try:
        if target.stat().st_size == 0:
            return False
        os.utime(target)  # the cache drops the least recently used first
    except OSError:
        return False
    return True


def _open_partial(target: Path) -> tuple[Path, BinaryIO]:
    target.parent.mkdir(parents=True, exist_ok=True)
    # One per viewer: two may convert the same file at once.
    partial = target.with_suffix(f".{secrets.token_hex(6)}.part")
    return partial, partial.open("wb")


def _keep(partial: Path, target: Path, limit: int) -> None:
    partial.replace(target)
    entries = sorted(
        (path.stat().st_mtime, path.stat().st_size, path)
        for path in target.parent.glob("*.mp4")
    )
    total = sum(size for _mtime, size, _path in entries)
    for _mtime, size, path in entries:
        if total <= limit or path == target:
            continue
        path.unlink(missing_ok=True)
        total -= size
