"""The Media panel's "Bambu Lab": browse, thumbnails and play, against the simulated printer.

The printer's storage is served by the simulator's FTPS server over real
loopback TLS, stocked with real ffmpeg-made timelapses; what the view serves
is checked with ffprobe.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
import io
import json
import os
from pathlib import Path
from typing import Any
from unittest.mock import patch
import zipfile

from homeassistant.components import media_source
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.bambu_cloud.const import (
    DOMAIN,
)
from custom_components.bambu_cloud.media_convert import ConversionCache
from simulator.ftps import FtpsServer
from simulator.storage import make_video, stock
from simulator.threemf import make_3mf
from simulator.tls import SimulatorPki, generate_pki
from tests.conftest import LAN_SERIAL
from tests.storage_helpers import ACCESS_CODE, setup_storage_printer, storage_server
from tests.zip_helpers import large_project, wanted_size

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("socket_enabled", "fake_link")


@pytest.fixture(autouse=True)
def _sensor_platform_only() -> Iterator[None]:
    with patch("custom_components.bambu_cloud.PLATFORMS", [Platform.SENSOR]):
        yield


@pytest.fixture(autouse=True)
def _config_in_tmp(hass: HomeAssistant, tmp_path: Path) -> None:
    """Converted timelapses go to a cache of this test's own."""
    hass.config.config_dir = str(tmp_path / "config")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> SimulatorPki:
    return generate_pki(tmp_path_factory.mktemp("media-pki"), [LAN_SERIAL])


async def _server(pki: SimulatorPki, root: Path) -> FtpsServer:
    server = storage_server(pki, root)
    await server.start()
    return server


@pytest.fixture(params=[False, True], ids=["mp4", "avi"])
async def printer(
    request: pytest.FixtureRequest, pki: SimulatorPki, tmp_path: Path
) -> AsyncIterator[tuple[FtpsServer, bool]]:
    """The printer's storage: an X1 (MP4) or a P1 (AVI) timelapse folder."""
    root = tmp_path / "sd"
    avi: bool = request.param
    await stock(root, avi=avi, now=NOW)
    server = await _server(pki, root)
    yield server, avi
    await server.stop()


async def _setup(hass: HomeAssistant, pki: SimulatorPki, port: int) -> MockConfigEntry:
    assert await async_setup_component(hass, "media_source", {})
    entry, _link = await setup_storage_printer(hass, pki, port, "x1c-multi-ams")
    return entry


def _id(entry: MockConfigEntry, path: str = "") -> str:
    return f"media-source://{DOMAIN}/{entry.entry_id}/{LAN_SERIAL}{path}"


async def probe(data: bytes, tmp_path: Path) -> dict[str, Any]:
    """ffprobe's view of ``data``; fails the test when it is not a video."""
    path = tmp_path / "served.bin"
    path.write_bytes(data)
    process = await asyncio.create_subprocess_exec(
        "ffprobe", "-v", "error", "-print_format", "json", "-show_format",
        "-show_streams", "-count_frames", str(path),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await process.communicate()
    assert process.returncode == 0, "ffprobe cannot read what was served"
    result: dict[str, Any] = json.loads(out)
    return result


async def test_browse_printers_folders_and_files_newest_first(
    hass: HomeAssistant, pki: SimulatorPki, printer: tuple[FtpsServer, bool]
) -> None:
    server, avi = printer
    entry = await _setup(hass, pki, server.port)
    suffix = "avi" if avi else "mp4"

    root = await media_source.async_browse_media(hass, f"media-source://{DOMAIN}")
    assert root.title == "Bambu Lab"
    assert [(c.title, c.media_content_id) for c in root.children] == [
        ("Garage", _id(entry))
    ]

    top = await media_source.async_browse_media(hass, _id(entry))
    # Folders by name first, then the print files, newest first.
    assert [c.title for c in top.children] == [
        "cache",
        "models",
        "timelapse",
        "cube.gcode.3mf",
    ]
    assert all(c.can_expand for c in top.children[:3])
    cube = top.children[3]
    assert not cube.can_play
    assert cube.thumbnail == (
        f"/api/{DOMAIN}/thumbnail/{entry.entry_id}/{LAN_SERIAL}/cube.gcode.3mf"
    )

    models = await media_source.async_browse_media(hass, _id(entry, "/models"))
    assert [c.title for c in models.children] == ["two colours.gcode.3mf"]

    timelapses = await media_source.async_browse_media(hass, _id(entry, "/timelapse"))
    # The thumbnail folder is not shown; the newest video comes first.
    assert [c.title for c in timelapses.children] == [
        f"video_2026-12-02_10-00-00.{suffix}",
        f"video_2026-12-01_10-00-00.{suffix}",
    ]
    assert all(c.can_play and c.media_class == "video" for c in timelapses.children)


async def test_thumbnails_are_the_timelapse_jpeg_and_the_plate_picture(
    hass: HomeAssistant,
    pki: SimulatorPki,
    printer: tuple[FtpsServer, bool],
    hass_client: ClientSessionGenerator,
) -> None:
    server, avi = printer
    entry = await _setup(hass, pki, server.port)
    client = await hass_client()
    suffix = "avi" if avi else "mp4"
    video = f"video_2026-12-01_10-00-00.{suffix}"
    base = f"/api/{DOMAIN}/thumbnail/{entry.entry_id}/{LAN_SERIAL}"

    response = await client.get(f"{base}/timelapse/{video}")
    assert response.status == 200
    assert response.content_type == "image/jpeg"
    assert (
        await response.read()
        == (
            server.root / "timelapse" / "thumbnail" / "video_2026-12-01_10-00-00.jpg"
        ).read_bytes()
    )

    response = await client.get(f"{base}/models/two colours.gcode.3mf")
    assert response.status == 200
    assert response.content_type == "image/png"
    assert (await response.read()).startswith(b"\x89PNG")

    response = await client.get(f"{base}/cache/missing.gcode.3mf")
    assert response.status == 404


async def test_a_large_projects_thumbnail_reads_a_fraction_of_it(
    hass: HomeAssistant,
    pki: SimulatorPki,
    tmp_path: Path,
    hass_client: ClientSessionGenerator,
) -> None:
    """A 16 MiB project's picture costs its directory and two members."""
    project = large_project(
        make_3mf(
            name="big",
            plates=2,
            layers=10,
            prediction_seconds=60,
            weight_grams=3.0,
            filaments=[("PLA", "#FFFFFF", 3.0)],
        ),
        mib=16,
    )
    root = tmp_path / "sd"
    server = await _server(pki, root)
    (root / "cache" / "big.gcode.3mf").write_bytes(project)
    try:
        entry = await _setup(hass, pki, server.port)
        client = await hass_client()
        url = (
            f"/api/{DOMAIN}/thumbnail/{entry.entry_id}/{LAN_SERIAL}/cache/big.gcode.3mf"
        )

        response = await client.get(url)
        assert response.status == 200
        picture = await response.read()
        with zipfile.ZipFile(io.BytesIO(project)) as archive:
            assert picture == archive.read("Metadata/plate_1.png")
        wanted = {"Metadata/plate_1.png", "Metadata/slice_info.config"}
        budget = 0.05 * len(project) + wanted_size(project, wanted, 0)
        wire = await server.wire()
        assert wire < budget, (wire, budget)
    finally:
        await server.stop()


async def test_a_timelapse_plays_as_mp4_through_a_signed_path(
    hass: HomeAssistant,
    pki: SimulatorPki,
    printer: tuple[FtpsServer, bool],
    hass_ws_client: WebSocketGenerator,
    hass_client_no_auth: ClientSessionGenerator,
    tmp_path: Path,
) -> None:
    server, avi = printer
    entry = await _setup(hass, pki, server.port)
    suffix = "avi" if avi else "mp4"
    media_id = _id(entry, f"/timelapse/video_2026-12-02_10-00-00.{suffix}")

    websocket = await hass_ws_client(hass)
    await websocket.send_json_auto_id(
        {"type": "media_source/resolve_media", "media_content_id": media_id}
    )
    reply = await websocket.receive_json()
    assert reply["success"], reply
    url: str = reply["result"]["url"]
    assert reply["result"]["mime_type"] == "video/mp4"
    assert "authSig=" in url  # signed: the browser needs no header
    assert ACCESS_CODE not in url

    anonymous = await hass_client_no_auth()
    unsigned = await anonymous.get(url.split("?")[0])
    assert unsigned.status == 401

    response = await anonymous.get(url)
    assert response.status == 200
    assert response.content_type == "video/mp4"
    body = await response.read()
    info = await probe(body, tmp_path)
    assert "mp4" in info["format"]["format_name"]
    stream = info["streams"][0]
    assert stream["codec_name"] == "h264"  # what every browser plays
    assert int(stream["nb_read_frames"]) == 20  # two seconds at 10 fps, all there

    if avi:
        # The second viewer gets the cached conversion: no second download.
        retrieved = [c for c in server.commands if c.startswith("RETR")]
        again = await anonymous.get(url)
        assert again.status == 200
        assert await again.read() == body
        assert [c for c in server.commands if c.startswith("RETR")] == retrieved
    else:
        # As stored, byte for byte.
        assert body == (server.root / media_id.split(LAN_SERIAL)[1][1:]).read_bytes()


async def test_ranges_seek_into_a_stored_file(
    hass: HomeAssistant,
    pki: SimulatorPki,
    tmp_path: Path,
    hass_client: ClientSessionGenerator,
) -> None:
    root = tmp_path / "sd"
    await stock(root, avi=False, now=NOW)
    server = await _server(pki, root)
    try:
        entry = await _setup(hass, pki, server.port)
        client = await hass_client()
        video = "timelapse/video_2026-12-01_10-00-00.mp4"
        data = (root / video).read_bytes()
        url = f"/api/{DOMAIN}/storage/{entry.entry_id}/{LAN_SERIAL}/{video}"

        response = await client.get(url, headers={"Range": "bytes=1000-"})
        assert response.status == 206
        assert (
            response.headers["Content-Range"]
            == f"bytes 1000-{len(data) - 1}/{len(data)}"
        )
        assert await response.read() == data[1000:]

        response = await client.get(url, headers={"Range": "bytes=10-19"})
        assert response.status == 206
        assert await response.read() == data[10:20]

        response = await client.get(f"{url}?download")
        assert response.status == 200
        assert response.headers["Content-Disposition"] == (
            "attachment; filename*=UTF-8''video_2026-12-01_10-00-00.mp4"
        )
        assert await response.read() == data

        missing = await client.get(url.replace("12-01", "11-01"))
        assert missing.status == 404
        outside = await client.get(
            f"/api/{DOMAIN}/storage/{entry.entry_id}/{LAN_SERIAL}/../../etc/passwd.mp4"
        )
        assert outside.status == 404
    finally:
        await server.stop()


async def test_an_unreachable_printer_is_a_translated_error(
    hass: HomeAssistant, pki: SimulatorPki, unused_tcp_port: int
) -> None:
    entry = await _setup(hass, pki, unused_tcp_port)
    with pytest.raises(BrowseError) as caught:
        await media_source.async_browse_media(hass, _id(entry))
    assert caught.value.translation_key == "media_unreachable"
    assert caught.value.translation_placeholders["name"] == "Garage"
    with pytest.raises(media_source.Unresolvable) as unresolvable:
        await media_source.async_resolve_media(
            hass, _id(entry, "/cube.gcode.3mf"), None
        )
    assert unresolvable.value.translation_key == "media_not_playable"


async def test_the_conversion_cache_keeps_the_recently_used_within_its_limit(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    cache = ConversionCache(hass, tmp_path / "cache", limit=250)
    targets = [cache.path_for(LAN_SERIAL, f"/timelapse/{n}.avi", 100) for n in range(3)]
    assert len(set(targets)) == 3
    assert cache.path_for(LAN_SERIAL, "/timelapse/0.avi", 101) != targets[0]
    for number, target in enumerate(targets[:2]):
        partial, output = await cache.open_partial(target)
        output.write(bytes([number]) * 100)
        output.close()
        await cache.store(partial, target)
        os.utime(target, (number, number))  # 0 is older than 1
    assert await cache.cached(targets[0])  # used again: now the newest
    partial, output = await cache.open_partial(targets[2])
    output.write(b"2" * 100)
    output.close()
    await cache.store(partial, targets[2])
    # 300 bytes > 250: the least recently used (1) went, the rest stayed.
    assert [t.exists() for t in targets] == [True, False, True]
    assert not await cache.cached(targets[1])
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        t.name for t in (targets[0], targets[2])
    )


async def test_a_viewer_leaving_a_conversion_stops_it(
    hass: HomeAssistant,
    pki: SimulatorPki,
    tmp_path: Path,
    hass_client: ClientSessionGenerator,
) -> None:
    root = tmp_path / "sd"
    await stock(root, avi=True, now=NOW, timelapses=1)
    await make_video(
        root / "timelapse" / "long.avi", avi=True, seconds=60.0, size="1280x720"
    )
    server = await _server(pki, root)
    try:
        entry = await _setup(hass, pki, server.port)
        client = await hass_client()
        url = (
            f"/api/{DOMAIN}/converted/{entry.entry_id}/{LAN_SERIAL}/timelapse/long.avi"
        )
        response = await client.get(url)
        assert response.status == 200
        assert await response.content.readany()  # the first fragment
        response.close()  # the viewer leaves
        cache = Path(hass.config.cache_path(DOMAIN, "timelapses"))
        async with asyncio.timeout(20):
            # ffmpeg stopped, its unfinished output is dropped, nothing cached.
            while any(cache.iterdir()):
                await asyncio.sleep(0.05)
            # The printer's session was given back: the folder lists again.
            listing = await media_source.async_browse_media(
                hass, _id(entry, "/timelapse")
            )
        assert "long.avi" in [c.title for c in listing.children]
    finally:
        await server.stop()
