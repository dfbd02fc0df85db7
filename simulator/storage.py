"""What a simulated printer keeps on its storage: timelapses and print files.

The layout is the printers': print files at the top and in ``cache/`` (and in
any folder a user made), timelapses in ``timelapse/`` with a JPEG of each in
``timelapse/thumbnail/``. Models with the port-6000 JPEG camera (P1/A1)
record MJPEG in AVI, the others H.264 in MP4. The videos are real, made by
ffmpeg, so a player (and ffprobe) can read them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import os
from pathlib import Path
from typing import Final

from .threemf import make_3mf

FFMPEG: Final = "ffmpeg"
TIMELAPSE_DIR: Final = "timelapse"
THUMBNAIL_DIR: Final = "timelapse/thumbnail"


class FfmpegFailed(RuntimeError):
    """ffmpeg could not make a video."""


@dataclass(frozen=True, slots=True)
class Stocked:
    """The paths (on the printer) of what ``stock`` wrote."""

    timelapses: list[str]
    print_files: list[str]


async def make_video(
    path: Path, *, avi: bool, seconds: float = 2.0, size: str = "320x240"
) -> None:
    """Write a short test-pattern video: MJPEG in AVI, or H.264 in MP4."""
    codec = ["-c:v", "mjpeg", "-q:v", "5"] if avi else ["-c:v", "libx264"]
    codec += [] if avi else ["-pix_fmt", "yuv420p", "-movflags", "+faststart"]
    await _ffmpeg(
        "-f", "lavfi", "-i", f"testsrc=size={size}:rate=10:duration={seconds}",
        *codec, str(path),
    )  # fmt: skip


async def make_thumbnail(video: Path, thumbnail: Path) -> None:
    """Write the first frame of ``video`` as a JPEG, as the printers do."""
    await _ffmpeg("-i", str(video), "-frames:v", "1", str(thumbnail))


async def stock(
    root: Path,
    *,
    avi: bool,
    timelapses: int = 2,
    now: datetime | None = None,
) -> Stocked:
    """Put ``timelapses`` videos (oldest first) and some print files under ``root``.

    Each file's time is an hour apart, the last one an hour before ``now``,
    so sorting by time is testable.
    """
    now = now or datetime.now(UTC)
    (root / THUMBNAIL_DIR).mkdir(parents=True, exist_ok=True)
    (root / "cache").mkdir(exist_ok=True)
    (root / "models").mkdir(exist_ok=True)
    made: list[tuple[Path, str]] = []
    suffix = "avi" if avi else "mp4"
    videos: list[str] = []
    for number in range(timelapses):
        name = f"video_2026-12-0{1 + number}_10-00-00.{suffix}"
        video = root / TIMELAPSE_DIR / name
        await make_video(video, avi=avi)
        await make_thumbnail(video, root / THUMBNAIL_DIR / f"{video.stem}.jpg")
        made.append((video, f"/{TIMELAPSE_DIR}/{name}"))
        videos.append(f"/{TIMELAPSE_DIR}/{name}")
    prints = {
        "cube.gcode.3mf": [("PLA", "#00AE42", 5.0)],
        "cache/benchy.gcode.3mf": [("PETG", "#F2754E", 12.0)],
        "models/two colours.gcode.3mf": [
            ("PLA", "#00AE42", 3.0),
            ("PLA", "#1F79E5", 2.0),
        ],
    }
    for relative, filaments in prints.items():
        path = root / relative
        path.write_bytes(
            make_3mf(
                name=path.name.split(".")[0],
                layers=10,
                prediction_seconds=600,
                weight_grams=sum(grams for _t, _c, grams in filaments),
                filaments=filaments,
            )
        )
        made.append((path, f"/{relative}"))
    for index, (path, _virtual) in enumerate(made):
        when = now - timedelta(hours=len(made) - index)
        os.utime(path, (when.timestamp(), when.timestamp()))
    return Stocked(videos, [f"/{relative}" for relative in prints])


async def _ffmpeg(*arguments: str) -> None:
    process = await asyncio.create_subprocess_exec(
        FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *arguments,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _out, errors = await process.communicate()
    if process.returncode != 0:
        raise FfmpegFailed(errors.decode(errors="replace").strip())
