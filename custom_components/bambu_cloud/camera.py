"""Cameras: the port-6000 JPEG stream of P1/A1 printers, RTSPS of the others.

P1 and A1 printers send about one JPEG a second over TLS, verified against
the Bambu CA. One connection per printer serves every viewer: it opens when
the first MJPEG viewer arrives (or while the always-on setting is on) and
closes when the last one leaves. Snapshots reuse the newest frame while it
is fresh and otherwise take one of their own. A failed connection makes the
camera unavailable (the reason logged once) and is retried with backoff,
also when nobody watches, until it works again.

X1, H2 and P2S printers stream RTSPS: Home Assistant's stream component
plays the URL and ffmpeg takes the snapshots.

Both need the printer's LAN address and access code. Without them the
camera is unavailable and a repair issue says where to set them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
import contextlib
from dataclasses import dataclass
import random
from typing import TYPE_CHECKING, Any, Final, override
from urllib.parse import quote, urlsplit

from aiohttp import web
from homeassistant.components import ffmpeg
from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import BambuConfigEntry
from .bambu.camera import JpegCamera
from .bambu.catalog import CameraKind
from .bambu.errors import ConnectError, ConnectionFailure
from .bambu.mqtt import LOCAL_USERNAME
from .bambu.values import as_str, dig
from .const import DOMAIN, LOGGER
from .coordinator import PrinterCoordinator
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .hub import LocalAccess, camera_always_on_signal

if TYPE_CHECKING:
    from .hub import BambuHub

# Viewers are served by the feed; the hub's links are not involved.
PARALLEL_UPDATES = 0

CAMERA_NEEDS_LAN_ISSUE: Final = "camera_needs_lan"
CONNECT_TIMEOUT: Final = 10.0  # seconds for the TLS connection and each frame
FRESH_SECONDS: Final = 2.0  # a frame this young serves a snapshot
VIEWER_PATIENCE: Final = 20.0  # a viewer gives up after this long without a frame
BACKOFF_START: Final = 1.0
BACKOFF_MAX: Final = 300.0
JITTER: Final = 0.2
# Failures that waiting does not fix: the viewers are told at once.
HOPELESS: Final = frozenset({ConnectionFailure.CREDENTIALS, ConnectionFailure.TLS})
RTSP_PORT: Final = 322
RTSP_PATH: Final = "/streaming/live/1"
RTSP_DISABLED: Final = "disable"
BOUNDARY: Final = "frame"
CAMERA_PATHS: Final = frozenset({"ipcam"})


def camera_issue_id(serial: str) -> str:
    """The repair issue of a camera that lacks the printer's LAN access."""
    return f"{CAMERA_NEEDS_LAN_ISSUE}_{serial}"


def rtsp_url(access: LocalAccess, advertised: str | None = None) -> str:
    """The printer's RTSPS URL with credentials, at the address the user gave.

    The port and path come from what the printer advertises, when it does.
    """
    port, path = RTSP_PORT, RTSP_PATH
    if advertised:
        parts = urlsplit(advertised)
        with contextlib.suppress(ValueError):
            port = parts.port or port
        path = parts.path or path
    host = f"[{access.host}]" if ":" in access.host else access.host
    code = quote(access.access_code, safe="")
    return f"rtsps://{LOCAL_USERNAME}:{code}@{host}:{port}{path}"


@dataclass(frozen=True, kw_only=True)
class BambuCameraEntityDescription(BambuEntityDescription, CameraEntityDescription):
    """The printer's camera."""


CAMERA = BambuCameraEntityDescription(
    key="camera", translation_key="camera", paths=CAMERA_PATHS
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BambuConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the camera of each printer that has one and whose user wants it."""
    hub = entry.runtime_data
    async_add_printer_entities(
        entry, async_add_entities, lambda coordinator: _cameras(hub, coordinator)
    )


def _cameras(hub: BambuHub, coordinator: PrinterCoordinator) -> Iterator[BambuCamera]:
    kind = coordinator.data.model.camera
    if kind is CameraKind.NONE or not hub.camera_wanted(coordinator.serial):
        return
    access = hub.local_access(coordinator.serial)
    if access is None:
        # No entity that could never show a picture: a repair issue says what
        # it needs, and the camera comes with the options that give it.
        _camera_needs_lan(hub, coordinator)
        return
    if kind is CameraKind.JPEG:
        yield JpegPrinterCamera(coordinator, access)
    else:
        yield RtspPrinterCamera(coordinator, access)


def _camera_needs_lan(hub: BambuHub, coordinator: PrinterCoordinator) -> None:
    """Raise (once) the repair issue of a camera without LAN access."""
    hass = hub.hass
    issue_id = camera_issue_id(coordinator.serial)
    # An entity left from a time the camera could be reached would stay
    # behind as an unavailable one.
    registry = er.async_get(hass)
    unique_id = f"{coordinator.serial}_{CAMERA.key}"
    if entity_id := registry.async_get_entity_id(Platform.CAMERA, DOMAIN, unique_id):
        registry.async_remove(entity_id)
    if ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None:
        return
    LOGGER.warning(
        "The camera of %s needs the printer's IP address and access code; "
        "set them in the integration's options",
        coordinator.printer_name,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=CAMERA_NEEDS_LAN_ISSUE,
        translation_placeholders={"name": coordinator.printer_name},
    )
    hub.entry.async_on_unload(lambda: ir.async_delete_issue(hass, DOMAIN, issue_id))


class BambuCamera(BambuEntity, Camera):
    """A printer's camera, made only when its LAN access is known."""

    entity_description: BambuCameraEntityDescription

    def __init__(self, coordinator: PrinterCoordinator, access: LocalAccess) -> None:
        """Attach to the printer, reached at ``access``."""
        super().__init__(coordinator, CAMERA)
        Camera.__init__(self)
        self._access = access

    @override
    async def async_added_to_hass(self) -> None:
        """The camera can be reached: no issue left saying it cannot."""
        await super().async_added_to_hass()
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)

    @property
    def _issue_id(self) -> str:
        return camera_issue_id(self.coordinator.serial)


# --- P1 and A1: the port-6000 JPEG stream ----------------------------------------


class JpegFeed:
    """One shared connection to a printer's port-6000 camera.

    Frames flow while anyone watches or the feed is kept on. ``error`` holds
    the last failure until a frame arrives again; while it is set, a
    background probe retries with backoff even when nobody watches.
    """

    def __init__(
        self,
        coordinator: PrinterCoordinator,
        access: LocalAccess,
        on_change: Callable[[], None],
    ) -> None:
        """Prepare; nothing connects before a viewer, snapshot or always-on."""
        self._coordinator = coordinator
        self._camera = JpegCamera(
            access.host,
            access.access_code,
            port=access.camera_port,
            ssl_context=access.ssl_context,
            timeout=CONNECT_TIMEOUT,
            serial=coordinator.serial,
        )
        self._on_change = on_change
        self._viewers = 0
        self._always_on = False
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._snapshot: asyncio.Task[bytes] | None = None
        self._frame: bytes | None = None
        self._frame_time = 0.0
        self._frame_event = asyncio.Event()
        self._retry_now = asyncio.Event()  # cuts a backoff short
        self._delay = BACKOFF_START
        self.streaming = False  # a connection delivers frames now
        self.error: ConnectError | None = None
        self.frames_received = 0

    @property
    def wanted(self) -> bool:
        """Whether frames should flow."""
        return not self._closed and (self._viewers > 0 or self._always_on)

    @property
    def closed(self) -> bool:
        """Whether the feed was closed for good."""
        return self._closed

    @property
    def viewers(self) -> int:
        """How many MJPEG viewers are attached."""
        return self._viewers

    @callback
    def set_always_on(self, on: bool) -> None:
        """Keep the connection open without viewers, or not."""
        self._always_on = on
        self._schedule()

    @contextlib.asynccontextmanager
    async def watch(self) -> AsyncIterator[AsyncIterator[bytes]]:
        """Attach a viewer for the block; it iterates over new frames.

        The iteration ends when no frame arrived for a while or the camera
        refuses the connection outright (wrong access code, certificate).
        """
        self._viewers += 1
        if self.error is not None:
            # Someone wants to watch: try now rather than after the backoff.
            self._delay = BACKOFF_START
            self._retry_now.set()
        self._schedule()
        try:
            yield self._frames()
        finally:
            self._viewers -= 1
            self._schedule()

    async def snapshot(self) -> bytes:
        """The newest frame while fresh, else a new one; raises ConnectError."""
        loop = asyncio.get_running_loop()
        if self._frame is not None and loop.time() - self._frame_time < FRESH_SECONDS:
            return self._frame
        if self.streaming and (frame := await self.next_frame(CONNECT_TIMEOUT)):
            return frame
        if self._snapshot is None:
            # Concurrent callers share one connection.
            self._snapshot = (
                self._coordinator.config_entry.async_create_background_task(
                    self._coordinator.hass,
                    self._take_snapshot(),
                    f"{DOMAIN} camera snapshot {self._coordinator.serial}",
                )
            )
            # A caller that timed out leaves the failure to nobody: take it.
            self._snapshot.add_done_callback(
                lambda task: None if task.cancelled() else task.exception()
            )
        return await asyncio.shield(self._snapshot)

    async def next_frame(self, timeout: float) -> bytes | None:  # noqa: ASYNC109
        """Wait for the next frame; None on timeout or a hopeless failure."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._frame_event
            try:
                async with asyncio.timeout_at(deadline):
                    await event.wait()
            except TimeoutError:
                return None
            if self.error is None and self._frame is not None:
                return self._frame
            if self.error is not None and self.error.reason in HOPELESS:
                return None

    @callback
    def close(self) -> None:
        """Stop for good: cancel the connection and the probe."""
        self._closed = True
        self._always_on = False
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._wake()

    async def _frames(self) -> AsyncIterator[bytes]:
        while (frame := await self.next_frame(VIEWER_PATIENCE)) is not None:
            yield frame

    @callback
    def _schedule(self) -> None:
        """Start the connection when needed, stop it when not."""
        if self._closed:
            return
        if self.wanted or self.error is not None:
            if self._task is None:
                # Not eager: switched on and off at once, it never connects.
                self._task = (
                    self._coordinator.config_entry.async_create_background_task(
                        self._coordinator.hass,
                        self._run(),
                        f"{DOMAIN} camera {self._coordinator.serial}",
                        eager_start=False,
                    )
                )
        elif self._task is not None:
            self._task.cancel()
            self._task = None
            self._set_streaming(False)

    async def _run(self) -> None:
        """Stream while wanted, probe while failing, back off between tries."""
        try:
            while self.wanted or self.error is not None:
                self._retry_now.clear()
                streamed = self.wanted
                try:
                    if streamed:
                        await self._stream()
                    else:
                        self._publish(await self._camera.snapshot())
                except ConnectError as err:
                    self._fail(err)
                else:
                    if not self.wanted:
                        return  # nobody watches: the probe worked, or all left
                    if not streamed:
                        continue  # the probe worked and someone watches now
                await self._back_off()
        finally:
            if self._task is asyncio.current_task():
                self._task = None
            self._set_streaming(False)

    async def _back_off(self) -> None:
        """Wait before the next try, doubling the wait each time."""
        delay = self._delay * random.uniform(1, 1 + JITTER)  # noqa: S311
        self._delay = min(self._delay * 2, BACKOFF_MAX)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._retry_now.wait()

    async def _stream(self) -> None:
        async with contextlib.aclosing(self._camera.frames()) as frames:
            async for frame in frames:
                self._publish(frame, streaming=True)
                if not self.wanted:
                    return
        # The printer ended the stream between two frames: connect again.
        self._set_streaming(False)

    async def _take_snapshot(self) -> bytes:
        try:
            frame = await self._camera.snapshot()
        except ConnectError as err:
            self._fail(err)
            self._schedule()  # retry in the background until it works
            raise
        finally:
            self._snapshot = None
        self._publish(frame)
        return frame

    @callback
    def _publish(self, frame: bytes, *, streaming: bool = False) -> None:
        self._frame = frame
        self._frame_time = asyncio.get_running_loop().time()
        self._delay = BACKOFF_START
        self.frames_received += 1
        changed = False
        if self.error is not None:
            LOGGER.info("The camera of %s works again", self._coordinator.printer_name)
            self.error = None
            changed = True
        if streaming and not self.streaming:
            self.streaming = True
            changed = True
        self._wake()
        if changed:
            self._on_change()

    @callback
    def _fail(self, err: ConnectError) -> None:
        first = self.error is None
        self.error = err
        self._frame = None
        self._set_streaming(False, notify=False)
        if first:
            LOGGER.warning(
                "The camera of %s is unavailable: %s (%s)",
                self._coordinator.printer_name,
                err,
                err.reason.value,
            )
        self._wake()
        self._on_change()

    @callback
    def _set_streaming(self, streaming: bool, *, notify: bool = True) -> None:
        if streaming != self.streaming:
            self.streaming = streaming
            if notify:
                self._on_change()

    @callback
    def _wake(self) -> None:
        """Wake everyone waiting for a frame (or for news of a failure)."""
        event, self._frame_event = self._frame_event, asyncio.Event()
        event.set()


class JpegPrinterCamera(BambuCamera):
    """The port-6000 JPEG camera of a P1 or A1 printer, served as MJPEG."""

    _attr_frame_interval = 1.0  # the printer sends about one frame a second

    def __init__(self, coordinator: PrinterCoordinator, access: LocalAccess) -> None:
        """Prepare the shared feed (nothing connects yet)."""
        super().__init__(coordinator, access)
        self._feed = JpegFeed(coordinator, access, self._feed_changed)

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the camera cannot be reached."""
        return super().available and self._feed.error is None

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the always-on setting."""
        await super().async_added_to_hass()
        feed = self._feed
        serial = self.coordinator.serial
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass, camera_always_on_signal(serial), feed.set_always_on
            )
        )
        self.async_on_remove(feed.close)
        hub = self.coordinator.config_entry.runtime_data
        feed.set_always_on(hub.camera_always_on(serial))

    @override
    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """A JPEG: the newest frame while fresh, else one taken now."""
        try:
            return await self._feed.snapshot()
        except ConnectError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="camera_unavailable",
                translation_placeholders={
                    "name": self.coordinator.printer_name,
                    "error": str(err),
                },
            ) from err

    @override
    async def handle_async_mjpeg_stream(
        self, request: web.Request
    ) -> web.StreamResponse | None:
        """Serve the shared feed as multipart JPEG until the viewer leaves."""
        async with self._feed.watch() as frames:
            first = await anext(frames, None)
            if first is None:
                return None  # the camera cannot be reached: 502
            response = web.StreamResponse()
            response.headers["Content-Type"] = (
                f"multipart/x-mixed-replace;boundary={BOUNDARY}"
            )
            await response.prepare(request)
            # Browsers show a multipart image when the next part starts.
            await response.write(_part(first))
            await response.write(_part(first))
            async for frame in frames:
                await response.write(_part(frame))
        return response

    @callback
    def _feed_changed(self) -> None:
        feed = self._feed
        self._attr_is_streaming = feed.streaming
        if self._written is None or feed.closed:
            return  # not added yet, or removed
        self._write_if_changed()


def _part(frame: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\n"
            f"Content-Length: {len(frame)}\r\n\r\n"
        ).encode()
        + frame
        + b"\r\n"
    )


# --- X1, H2 and P2S: RTSPS ------------------------------------------------------------


class RtspPrinterCamera(BambuCamera):
    """The RTSPS camera of an X1, H2 or P2S printer."""

    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(self, coordinator: PrinterCoordinator, access: LocalAccess) -> None:
        """Remember whether the missing live view was logged."""
        super().__init__(coordinator, access)
        self._off_logged = False

    @property
    def _live_view_off(self) -> bool:
        """Whether the printer says LAN live view is off."""
        value: Any = dig(self.state_data.report, "ipcam", "rtsp_url")
        return as_str(value) == RTSP_DISABLED

    @property
    @override
    def available(self) -> bool:
        """Unavailable while the printer's LAN live view is off."""
        return super().available and not self._live_view_off

    @override
    async def stream_source(self) -> str | None:
        """The RTSPS URL with the access code; None while live view is off or the LAN link is down.

        ffmpeg does not check the RTSPS certificate, so the URL (and its
        access code) is handed out only while the LAN link is up: it checked
        on connecting that the certificate at this address is the printer's.
        """
        if self._live_view_off:
            return None
        if not self.coordinator.lan_connected:
            return None
        return rtsp_url(self._access, self.state_data.rtsp_url)

    @override
    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """One frame of the stream, taken by ffmpeg."""
        source = await self.stream_source()
        if source is None:
            return None
        return await ffmpeg.async_get_image(
            self.hass, source, width=width, height=height
        )

    @override
    async def async_added_to_hass(self) -> None:
        """Say at once if the printer's live view is off."""
        await super().async_added_to_hass()
        self._log_live_view()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if CAMERA_PATHS & self.coordinator.changed:
            self._log_live_view()
        super()._handle_coordinator_update()

    @callback
    def _log_live_view(self) -> None:
        """Log once when live view goes off, and when it is back."""
        off = self._live_view_off
        if off == self._off_logged:
            return
        self._off_logged = off
        if off:
            LOGGER.warning(
                "The camera of %s is unavailable: LAN live view is off in the "
                "printer's settings",
                self.coordinator.printer_name,
            )
        else:
            LOGGER.info(
                "LAN live view of %s is on again", self.coordinator.printer_name
            )
