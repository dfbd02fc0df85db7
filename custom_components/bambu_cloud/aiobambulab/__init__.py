"""An asyncio client for Bambu Lab printers and the Bambu Lab cloud.

Independent of Home Assistant: it takes an ``aiohttp.ClientSession`` from its
caller, speaks MQTT through aiomqtt, and raises the errors in ``errors``.
Packaged on its own as ``aiobambulab`` (see lib/aiobambulab); ``python -m``
on this package runs a small command line for troubleshooting (``cli``).
"""

from .account import Account
from .camera import JpegCamera
from .catalog import GENERIC, MODELS, CameraKind, PrinterModel, detect_model
from .cloud import BambuCloud, CloudDevice, LoginStep
from .errors import (
    BambuError,
    CloudError,
    CommandRefused,
    CommandTimeout,
    ConnectError,
    ConnectionFailure,
    InvalidCredentials,
    InvalidValue,
    LinkError,
    NotConnected,
    PrinterOffline,
    TokenExpired,
)
from .ftps import PrinterFiles
from .hosts import CHINA, GLOBAL, REGIONS, Region
from .job_views import JobState
from .mqtt import (
    LinkOptions,
    LinkStatus,
    PrinterLink,
    cloud_ssl_context,
    local_ssl_context,
    probe,
)
from .printer import Printer, Update
from .state import PrinterState

__version__ = "0.1.0"

__all__ = [
    "CHINA",
    "GENERIC",
    "GLOBAL",
    "MODELS",
    "REGIONS",
    "Account",
    "BambuCloud",
    "BambuError",
    "CameraKind",
    "CloudDevice",
    "CloudError",
    "CommandRefused",
    "CommandTimeout",
    "ConnectError",
    "ConnectionFailure",
    "InvalidCredentials",
    "InvalidValue",
    "JobState",
    "JpegCamera",
    "LinkError",
    "LinkOptions",
    "LinkStatus",
    "LoginStep",
    "NotConnected",
    "Printer",
    "PrinterFiles",
    "PrinterLink",
    "PrinterModel",
    "PrinterOffline",
    "PrinterState",
    "Region",
    "TokenExpired",
    "Update",
    "__version__",
    "cloud_ssl_context",
    "detect_model",
    "local_ssl_context",
    "probe",
]
