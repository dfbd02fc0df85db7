"""An asyncio client for Bambu Lab printers and the Bambu Lab cloud.

Independent of Home Assistant: it takes an ``aiohttp.ClientSession`` from its
caller, speaks MQTT through aiomqtt, and raises the errors in ``errors``.
Packaged on its own as ``aiobambulab`` (see lib/aiobambulab); ``python -m``
on this package runs a small command line for troubleshooting (``cli``).
"""

from .account import Account
from .camera import JpegCamera
from .catalog import GENERIC, MODELS, CameraKind, PrinterModel, detect_model
from .cloud import BambuCloud
from .cloud_devices import CloudDevice
from .cloud_signin import LoginStep
from .commands import (
    NO_TRAY,
    Axis,
    Fan,
    LightNode,
    default_job_name,
    url_safe_filename,
)
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
from .lan_probe import probe
from .link_health import LinkStatus
from .mqtt import LinkOptions, PrinterLink
from .printer import Printer, Update
from .state import PrinterState
from .tls import cloud_ssl_context, local_ssl_context

__version__ = "0.1.0"

__all__ = [
    "CHINA",
    "GENERIC",
    "GLOBAL",
    "MODELS",
    "NO_TRAY",
    "REGIONS",
    "Account",
    "Axis",
    "BambuCloud",
    "BambuError",
    "CameraKind",
    "CloudDevice",
    "CloudError",
    "CommandRefused",
    "CommandTimeout",
    "ConnectError",
    "ConnectionFailure",
    "Fan",
    "InvalidCredentials",
    "InvalidValue",
    "JobState",
    "JpegCamera",
    "LightNode",
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
    "default_job_name",
    "detect_model",
    "local_ssl_context",
    "probe",
    "url_safe_filename",
]
