"""One shared connection to a P1 or A1 printer's port-6000 camera.

The printer sends about one JPEG a second. Every viewer of a printer is
served by one connection: it opens when the first viewer arrives (or while
the feed is kept on) and closes when the last one leaves. Snapshots reuse the
newest frame while it is fresh and otherwise take one of their own,
concurrent callers sharing it. A failed connection sets ``error`` (logged
once) and is retried with backoff, also when nobody watches, until it works
again.

Everything runs in the event loop that uses the feed; ``close`` stops it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
import contextlib
import logging
import random
from typing import Any, Final

from .camera import JpegCamera
from .errors import ConnectError, ConnectionFailure

_LOGGER = logging.getLogger(__name__)

CONNECT_TIMEOUT: Final = 10.0  # seconds for the TLS connection and each frame
FRESH_SECONDS: Final = 2.0  # a frame this young serves a snapshot
VIEWER_PATIENCE: Final = 20.0  # a viewer gives up after this long without a frame
BACKOFF_START: Final = 1.0
BACKOFF_MAX: Final = 300.0
JITTER: Final = 0.2
# Failures that waiting does not fix: the viewers are told at once.
HOPELESS: Final = frozenset({ConnectionFailure.CREDENTIALS, ConnectionFailure.TLS})


def _task[T](coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
    """A task that starts on the next loop turn, never inside the caller.

    Switched on and off at once, the feed then never connects.
    """
    return asyncio.Task(
        coro, loop=asyncio.get_running_loop(), name=name, eager_start=False
    )


class JpegFeed:
    """One shared connection to a printer's port-6000 camera.

    Frames flow while anyone watches or the feed is kept on. ``error`` holds
    the last failure until a frame arrives again; while it is set, a
    background probe retries with backoff even when nobody watches.
    """

    def __init__(
        self, camera: JpegCamera, *, name: str, on_change: Callable[[], None]
    ) -> None:
        """Prepare; nothing connects before a viewer, snapshot or always-on.

        ``name`` names the printer in the log; ``on_change`` is called (in
        the event loop) when ``error`` or ``streaming`` changes.
        """
        self._camera = camera
        self._name = name
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
            self._snapshot = _task(self._take_snapshot(), f"{self._name} snapshot")
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

    def close(self) -> None:
        """Stop for good: cancel the connection and the probe."""
        self._closed = True
        self._always_on = False
        for task in (self._task, self._snapshot):
            if task is not None:
                task.cancel()
        self._task = self._snapshot = None
        self._wake()

    async def _frames(self) -> AsyncIterator[bytes]:
        while (frame := await self.next_frame(VIEWER_PATIENCE)) is not None:
            yield frame

    def _schedule(self) -> None:
        """Start the connection when needed, stop it when not."""
        if self._closed:
            return
        if self.wanted or self.error is not None:
            if self._task is None:
                # Not eager: switched on and off at once, it never connects.
                self._task = _task(self._run(), f"{self._name} camera")
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

    def _publish(self, frame: bytes, *, streaming: bool = False) -> None:
        self._frame = frame
        self._frame_time = asyncio.get_running_loop().time()
        self._delay = BACKOFF_START
        self.frames_received += 1
        changed = False
        if self.error is not None:
            _LOGGER.info("The camera of %s works again", self._name)
            self.error = None
            changed = True
        if streaming and not self.streaming:
            self.streaming = True
            changed = True
        self._wake()
        if changed:
            self._on_change()

    def _fail(self, err: ConnectError) -> None:
        first = self.error is None
        self.error = err
        self._frame = None
        self._set_streaming(False, notify=False)
        if first:
            _LOGGER.warning(
                "The camera of %s is unavailable: %s (%s)",
                self._name,
                err,
                err.reason.value,
            )
        self._wake()
        self._on_change()

    def _set_streaming(self, streaming: bool, *, notify: bool = True) -> None:
        if streaming != self.streaming:
            self.streaming = streaming
            if notify:
                self._on_change()

    def _wake(self) -> None:
        """Wake everyone waiting for a frame (or for news of a failure)."""
        event, self._frame_event = self._frame_event, asyncio.Event()
        event.set()
