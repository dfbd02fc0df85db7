"""The account's messages and notifications, polled from the cloud.

The cloud pushes nothing for them, so they are read every few minutes while
an entity listens. The first read is the starting point: what the account
held before is not news. Each later read hands on only what is new.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .aiobambulab.cloud import BambuCloud
from .aiobambulab.cloud_messages import AccountMessage, MessageKind
from .aiobambulab.errors import CloudError, RateLimited
from .const import DOMAIN, LOGGER
from .coordinator import cloud_update_error

POLL_INTERVAL: Final = timedelta(minutes=5)
RETRY_DELAY: Final = POLL_INTERVAL.total_seconds()  # after an outage or a 429
REMEMBERED: Final = 1000  # ids kept to tell new from seen
_OLDEST: Final = datetime.min.replace(tzinfo=UTC)

type MessageKey = tuple[MessageKind, str]


class NotificationCoordinator(DataUpdateCoordinator[list[AccountMessage]]):
    """The account's current messages; ``new`` holds those not seen before."""

    config_entry: ConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, cloud: BambuCloud
    ) -> None:
        """Poll ``cloud`` while anything listens."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} notifications",
            update_interval=POLL_INTERVAL,
        )
        self._cloud = cloud
        self._seen: OrderedDict[MessageKey, None] = OrderedDict()
        self._started = False
        self.new: list[AccountMessage] = []

    async def _async_update_data(self) -> list[AccountMessage]:
        self.new = []
        try:
            current = await self._cloud.get_account_messages()
        except CloudError as err:
            wait = RETRY_DELAY
            if isinstance(err, RateLimited):
                # Never sooner than the usual poll: throttling should slow us.
                wait = max(err.retry_after or 0.0, wait)
            raise cloud_update_error(err, retry_after=wait) from err
        fresh = [m for m in current if (m.kind, m.id) not in self._seen]
        for message in fresh:
            self._seen[message.kind, message.id] = None
        while len(self._seen) > REMEMBERED:
            self._seen.popitem(last=False)
        if self._started:
            # Oldest first, so the last event shown is the newest.
            self.new = sorted(fresh, key=lambda m: m.time or _OLDEST)
        self._started = True
        return current
