"""Changed-path markers for what is not a field of the print report.

``PrinterState.apply`` returns the report paths that changed (see ``merge``);
these ``@`` keys stand beside them for the rest, so a consumer keyed on
changed paths also learns of a new firmware answer, an online change or
moved job times.
"""

from __future__ import annotations

from typing import Final

CHANGED_VERSION: Final = "@version"  # get_version answer: model, firmware, AMS modules
CHANGED_ONLINE: Final = "@online"  # the printer went on- or offline
CHANGED_JOB_TIMES: Final = "@job_times"  # start or end estimate moved
