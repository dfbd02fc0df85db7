"""The simulated printers' storage: real videos ffprobe can read, print files, times."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
from pathlib import Path
import zipfile

import pytest

from simulator.storage import stock


async def probe(path: Path) -> dict[str, object]:
    process = await asyncio.create_subprocess_exec(
        "ffprobe", "-v", "error", "-print_format", "json", "-show_format",
        "-show_streams", str(path),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    assert process.returncode == 0
    result: dict[str, object] = json.loads(out)
    return result


@pytest.mark.parametrize(
    ("avi", "format_name", "codec"),
    [(True, "avi", "mjpeg"), (False, "mov,mp4,m4a,3gp,3g2,mj2", "h264")],
    ids=["avi", "mp4"],
)
async def test_stock_writes_real_videos_and_print_files(
    tmp_path: Path, avi: bool, format_name: str, codec: str
) -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    stocked = await stock(tmp_path, avi=avi, now=now)
    assert len(stocked.timelapses) == 2
    for video in stocked.timelapses:
        info = await probe(tmp_path / video.lstrip("/"))
        assert info["format"]["format_name"] == format_name  # type: ignore[index]
        assert info["streams"][0]["codec_name"] == codec  # type: ignore[index]
        thumbnail = tmp_path / "timelapse" / "thumbnail" / f"{Path(video).stem}.jpg"
        assert thumbnail.read_bytes()[:2] == b"\xff\xd8"
    for path in stocked.print_files:
        with zipfile.ZipFile(tmp_path / path.lstrip("/")) as archive:
            assert "Metadata/plate_1.png" in archive.namelist()
    # Oldest first, an hour apart, the newest an hour ago.
    paths = [tmp_path / p.lstrip("/") for p in stocked.timelapses + stocked.print_files]
    times = [p.stat().st_mtime for p in paths]
    assert times == sorted(times)
    assert times[-1] == now.timestamp() - 3600
