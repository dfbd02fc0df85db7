"""Cameras: the port-6000 JPEG stream of P1/A1 printers, RTSPS of the others.

P1 and A1 printers send about one JPEG a second over TLS, verified against
the Bambu CA. One connection per printer serves every viewer: it opens when
the first MJPEG viewer arrives (or while the always-on setting is on) and
closes when the last one leaves. Snapshots reuse the newest frame while it
is fresh and otherwise take one of their own. A failed connection makes the
camera unavailable (the reason logged once) and is retried with backoff,
also when nobody watches, until it works again.

The shared connection is the library's ``JpegFeed``; this module serves it.

X1, H2 and P2S printers stream RTSPS: Home Assistant's stream component
plays the URL and ffmpeg takes the snapshots.

Both need the printer's LAN address and access code. Without them the
camera is unavailable and a repair issue says where to set them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, override

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

from .aiobambulab.camera import JpegCamera
from .aiobambulab.camera_feed import CONNECT_TIMEOUT, JpegFeed
from .aiobambulab.catalog import CameraKind
from .aiobambulab.depends import depends_on
from .aiobambulab.errors import ConnectError
from .aiobambulab.rtsp import rtsp_url
from .aiobambulab.state import PrinterState
from .connection import LocalAccess
from .const import DOMAIN, LOGGER
from .coordinator import (
    CHANGED_LOCAL_ACCESS,
    PrinterCoordinator,
    camera_always_on_signal,
)
from .entity import BambuEntity, BambuEntityDescription, async_add_printer_entities
from .runtime import BambuConfigEntry

# Viewers are served by the feed; the hub's links are not involved.
PARALLEL_UPDATES = 0

CAMERA_NEEDS_LAN_ISSUE: Final = "camera_needs_lan"
BOUNDARY: Final = "frame"
CAMERA_PATHS: Final = depends_on(PrinterState.live_view_off, PrinterState.rtsp_url)


def camera_issue_id(serial: str) -> str:
    """The repair issue of a camera that lacks the printer's LAN access."""
    return f"{CAMERA_NEEDS_LAN_ISSUE}_{serial}"


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
    async_add_printer_entities(entry, async_add_entities, _cameras)


def _cameras(coordinator: PrinterCoordinator) -> Iterator[BambuCamera]:
    kind = coordinator.data.model.camera
    if kind is CameraKind.NONE or not coordinator.camera_wanted:
        return
    access = coordinator.local_access
    if access is None and coordinator.lan_unused is None:
        return  # comes once the printer is reached on the LAN
    if access is None:
        # No entity that could never show a picture: a repair issue says what
        # it needs, and the camera comes with the options that give it.
        _camera_needs_lan(coordinator)
        return
    if kind is CameraKind.JPEG:
        yield JpegPrinterCamera(coordinator, access)
    else:
        yield RtspPrinterCamera(coordinator, access)


def _camera_needs_lan(coordinator: PrinterCoordinator) -> None:
    """Raise (once) the repair issue of a camera without LAN access."""
    hass = coordinator.hass
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
    coordinator.config_entry.async_on_unload(
        lambda: ir.async_delete_issue(hass, DOMAIN, issue_id)
    )


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


class JpegPrinterCamera(BambuCamera):
    """The port-6000 JPEG camera of a P1 or A1 printer, served as MJPEG."""

    _attr_frame_interval = 1.0  # the printer sends about one frame a second

    def __init__(self, coordinator: PrinterCoordinator, access: LocalAccess) -> None:
        """Prepare the shared feed (nothing connects yet)."""
        super().__init__(coordinator, access)
        self._feed = self._new_feed(access)

    def _new_feed(self, access: LocalAccess) -> JpegFeed:
        return JpegFeed(
            JpegCamera(
                access.host,
                access.access_code,
                port=access.camera_port,
                ssl_context=access.ssl_context,
                timeout=CONNECT_TIMEOUT,
                serial=self.coordinator.serial,
            ),
            name=self.coordinator.printer_name,
            on_change=self._feed_changed,
        )

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
                self.hass, camera_always_on_signal(serial), self._set_always_on
            )
        )
        self.async_on_remove(lambda: self._feed.close())  # the feed of the day
        feed.set_always_on(self.coordinator.camera_always_on)

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        if CHANGED_LOCAL_ACCESS in self.coordinator.changed:
            self._follow_the_printer()
        super()._handle_coordinator_update()

    @callback
    def _follow_the_printer(self) -> None:
        """The printer was found at a new address (or code): watch it there.

        Its viewers are let go and come back to the new feed, as after any
        dropped connection.
        """
        access = self.coordinator.local_access
        if access is None or access == self._access:
            return
        self._access = access
        self._feed.close()
        self._feed = self._new_feed(access)
        self._feed.set_always_on(self.coordinator.camera_always_on)
        self._feed_changed()

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
    def _set_always_on(self, on: bool) -> None:
        # A callback: the feed lives in the event loop.
        self._feed.set_always_on(on)

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
        return self.state_data.live_view_off

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
        # Where the printer is now: it may have moved since the entity came.
        access = self.coordinator.local_access
        if access is None or not self.coordinator.lan_connected:
            return None
        return rtsp_url(access.host, access.access_code, self.state_data.rtsp_url)

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
