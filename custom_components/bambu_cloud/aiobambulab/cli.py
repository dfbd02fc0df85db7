"""A small command line for troubleshooting a printer or an account.

``python -m <this package> --help``. Each command opens its own connections
and closes them again; nothing is stored. Secrets can come from the
environment (``BAMBU_PASSWORD``, ``BAMBU_TOKEN``, ``BAMBU_ACCESS_CODE``) so
that they stay out of the shell history, and are never printed except the
token that ``login`` is asked for. Servers are options, so every command also
runs against a fake cloud or printer (the repository's simulator).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
import contextlib
import getpass
import os
from pathlib import Path
import ssl
import sys
from typing import Any, Final, TextIO

import aiohttp
import orjson

from . import commands
from .camera import PORT as CAMERA_PORT, JpegCamera
from .catalog import detect_model
from .cloud import BambuCloud
from .cloud_signin import LoginStep
from .errors import (
    BambuError,
    ConnectError,
    ConnectionFailure,
    TwoFactorUnavailable,
)
from .hosts import GLOBAL, REGIONS
from .identity import certificate_serial
from .lan_probe import probe
from .mqtt import PORT as MQTT_PORT, LinkOptions, PrinterLink
from .state import FULL_REPORT_MIN_KEYS
from .tls import local_ssl_context

PROG: Final = f"python -m {__package__}"
DEFAULT_TIMEOUT: Final = 10.0

# Asks the user for a secret or a code: (question, hidden) -> answer.
type Prompt = Callable[[str, bool], Awaitable[str]]


class UsageError(Exception):
    """What the user must give or change; printed without a traceback."""


async def ask(question: str, hidden: bool) -> str:
    """Read an answer from the terminal without blocking the event loop."""
    reader = getpass.getpass if hidden else input
    return (await asyncio.to_thread(reader, question)).strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status (0 done, 1 failed, 2 bad usage)."""
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(run(argv))
    return 130


async def run(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    prompt: Prompt = ask,
) -> int:
    """Parse ``argv`` and run the command, writing to ``out`` and ``err``."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        # Read before any connection, off the event loop; a clear error if missing.
        args.ca_pem = (
            None
            if args.ca_file is None
            else await asyncio.to_thread(args.ca_file.read_text, encoding="utf-8")
        )
        await args.handler(args, out, prompt)
    except UsageError as error:
        err.write(f"{PROG}: {error}\n")
        return 2
    except (BambuError, OSError) as error:
        err.write(f"failed: {describe(error)}\n")
        return 1
    return 0


def describe(error: BaseException) -> str:
    """One line for a failure, with its kind where the library classified it."""
    if isinstance(error, ConnectError):
        return f"{error.reason.value}: {error}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


# --- arguments --------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    main_parser = argparse.ArgumentParser(
        prog=PROG, description="Talk to Bambu Lab printers and the Bambu cloud."
    )
    sub = main_parser.add_subparsers(required=True, metavar="COMMAND")

    login = sub.add_parser(
        "login", help="sign in (with the e-mail code), print a token"
    )
    _cloud_options(login)
    login.add_argument("--email", required=True, help="the account's e-mail or phone")
    login.set_defaults(handler=_login)

    printers = sub.add_parser("printers", help="list the account's printers")
    _cloud_options(printers)
    _token_option(printers)
    printers.add_argument(
        "--access-codes", action="store_true", help="also print each access code"
    )
    printers.set_defaults(handler=_printers)

    watch = sub.add_parser("watch", help="print one printer's reports (JSON lines)")
    _link_options(watch)
    watch.add_argument("--count", type=int, help="stop after this many reports")
    watch.set_defaults(handler=_watch)

    pushall = sub.add_parser("pushall", help="ask for a full report and print it")
    _link_options(pushall)
    pushall.set_defaults(handler=_pushall)

    camera = sub.add_parser("camera", help="save one frame of a port-6000 camera")
    _printer_options(camera, port=CAMERA_PORT)
    _access_code_option(camera, required=True)
    camera.add_argument("--output", type=Path, default=Path("frame.jpg"))
    camera.set_defaults(handler=_camera)

    check = sub.add_parser(
        "check", help="check a LAN printer's reachability and certificate"
    )
    _printer_options(check, port=MQTT_PORT)
    _access_code_option(check, required=False)
    check.set_defaults(handler=_check)
    return main_parser


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per step"
    )
    command.add_argument(
        "--ca-file", type=Path, help="PEM CA to trust instead of the built-in one"
    )


def _cloud_options(command: argparse.ArgumentParser) -> None:
    _common(command)
    command.add_argument("--region", choices=sorted(REGIONS), default=GLOBAL.key)
    command.add_argument("--api-url", help="the cloud's base URL (default: region's)")


def _token_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--token", help="an access token (or BAMBU_TOKEN)")


def _printer_options(command: argparse.ArgumentParser, *, port: int) -> None:
    _common(command)
    command.add_argument("--host", required=True, help="the printer's address")
    command.add_argument("--serial", required=True, help="the printer's serial")
    command.add_argument("--port", type=int, default=port)


def _access_code_option(command: argparse.ArgumentParser, *, required: bool) -> None:
    command.add_argument(
        "--access-code",
        help="the LAN access code (or BAMBU_ACCESS_CODE)"
        + ("" if required else "; with it the MQTT login is checked too"),
    )


def _link_options(command: argparse.ArgumentParser) -> None:
    """A printer over the LAN (--host) or through the account (--token)."""
    _cloud_options(command)
    _token_option(command)
    command.add_argument("--serial", required=True, help="the printer's serial")
    command.add_argument("--host", help="the printer's address: LAN, not cloud")
    command.add_argument("--port", type=int, default=MQTT_PORT, help="MQTT port")
    command.add_argument("--mqtt-host", help="the cloud broker (default: region's)")
    _access_code_option(command, required=False)


def _api_url(args: argparse.Namespace) -> str:
    return str(args.api_url or REGIONS[args.region].api_url)


def _ca_pem(args: argparse.Namespace) -> str | None:
    pem: str | None = args.ca_pem
    return pem


def _secret(args: argparse.Namespace, name: str, variable: str) -> str | None:
    return str(getattr(args, name) or os.environ.get(variable) or "") or None


def _access_code(args: argparse.Namespace) -> str | None:
    return _secret(args, "access_code", "BAMBU_ACCESS_CODE")


def _required_access_code(args: argparse.Namespace) -> str:
    code = _access_code(args)
    if code is None:
        raise UsageError("give --access-code or set BAMBU_ACCESS_CODE")
    return code


def _token(args: argparse.Namespace) -> str:
    token = _secret(args, "token", "BAMBU_TOKEN")
    if token is None:
        raise UsageError("give --token or set BAMBU_TOKEN (see the login command)")
    return token


# --- account ----------------------------------------------------------------


async def _login(args: argparse.Namespace, out: TextIO, prompt: Prompt) -> None:
    password = os.environ.get("BAMBU_PASSWORD") or await prompt("Password: ", True)
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(session, _api_url(args), timeout=args.timeout)
        result = await cloud.login(args.email, password)
        if result.needs is LoginStep.TFA and result.tfa_key:
            code = await prompt("Code of the authenticator app: ", False)
            # Often blocked for third parties: an e-mail code works too.
            with contextlib.suppress(TwoFactorUnavailable):
                await cloud.login_with_tfa(result.tfa_key, code)
        if cloud.token is None:
            await cloud.request_code(args.email)
            code = await prompt(f"Code sent to {args.email}: ", False)
            await cloud.login_with_code(args.email, code)
        uid = await cloud.get_uid()
    out.write(f"uid: {uid}\ntoken: {cloud.token}\n")


async def _printers(args: argparse.Namespace, out: TextIO, _prompt: Prompt) -> None:
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(session, _api_url(args), token=_token(args))
        devices = await cloud.get_devices()
    for device in devices:
        model = detect_model(cloud_names=(device.product_name, device.model_name))
        fields = [
            device.serial,
            model.name,
            "online" if device.online else "offline",
            device.print_status or "-",
            device.name or "",
        ]
        if args.access_codes:
            fields.insert(4, device.access_code or "-")
        out.write("\t".join(fields) + "\n")
    if not devices:
        out.write("no printers on this account\n")


# --- printer reports ---------------------------------------------------------


async def _open_link(
    args: argparse.Namespace,
    on_message: Callable[[str, dict[str, Any]], None],
    options: LinkOptions,
) -> PrinterLink:
    ca_pem = _ca_pem(args)
    if args.host:
        code = _required_access_code(args)
        link = PrinterLink.local(
            args.host,
            args.serial,
            code,
            on_message=on_message,
            port=args.port,
            ca_pem=ca_pem,
            options=options,
        )
    else:
        token = _token(args)
        async with aiohttp.ClientSession() as session:
            uid = await BambuCloud(session, _api_url(args), token=token).get_uid()
        context = None
        if ca_pem is None:
            # The system CAs come from disk: not in the event loop.
            context = await asyncio.to_thread(ssl.create_default_context)
        link = PrinterLink.cloud(
            uid,
            token,
            [args.serial],
            on_message=on_message,
            host=args.mqtt_host or REGIONS[args.region].mqtt_host,
            port=args.port,
            ssl_context=context,
            ca_pem=ca_pem,
            options=options,
        )
    await link.start()
    try:
        await link.wait_connected(args.timeout)
    except BaseException:
        await link.stop()
        raise
    return link


def _json(message: dict[str, Any]) -> str:
    return orjson.dumps(message, option=orjson.OPT_SORT_KEYS).decode()


async def _watch(args: argparse.Namespace, out: TextIO, _prompt: Prompt) -> None:
    reports: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    link = await _open_link(
        args,
        lambda _serial, message: reports.put_nowait(message),
        LinkOptions(connect_timeout=args.timeout),  # greets: a full report first
    )
    try:
        seen = 0
        while args.count is None or seen < args.count:
            out.write(_json(await reports.get()) + "\n")
            out.flush()
            seen += 1
    finally:
        await link.stop()


def _is_full_report(message: dict[str, Any]) -> bool:
    """A pushall's answer: ``msg`` 0, or (H2 firmware) no ``msg`` but everything."""
    report = message.get("print")
    if not isinstance(report, dict) or report.get("command") != "push_status":
        return False
    if "msg" in report:
        return report["msg"] in (0, "0")
    return len(report) >= FULL_REPORT_MIN_KEYS and "gcode_state" in report


async def _pushall(args: argparse.Namespace, out: TextIO, _prompt: Prompt) -> None:
    full: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    def on_message(_serial: str, message: dict[str, Any]) -> None:
        if _is_full_report(message) and not full.done():
            full.set_result(message)

    # No greeting: the one pushall is ours.
    options = LinkOptions(connect_timeout=args.timeout, greet=False)
    link = await _open_link(args, on_message, options)
    try:
        await link.publish(args.serial, commands.pushall())
        async with asyncio.timeout(args.timeout):
            message = await full
    except TimeoutError:
        raise ConnectError(
            ConnectionFailure.TIMEOUT,
            f"no full report from {args.serial} within {args.timeout:g} s",
        ) from None
    finally:
        await link.stop()
    out.write(_json(message) + "\n")


# --- camera and certificate ---------------------------------------------------


async def _camera(args: argparse.Namespace, out: TextIO, _prompt: Prompt) -> None:
    code = _required_access_code(args)
    camera = JpegCamera(
        args.host,
        code,
        port=args.port,
        ssl_context=local_ssl_context(_ca_pem(args)),
        timeout=args.timeout,
        serial=args.serial,
    )
    frame = await camera.snapshot()
    await asyncio.to_thread(args.output.write_bytes, frame)
    out.write(f"saved {len(frame)} bytes to {args.output}\n")


async def _check(args: argparse.Namespace, out: TextIO, _prompt: Prompt) -> None:
    """Check the address, the certificate (CA, serial) and the access code."""
    try:
        async with asyncio.timeout(args.timeout):
            _, writer = await asyncio.open_connection(args.host, args.port)
    except OSError as error:  # refused, no route, or the timeout
        raise ConnectError(
            ConnectionFailure.UNREACHABLE,
            f"{args.host}:{args.port} does not accept connections ({describe(error)})",
        ) from error
    writer.transport.abort()
    out.write(f"reachable: {args.host}:{args.port} accepts connections\n")

    context = local_ssl_context(_ca_pem(args))
    try:
        async with asyncio.timeout(args.timeout):
            _, writer = await asyncio.open_connection(args.host, args.port, ssl=context)
    except ssl.SSLCertVerificationError as error:
        raise ConnectError(
            ConnectionFailure.TLS,
            "the certificate does not lead to the trusted CA "
            f"({error.verify_message}): not this printer, or a device in between",
        ) from error
    try:
        certificate = writer.get_extra_info("peercert")
    finally:
        writer.transport.abort()
    out.write("certificate: chain verified against the trusted CA\n")
    named = certificate_serial(certificate)
    if named != args.serial:
        raise ConnectError(
            ConnectionFailure.SERIAL_MISMATCH,
            f"the certificate names {named or 'no serial'}, not {args.serial}",
        )
    out.write(f"certificate: names the serial {named}\n")

    code = _access_code(args)
    if code is None:
        out.write("login: not checked (no access code)\n")
        return
    info = await probe(
        args.host,
        args.serial,
        code,
        port=args.port,
        ssl_context=context,
        timeout=args.timeout,
    )
    out.write(f"login: accepted; the printer is a {detect_model(info).name}\n")
