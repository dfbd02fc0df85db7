"""The library's command line against the simulator, over real sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
import io
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from PIL import Image
import pytest

from custom_components.bambu_cloud.aiobambulab.cli import _is_full_report, run
from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from simulator.cloud import Kind
from simulator.world import Simulator

EMAIL = "maker@example.com"
PASSWORD = "s3cret-pass"
SECRETS = ("BAMBU_PASSWORD", "BAMBU_TOKEN", "BAMBU_ACCESS_CODE")
_MANY = {f"field_{index}": index for index in range(45)}  # a full report's size


@pytest.fixture
async def world(
    tmp_path: Path, socket_enabled: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Simulator]:
    """One account (signs in with an e-mail code) with a P1P and an X1C."""
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)
    simulator = Simulator(tmp_path / "world", rate_hz=0)
    simulator.add_account(EMAIL, PASSWORD, kind=Kind.CODE)
    await simulator.add_printer(EMAIL, "p1p-ams", name="Garage P1P")
    await simulator.add_printer(EMAIL, "x1c-multi-ams", name="Workshop X1C")
    async with simulator:
        yield simulator


@pytest.fixture
def ca_file(world: Simulator, tmp_path: Path) -> str:
    """The simulator's CA, which the commands trust instead of Bambu's."""
    path = tmp_path / "ca.pem"
    path.write_text(world.ca_pem)
    return str(path)


class Result:
    """What a command wrote and returned."""

    def __init__(self, status: int, out: str, err: str) -> None:
        self.status = status
        self.out = out
        self.err = err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


async def cli(
    *argv: str, answers: dict[str, Callable[[], str]] | None = None
) -> Result:
    """Run the command line in this event loop, answering its questions."""

    async def prompt(question: str, hidden: bool) -> str:
        for start, answer in (answers or {}).items():
            if question.startswith(start):
                assert hidden == (start == "Password"), question  # no echo
                return answer()
        raise AssertionError(f"unexpected question {question!r}")

    out, err = io.StringIO(), io.StringIO()
    status = await run(list(argv), out=out, err=err, prompt=prompt)
    return Result(status, out.getvalue(), err.getvalue())


def _serial(world: Simulator, name: str) -> str:
    return next(s for s, p in world.printers.items() if p.setup.name == name)


async def _token(world: Simulator) -> str:
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(session, world.api_url)
        await cloud.login(EMAIL, PASSWORD)
        await cloud.request_code(EMAIL)
        code = world.last_code(EMAIL)
        assert code is not None
        return await cloud.login_with_code(EMAIL, code)


def _lan(world: Simulator, name: str, ca_file: str) -> list[str]:
    serial = _serial(world, name)
    printer = world.printer(serial)
    return [
        "--host",
        "127.0.0.1",
        "--port",
        str(printer.lan_port),
        "--serial",
        serial,
        "--access-code",
        printer.access_code,
        "--ca-file",
        ca_file,
        "--timeout",
        "5",
    ]


# --- account -----------------------------------------------------------------


async def test_login_asks_for_the_emailed_code_and_prints_a_working_token(
    world: Simulator,
) -> None:
    answers = {
        "Password": lambda: PASSWORD,
        # Read when asked: the code exists once the command had it sent.
        "Code sent to": lambda: world.last_code(EMAIL) or "",
    }
    result = await cli(
        "login", "--api-url", world.api_url, "--email", EMAIL, answers=answers
    )
    assert result.status == 0, result.err
    fields = dict(line.split(": ", 1) for line in result.lines)
    assert set(fields) == {"uid", "token"}
    async with aiohttp.ClientSession() as session:
        cloud = BambuCloud(session, world.api_url, token=fields["token"])
        assert await cloud.get_uid() == fields["uid"]
        assert {d.serial for d in await cloud.get_devices()} == set(world.printers)


@pytest.mark.parametrize("blocked", [False, True])
async def test_login_with_an_authenticator_app(world: Simulator, blocked: bool) -> None:
    """The app's code; where Bambu blocks that check, the e-mailed code."""
    world.add_account("tfa@example.com", PASSWORD, kind=Kind.TFA)
    world.cloud.tfa_blocked = blocked
    mailed: list[str] = []

    def mailed_code() -> str:
        mailed.append(world.last_code("tfa@example.com") or "")
        return mailed[-1]

    answers = {
        "Password": lambda: PASSWORD,
        "Code of the authenticator app": lambda: world.cloud.tfa_code,
        "Code sent to": mailed_code,
    }
    result = await cli(
        *("login", "--api-url", world.api_url, "--email", "tfa@example.com"),
        answers=answers,
    )
    assert result.status == 0, result.err
    token = dict(line.split(": ", 1) for line in result.lines)["token"]
    async with aiohttp.ClientSession() as session:
        assert await BambuCloud(session, world.api_url, token=token).get_uid()
    assert bool(mailed) is blocked
    assert all(mailed)  # a code had been sent when it was asked for


async def test_login_with_a_wrong_code_fails_clearly(world: Simulator) -> None:
    result = await cli(
        "login",
        "--api-url",
        world.api_url,
        "--email",
        EMAIL,
        answers={"Password": lambda: PASSWORD, "Code sent to": lambda: "000000"},
    )
    assert result.status == 1
    assert result.out == ""
    assert result.err.startswith("failed: VerificationCodeInvalid")


async def test_printers_lists_the_account_without_secrets(world: Simulator) -> None:
    token = await _token(world)
    result = await cli("printers", "--api-url", world.api_url, "--token", token)
    assert result.status == 0, result.err
    rows = {line.split("\t")[0]: line.split("\t") for line in result.lines}
    p1p, x1c = _serial(world, "Garage P1P"), _serial(world, "Workshop X1C")
    assert rows[p1p][1:3] == ["P1P", "online"]
    assert rows[p1p][-1] == "Garage P1P"
    assert rows[x1c][1] == "X1 Carbon"
    codes = [world.printer(serial).access_code for serial in (p1p, x1c)]
    assert not any(code in result.out for code in codes)

    shown = await cli(
        "printers", "--api-url", world.api_url, "--token", token, "--access-codes"
    )
    assert shown.status == 0
    assert all(code in shown.out for code in codes)


async def test_a_command_without_a_token_says_how_to_get_one(
    world: Simulator,
) -> None:
    result = await cli("printers", "--api-url", world.api_url)
    assert result.status == 2
    assert "--token or set BAMBU_TOKEN" in result.err


# --- reports -----------------------------------------------------------------


async def test_watch_over_the_lan_prints_the_printers_reports(
    world: Simulator, ca_file: str
) -> None:
    result = await cli("watch", *_lan(world, "Garage P1P", ca_file), "--count", "2")
    assert result.status == 0, result.err
    messages = [orjson.loads(line) for line in result.lines]
    assert len(messages) == 2
    # The greeting's answers: the versions and a full report.
    commands = {next(iter(m.values()))["command"] for m in messages}
    assert commands == {"get_version", "push_status"}


async def test_watch_through_the_cloud(world: Simulator, ca_file: str) -> None:
    token = await _token(world)
    serial = _serial(world, "Workshop X1C")
    result = await cli(
        "watch",
        "--api-url",
        world.api_url,
        "--token",
        token,
        "--mqtt-host",
        "127.0.0.1",
        "--port",
        str(world.mqtt_port),
        "--ca-file",
        ca_file,
        "--serial",
        serial,
        "--count",
        "1",
    )
    assert result.status == 0, result.err
    (message,) = (orjson.loads(line) for line in result.lines)
    assert next(iter(message.values()))["command"] in {"get_version", "push_status"}


async def test_pushall_prints_the_full_report(world: Simulator, ca_file: str) -> None:
    printer = world.printer(_serial(world, "Garage P1P"))
    printer.firmware.state["nozzle_temper"] = 213.0
    result = await cli("pushall", *_lan(world, "Garage P1P", ca_file))
    assert result.status == 0, result.err
    (line,) = result.lines
    report = orjson.loads(line)["print"]
    assert report["command"] == "push_status"
    assert report["nozzle_temper"] == 213.0
    assert report["gcode_state"] == printer.firmware.state["gcode_state"]


async def test_watch_with_a_wrong_access_code_fails_as_credentials(
    world: Simulator, ca_file: str
) -> None:
    argv = _lan(world, "Garage P1P", ca_file)
    argv[argv.index("--access-code") + 1] = "00000000"
    result = await cli("watch", *argv, "--count", "1")
    assert result.status == 1
    assert result.err.startswith("failed: credentials")


# --- camera and certificate ---------------------------------------------------


async def test_camera_saves_one_frame(
    world: Simulator, ca_file: str, tmp_path: Path
) -> None:
    serial = _serial(world, "Garage P1P")
    printer = world.printer(serial)
    argv = _lan(world, "Garage P1P", ca_file)
    argv[argv.index("--port") + 1] = str(printer.extra_ports()["camera_port"])
    output = tmp_path / "frame.jpg"
    result = await cli("camera", *argv, "--output", str(output))
    assert result.status == 0, result.err
    assert result.out == f"saved {output.stat().st_size} bytes to {output}\n"
    with Image.open(output) as image:
        assert image.format == "JPEG"
        assert image.size == (1280, 720)


async def test_check_a_good_printer(world: Simulator, ca_file: str) -> None:
    result = await cli("check", *_lan(world, "Garage P1P", ca_file))
    assert result.status == 0, result.err
    serial = _serial(world, "Garage P1P")
    assert result.lines == [
        f"reachable: 127.0.0.1:{world.printer(serial).lan_port} accepts connections",
        "certificate: chain verified against the trusted CA",
        f"certificate: names the serial {serial}",
        "login: accepted; the printer is a P1P",
    ]


async def test_check_names_what_is_wrong(world: Simulator, ca_file: str) -> None:
    good = _lan(world, "Garage P1P", ca_file)

    def changed(option: str, value: str | None) -> list[str]:
        argv = list(good)
        at = argv.index(option)
        if value is None:
            del argv[at : at + 2]
        else:
            argv[at + 1] = value
        return argv

    other = _serial(world, "Workshop X1C")
    cases = {
        "serial_mismatch": changed("--serial", other),
        "tls": changed("--ca-file", None),  # Bambu's CA did not sign the fake
        "credentials": changed("--access-code", "00000000"),
    }
    for reason, argv in cases.items():
        result = await cli("check", *argv)
        assert result.status == 1, reason
        assert result.err.startswith(f"failed: {reason}: "), result.err
    without_code = await cli("check", *changed("--access-code", None))
    assert without_code.status == 0
    assert without_code.lines[-1] == "login: not checked (no access code)"


async def test_check_an_address_nobody_answers(
    world: Simulator, ca_file: str, unused_tcp_port: int
) -> None:
    argv = _lan(world, "Garage P1P", ca_file)
    argv[argv.index("--port") + 1] = str(unused_tcp_port)
    result = await cli("check", *argv)
    assert result.status == 1
    assert result.err.startswith("failed: unreachable: ")
    assert result.out == ""


async def test_usage_mistakes_exit_2_without_connecting(world: Simulator) -> None:
    assert (await cli("frobnicate")).status == 2
    assert (await cli("check", "--host", "127.0.0.1")).status == 2  # no --serial
    camera = await cli("camera", "--host", "127.0.0.1", "--serial", "01P00A000000000")
    assert camera.status == 2
    assert "--access-code or set BAMBU_ACCESS_CODE" in camera.err
    assert world.printers  # nothing above needed it


@pytest.mark.parametrize(
    ("report", "full"),
    [
        ({"command": "push_status", "msg": 0, "nozzle_temper": 20}, True),
        ({"command": "push_status", "msg": 1, "nozzle_temper": 20}, False),
        # H2-class firmware answers pushall without "msg".
        ({"command": "push_status", "gcode_state": "IDLE"} | _MANY, True),
        ({"command": "push_status"} | _MANY, False),  # no job state: a delta
        ({"command": "push_status", "gcode_state": "IDLE"}, False),
        ({"command": "extrusion_cali_get", "msg": 0}, False),
    ],
)
def test_what_counts_as_the_answer_to_pushall(
    report: dict[str, Any], full: bool
) -> None:
    assert _is_full_report({"print": report}) is full
