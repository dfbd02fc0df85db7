"""aiomqtt's queue of incoming messages, bounded without losing a command's reply."""

from __future__ import annotations

import asyncio
import collections
import logging
from typing import Final

import aiomqtt

_LOGGER = logging.getLogger(__name__)

# Messages received and not yet handled. A flood (a broker relaying a storm
# of reports) must not grow memory without end: past this, the oldest status
# report is dropped (a newer one follows), never a reply to a command.
MAX_QUEUED_MESSAGES: Final = 500
_STATUS_REPORT: Final = b'"push_status"'


class ReportQueue(asyncio.Queue[aiomqtt.Message]):
    """aiomqtt's incoming queue, bounded by dropping the oldest status report.

    aiomqtt's own bound drops the newest message, which may be the reply a
    command waits for. Replies are never dropped here: should the queue hold
    nothing else, it grows past the bound rather than lose one.
    """

    def __init__(self, maxsize: int = 0) -> None:
        """Bound at MAX_QUEUED_MESSAGES (aiomqtt's own ``maxsize`` stays 0)."""
        super().__init__(maxsize)
        self.dropped = 0

    def put_nowait(self, item: aiomqtt.Message) -> None:
        """Queue ``item``; when full, first drop the oldest status report."""
        if self.qsize() >= MAX_QUEUED_MESSAGES:
            self._drop_oldest_report()
        super().put_nowait(item)

    def _drop_oldest_report(self) -> None:
        waiting: collections.deque[aiomqtt.Message] = self._queue  # type: ignore[attr-defined]
        for index, message in enumerate(waiting):
            payload = message.payload
            if isinstance(payload, bytes | bytearray) and _STATUS_REPORT in payload:
                del waiting[index]
                self.task_done()
                self.dropped += 1
                log = _LOGGER.warning if self.dropped == 1 else _LOGGER.debug
                log(
                    "Reports arrive faster than they are handled: dropped the "
                    "oldest waiting one (%s so far)",
                    self.dropped,
                )
                return
