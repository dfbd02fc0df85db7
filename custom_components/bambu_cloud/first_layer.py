"""When a job's first layer is done: the moment to look at it.

The first layer decides most failures, and right after it the plate is
still up close to the camera (it lowers as the print grows). The printer
says nothing of it by itself; its report counts layers (``layer_num``), so
the first layer is done when the job reaches layer 2. That is marked once
per job. A job first seen past its first layer (Home Assistant started
during it) is not marked: nobody saw that moment.
"""

from __future__ import annotations

from typing import Final

SECOND_LAYER: Final = 2


class FirstLayerWatch:
    """Follows one printer's jobs and layers, and tells when a first layer is done."""

    def __init__(self) -> None:
        """No job yet."""
        self._job: str | None = None
        self._done = True

    def started(self, job_key: str) -> None:
        """A job was seen starting: its first layer is ahead."""
        self._job, self._done = job_key, False

    def update(self, job_key: str | None, layer: int | None) -> bool:
        """Whether this report shows the job's first layer just done."""
        if job_key != self._job:
            self._job = job_key
            self._done = job_key is None or (
                layer is not None and layer >= SECOND_LAYER
            )
            return False
        if self._done or layer is None or layer < SECOND_LAYER:
            return False
        self._done = True
        return True
