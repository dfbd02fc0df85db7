"""Tests of the Bambu cloud REST client against a fake cloud on a real socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
import logging
import socket

import aiohttp
from aiohttp.test_utils import TestServer
import pytest

from custom_components.bambu_cloud.aiobambulab.auth import MAX_LIFETIME, Tokens
from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.cloud_devices import (
    CloudDevice,
    FirmwareInfo,
)
from custom_components.bambu_cloud.aiobambulab.cloud_http import (
    CHINA_API,
    GLOBAL_API,
    MAX_RETRY_AFTER,
)
from custom_components.bambu_cloud.aiobambulab.cloud_messages import MessageKind
from custom_components.bambu_cloud.aiobambulab.cloud_signin import (
    RENEW_RETRY,
    LoginResult,
    LoginStep,
    region_for_url,
)
from custom_components.bambu_cloud.aiobambulab.cloud_tasks import (
    CloudTask,
    TaskOutcome,
    task_outcome,
)
from custom_components.bambu_cloud.aiobambulab.errors import (
    CloudUnavailable,
    InvalidCredentials,
    RateLimited,
    TokenExpired,
    TwoFactorUnavailable,
    UnexpectedResponse,
    UploadNotAvailable,
    VerificationCodeExpired,
    VerificationCodeInvalid,
)
from custom_components.bambu_cloud.aiobambulab.hosts import CHINA, GLOBAL, REGIONS
from simulator.cloud import (
    BIND,
    LOGIN,
    MESSAGES,
    NOTIFICATIONS,
    PREFERENCE,
    REFRESH,
    S3_QUERY,
    SEND_EMAIL,
    SEND_SMS,
    TASKS,
    TFA,
    UPLOAD,
    VERSION,
    Canned,
    FakeCloud,
    Fault,
    Kind,
)

DIRECT = "direct@example.com"
CODED = "coded@example.com"
PHONE = "+4915112345678"
TFA_USER = "tfa@example.com"
PASSWORD = "correct horse battery staple"
UID = 1234567


@pytest.fixture
async def fake(socket_enabled: None) -> AsyncGenerator[FakeCloud]:
    """The fake cloud, listening on loopback (the only host sockets may reach)."""
    cloud = FakeCloud()
    cloud.add_account(DIRECT, PASSWORD, Kind.DIRECT, UID)
    cloud.add_account(CODED, PASSWORD, Kind.CODE, UID + 1)
    cloud.add_account(PHONE, PASSWORD, Kind.CODE, UID + 2)
    cloud.add_account(TFA_USER, PASSWORD, Kind.TFA, UID + 3)
    server = TestServer(cloud.app, host="127.0.0.1")
    await server.start_server()
    cloud.base_url = str(server.make_url("")).rstrip("/")
    yield cloud
    cloud.release.set()  # let a deliberately slow handler finish
    await server.close()


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.fixture
def cloud(fake: FakeCloud, session: aiohttp.ClientSession) -> BambuCloud:
    """A client that is not logged in yet."""
    return BambuCloud(session, fake.base_url, timeout=5)


@pytest.fixture
def authed(fake: FakeCloud, session: aiohttp.ClientSession) -> BambuCloud:
    """A client built from a token the fake issued earlier."""
    return BambuCloud(session, fake.base_url, token=fake.issue_token(DIRECT))


# --- regions and construction -------------------------------------------------


def test_regions() -> None:
    assert REGIONS["global"] is GLOBAL
    assert REGIONS["china"] is CHINA
    assert GLOBAL.api_url == GLOBAL_API == "https://api.bambulab.com"
    assert GLOBAL.mqtt_host == "us.mqtt.bambulab.com"
    assert GLOBAL.tfa_url == "https://bambulab.com/api/sign-in/tfa"
    assert CHINA.api_url == CHINA_API == "https://api.bambulab.cn"
    assert CHINA.mqtt_host == "cn.mqtt.bambulab.com"
    assert CHINA.tfa_url == "https://bambulab.cn/api/sign-in/tfa"
    assert region_for_url("https://api.bambulab.cn/") is CHINA
    assert region_for_url("http://127.0.0.1:8080") is None


async def test_tfa_url_follows_the_region(session: aiohttp.ClientSession) -> None:
    assert BambuCloud(session).tfa_url == GLOBAL.tfa_url
    assert BambuCloud(session).base_url == GLOBAL_API
    assert BambuCloud(session, CHINA_API + "/").tfa_url == CHINA.tfa_url
    fake_cloud = BambuCloud(session, "http://127.0.0.1:1234/")
    assert fake_cloud.base_url == "http://127.0.0.1:1234"
    assert fake_cloud.tfa_url == "http://127.0.0.1:1234/api/sign-in/tfa"
    explicit = BambuCloud(session, GLOBAL_API, tfa_url="http://127.0.0.1:9/x")
    assert explicit.tfa_url == "http://127.0.0.1:9/x"
    assert BambuCloud(session).token is None
    assert BambuCloud(session, token="abc").token == "abc"


# --- password login -----------------------------------------------------------


async def test_password_login_gives_a_token(fake: FakeCloud, cloud: BambuCloud) -> None:
    result = await cloud.login(DIRECT, PASSWORD)

    assert result.needs is None
    assert result.token is not None
    assert fake.tokens[result.token] == DIRECT
    assert cloud.token == result.token
    assert fake.requests_to(LOGIN)[0].json() == {
        "account": DIRECT,
        "password": PASSWORD,
    }
    # The stored token authenticates the following calls.
    assert await cloud.get_devices() == []
    assert fake.requests_to(BIND)[0].headers["Authorization"] == (
        f"Bearer {result.token}"
    )


def test_login_result_repr_hides_secrets() -> None:
    shown = repr(LoginResult(token="tok-secret", tfa_key="key-secret"))
    assert "tok-secret" not in shown
    assert "key-secret" not in shown


async def test_email_code_login(fake: FakeCloud, cloud: BambuCloud) -> None:
    result = await cloud.login(CODED, PASSWORD)
    assert result == LoginResult(needs=LoginStep.CODE)
    assert cloud.token is None

    await cloud.request_code(CODED)
    assert fake.requests_to(SEND_EMAIL)[0].json() == {
        "email": CODED,
        "type": "codeLogin",
    }
    assert fake.sent == [("email", CODED)]

    token = await cloud.login_with_code(CODED, fake.codes[CODED])
    assert fake.tokens[token] == CODED
    assert cloud.token == token
    assert fake.requests_to(LOGIN)[-1].json()["account"] == CODED
    assert await cloud.get_uid() == str(UID + 1)  # the fake's preference answer


async def test_phone_code_login(fake: FakeCloud, cloud: BambuCloud) -> None:
    assert (await cloud.login(PHONE, PASSWORD)).needs is LoginStep.CODE

    await cloud.request_code(PHONE)

    assert fake.requests_to(SEND_EMAIL) == []
    assert fake.requests_to(SEND_SMS)[0].json() == {
        "phone": PHONE,
        "type": "codeLogin",
    }
    token = await cloud.login_with_code(PHONE, fake.codes[PHONE])
    assert fake.tokens[token] == PHONE


async def test_wrong_code(fake: FakeCloud, cloud: BambuCloud) -> None:
    await cloud.request_code(CODED)
    wrong = "000000" if fake.codes[CODED] != "000000" else "111111"

    with pytest.raises(VerificationCodeInvalid):
        await cloud.login_with_code(CODED, wrong)
    assert cloud.token is None


async def test_expired_code_then_a_new_one(fake: FakeCloud, cloud: BambuCloud) -> None:
    await cloud.request_code(CODED)
    old = fake.expire_code(CODED)

    with pytest.raises(VerificationCodeExpired):
        await cloud.login_with_code(CODED, old)

    await cloud.request_code(CODED)
    token = await cloud.login_with_code(CODED, fake.codes[CODED])
    assert fake.tokens[token] == CODED


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(200, {"code": 1, "error": "expired"}), VerificationCodeExpired),
        (Canned(200, {"code": 2, "error": "wrong"}), VerificationCodeInvalid),
        (Canned(401, {"message": "no"}), VerificationCodeInvalid),
        (Canned(200, {"message": "success"}), UnexpectedResponse),
        (Canned(404, {}), UnexpectedResponse),
        (Canned(200, b"<html>"), UnexpectedResponse),
        (Canned(503, {}), CloudUnavailable),
    ],
)
async def test_code_login_odd_answers(
    fake: FakeCloud, cloud: BambuCloud, answer: Canned, error: type[Exception]
) -> None:
    fake.fail(LOGIN, answer)
    with pytest.raises(error):
        await cloud.login_with_code(CODED, "123456")
    assert cloud.token is None


@pytest.mark.parametrize(
    "answer",
    [
        Canned(400, {"code": 5, "error": "Incorrect password"}),
        Canned(401, {"message": "Unauthorized"}),
        Canned(200, {"code": 5, "error": "Incorrect password"}),
        Canned(200, {"success": False, "message": "Incorrect password"}),
    ],
)
async def test_wrong_password(
    fake: FakeCloud, cloud: BambuCloud, answer: Canned
) -> None:
    fake.wrong_password = answer
    with pytest.raises(InvalidCredentials) as caught:
        await cloud.login(DIRECT, "not the password")
    assert "not the password" not in str(caught.value)
    assert DIRECT not in str(caught.value)
    assert caught.value.key == "invalid_auth"
    assert cloud.token is None


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(200, {"message": "success"}), UnexpectedResponse),
        (Canned(200, {"loginType": "tfa", "tfaKey": ""}), UnexpectedResponse),
        (Canned(200, b"{oops"), UnexpectedResponse),
        (Canned(200, ["not", "an", "object"]), UnexpectedResponse),
        (Canned(403, b"<html>Cloudflare</html>"), UnexpectedResponse),
        (Canned(502, b"bad gateway"), CloudUnavailable),
    ],
)
async def test_login_odd_answers(
    fake: FakeCloud, cloud: BambuCloud, answer: Canned, error: type[Exception]
) -> None:
    fake.fail(LOGIN, answer)
    with pytest.raises(error):
        await cloud.login(DIRECT, PASSWORD)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        ("2.5", 2.5),
        ("-5", 0.0),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date already past
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),  # the same, without a zone
    ],
)
async def test_rate_limited_login(
    fake: FakeCloud, cloud: BambuCloud, header: str | None, expected: float | None
) -> None:
    fake.retry_after = header
    fake.fail(LOGIN, Fault.RATE_LIMITED)
    with pytest.raises(RateLimited) as caught:
        await cloud.login(DIRECT, PASSWORD)
    assert caught.value.retry_after == expected


async def test_retry_after_in_the_near_future(
    fake: FakeCloud, cloud: BambuCloud
) -> None:
    when = datetime.now(UTC) + timedelta(minutes=10)
    fake.retry_after = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    fake.fail(LOGIN, Fault.RATE_LIMITED)
    with pytest.raises(RateLimited) as caught:
        await cloud.login(DIRECT, PASSWORD)
    assert caught.value.retry_after is not None
    assert 590 <= caught.value.retry_after <= 600


@pytest.mark.parametrize(
    "header",
    [
        "inf",
        "Infinity",
        "1e300",
        "99999999999999999999",
        "Fri, 01 Jan 2100 00:00:00 GMT",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ],
)
async def test_unbounded_retry_after_is_capped_and_logged(
    fake: FakeCloud,
    cloud: BambuCloud,
    caplog: pytest.LogCaptureFixture,
    header: str,
) -> None:
    """Waiting forever (or for years) would stop polling for good."""
    fake.retry_after = header
    fake.fail(LOGIN, Fault.RATE_LIMITED)
    with pytest.raises(RateLimited) as caught:
        await cloud.login(DIRECT, PASSWORD)
    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert caught.value.placeholders["retry_after"] == "3600"
    assert "waiting 3600 seconds instead" in caplog.text


@pytest.mark.parametrize("header", ["nan", "-inf", "Sat, 01 Jan 10000 00:00:00 GMT"])
async def test_nonsense_retry_after_is_ignored_or_zero(
    fake: FakeCloud, cloud: BambuCloud, header: str
) -> None:
    fake.retry_after = header
    fake.fail(LOGIN, Fault.RATE_LIMITED)
    with pytest.raises(RateLimited) as caught:
        await cloud.login(DIRECT, PASSWORD)
    assert caught.value.retry_after in (None, 0.0)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(400, {"code": 4, "error": "Cannot send"}), UnexpectedResponse),
        (Canned(200, {"code": 7, "error": "Try later"}), UnexpectedResponse),
        (Canned(429, {}, {"Retry-After": "60"}), RateLimited),
        (Canned(500, {}), CloudUnavailable),
    ],
)
async def test_request_code_refused(
    fake: FakeCloud, cloud: BambuCloud, answer: Canned, error: type[Exception]
) -> None:
    fake.fail(SEND_EMAIL, answer)
    with pytest.raises(error):
        await cloud.request_code(CODED)


async def test_request_code_accepts_an_empty_answer(
    fake: FakeCloud, cloud: BambuCloud
) -> None:
    fake.fail(SEND_SMS, Canned(200, b""))
    await cloud.request_code(PHONE)
    assert len(fake.requests_to(SEND_SMS)) == 1


# --- authenticator (2FA) ------------------------------------------------------


async def test_tfa_login_with_cookie(fake: FakeCloud, cloud: BambuCloud) -> None:
    result = await cloud.login(TFA_USER, PASSWORD)
    assert result.needs is LoginStep.TFA
    assert result.tfa_key in fake.tfa_keys
    assert result.token is None

    token = await cloud.login_with_tfa(result.tfa_key or "", fake.tfa_code)

    assert fake.tokens[token] == TFA_USER
    assert cloud.token == token
    assert fake.requests_to(TFA)[0].json() == {
        "tfaKey": result.tfa_key,
        "tfaCode": fake.tfa_code,
    }
    assert await cloud.get_uid() == str(UID + 3)


async def test_tfa_login_with_token_in_body(fake: FakeCloud, cloud: BambuCloud) -> None:
    fake.tfa_token_in_body = True
    result = await cloud.login(TFA_USER, PASSWORD)
    token = await cloud.login_with_tfa(result.tfa_key or "", fake.tfa_code)
    assert fake.tokens[token] == TFA_USER


async def test_tfa_wrong_code(fake: FakeCloud, cloud: BambuCloud) -> None:
    result = await cloud.login(TFA_USER, PASSWORD)
    with pytest.raises(VerificationCodeInvalid):
        await cloud.login_with_tfa(result.tfa_key or "", "999999")
    assert cloud.token is None


async def test_tfa_blocked_falls_back_to_an_email_code(
    fake: FakeCloud, cloud: BambuCloud
) -> None:
    fake.tfa_blocked = True
    result = await cloud.login(TFA_USER, PASSWORD)

    with pytest.raises(TwoFactorUnavailable):
        await cloud.login_with_tfa(result.tfa_key or "", fake.tfa_code)

    # What the config flow does next: an email code instead.
    await cloud.request_code(TFA_USER)
    token = await cloud.login_with_code(TFA_USER, fake.codes[TFA_USER])
    assert fake.tokens[token] == TFA_USER
    assert cloud.token == token


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(200, {"success": True}), TwoFactorUnavailable),
        (Canned(200, b"<html>sign in</html>"), TwoFactorUnavailable),
        (Canned(404, b"not found"), TwoFactorUnavailable),
        (Canned(200, {"code": 2, "error": "Invalid code"}), VerificationCodeInvalid),
        (Canned(429, {}), RateLimited),
        (Canned(500, {}), CloudUnavailable),
    ],
)
async def test_tfa_odd_answers(
    fake: FakeCloud, cloud: BambuCloud, answer: Canned, error: type[Exception]
) -> None:
    fake.fail(TFA, answer)
    with pytest.raises(error):
        await cloud.login_with_tfa("key", "123456")
    assert cloud.token is None


# --- uid ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preference", "uid"),
    [({"uid": 987654321}, "987654321"), ({"uid": "55"}, "55")],
)
async def test_uid_from_preference(
    fake: FakeCloud, authed: BambuCloud, preference: dict[str, object], uid: str
) -> None:
    fake.preference = preference
    assert await authed.get_uid() == uid
    assert fake.requests_to(PREFERENCE)[0].headers["Authorization"] == (
        f"Bearer {authed.token}"
    )


@pytest.mark.parametrize(
    "answer",
    [
        Canned(200, {"name": "no uid here"}),
        Canned(200, {"uid": None}),
        Canned(404, {"error": "not found"}),
        Canned(200, b"garbage"),
    ],
)
async def test_uid_falls_back_to_the_jwt(
    fake: FakeCloud, authed: BambuCloud, answer: Canned
) -> None:
    fake.fail(PREFERENCE, answer)
    assert await authed.get_uid() == str(UID)  # from the "u_<uid>" claim


def _jwt(payload: str) -> str:
    return f"eyJhbGciOiJub25lIn0.{payload}.sig"


@pytest.mark.parametrize(
    "token",
    [
        "opaque-token",
        _jwt("!!!not-base64!!!"),
        _jwt("bm90IGpzb24"),  # "not json"
        _jwt("WzFd"),  # [1]
        _jwt("eyJ1c2VybmFtZSI6ImJvYiJ9"),  # {"username":"bob"}
        _jwt("eyJ1c2VybmFtZSI6InVfIn0"),  # {"username":"u_"}
    ],
)
async def test_uid_unknown(
    fake: FakeCloud, session: aiohttp.ClientSession, token: str
) -> None:
    fake.tokens[token] = DIRECT
    fake.preference = {"name": "no uid"}
    client = BambuCloud(session, fake.base_url, token=token)
    with pytest.raises(UnexpectedResponse):
        await client.get_uid()


async def test_uid_does_not_hide_an_expired_token(
    fake: FakeCloud, authed: BambuCloud
) -> None:
    fake.tokens.clear()  # the cloud revoked every token
    with pytest.raises(TokenExpired):
        await authed.get_uid()


# --- devices --------------------------------------------------------------------


async def test_devices(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.devices = [
        {
            "dev_id": "01P00A000000001",
            "name": "P1S 1",
            "online": True,
            "print_status": "ACTIVE",
            "dev_model_name": "C12",
            "dev_product_name": "P1S",
            "dev_access_code": "12345678\n",  # as the real cloud sends it
            "nozzle_diameter": 0.4,
        },
        {"dev_id": "00M00A000000002", "online": "false"},  # most fields missing
        {"dev_id": 3, "online": 1, "name": ""},
        {"name": "no serial"},
        {"dev_id": ""},
        "not a dict",
    ]

    devices = await authed.get_devices()

    assert [d.serial for d in devices] == ["01P00A000000001", "00M00A000000002", "3"]
    first, second, third = devices
    assert first.name == "P1S 1"
    assert first.online is True
    assert first.print_status == "ACTIVE"
    assert first.model_name == "C12"
    assert first.product_name == "P1S"
    assert first.access_code == "12345678"
    assert first.raw["nozzle_diameter"] == 0.4
    assert "12345678" not in repr(first)
    assert second == CloudDevice(
        serial="00M00A000000002",
        name=None,
        online=False,
        print_status=None,
        model_name=None,
        product_name=None,
        access_code=None,
        raw={"dev_id": "00M00A000000002", "online": "false"},
    )
    assert third.online is True
    assert third.name is None


async def test_no_devices(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.devices = None
    assert await authed.get_devices() == []


async def test_no_devices_is_odd_when_printers_are_known(
    fake: FakeCloud, authed: BambuCloud
) -> None:
    """A caller that knows printers does not read null as "all of them left"."""
    fake.devices = None
    with pytest.raises(UnexpectedResponse):
        await authed.get_devices(null_is_empty=False)


@pytest.mark.parametrize(
    "answer",
    [
        Canned(200, {"message": "success"}),
        Canned(200, {"devices": {"dev_id": "x"}}),
        Canned(200, [{"dev_id": "x"}]),
    ],
)
async def test_devices_unusable(
    fake: FakeCloud, authed: BambuCloud, answer: Canned
) -> None:
    fake.fail(BIND, answer)
    with pytest.raises(UnexpectedResponse):
        await authed.get_devices()


# --- tasks ----------------------------------------------------------------------


def _task(task_id: int, device: str, **extra: object) -> dict[str, object]:
    return {"id": task_id, "deviceId": device, "title": f"task {task_id}", **extra}


async def test_tasks_paging(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.tasks = [
        _task(110, "SN1"),
        _task(108, "SN2"),
        _task(105, "SN1"),
        _task(104, "SN1"),
        _task(101, "SN1"),
        _task(100, "SN1"),
    ]

    page = await authed.get_tasks(device_id="SN1", after=105, limit=2)

    assert fake.requests_to(TASKS)[0].query == {
        "deviceId": "SN1",
        "after": "105",
        "limit": "2",
    }
    assert page.total == 3
    assert [t.id for t in page.tasks] == ["104", "101"]

    everything = await authed.get_tasks()
    assert fake.requests_to(TASKS)[1].query == {"limit": "20"}
    assert everything.total == 6
    assert len(everything.tasks) == 6


async def test_task_fields(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.tasks = [
        {
            "id": 987654321,
            "designId": 0,
            "designTitle": "Benchy",
            "title": "",
            "cover": "https://public-cdn.bblmw.com/cover.png",
            "status": 2,
            "weight": 12.6,
            "length": "1850.2",
            "costTime": 3348,
            "startTime": "2022-11-22T01:58:10Z",
            "endTime": "2022-11-22T02:54:12Z",
            "deviceId": "SN1",
            "plateIndex": 1,
            "amsDetailMapping": [{"ams": 0, "filamentType": "PLA"}, "junk"],
            "bedType": "textured_plate",
            "mode": "cloud_file",
        },
        {"id": "x1", "status": "failed", "weight": "heavy", "costTime": "3600"},
        {"status": True, "startTime": "yesterday", "amsDetailMapping": "none"},
    ]

    page = await authed.get_tasks()

    full, odd, empty = page.tasks
    assert full.id == "987654321"
    assert full.title == "Benchy"
    assert full.cover == "https://public-cdn.bblmw.com/cover.png"
    assert full.status == 2
    assert full.weight == 12.6
    assert full.length == 1850.2
    assert full.cost_time == 3348
    assert full.start_time == datetime(2022, 11, 22, 1, 58, 10, tzinfo=UTC)
    assert full.end_time == datetime(2022, 11, 22, 2, 54, 12, tzinfo=UTC)
    assert full.start_time.tzinfo is not None
    assert full.device_id == "SN1"
    assert full.plate_index == 1
    assert full.ams_mapping == [{"ams": 0, "filamentType": "PLA"}]
    assert full.bed_type == "textured_plate"
    assert full.mode == "cloud_file"
    assert full.raw["designId"] == 0
    assert (odd.id, odd.status, odd.weight, odd.cost_time) == (
        "x1",
        "failed",
        None,
        3600,
    )
    assert odd.title is None
    assert empty.id is None
    assert empty.status is None
    assert empty.start_time is None
    assert empty.ams_mapping == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-24T10:00:00+02:00", datetime(2024, 10, 24, 8, 0, tzinfo=UTC)),
        ("2024-10-24T10:00:00", datetime(2024, 10, 24, 10, 0, tzinfo=UTC)),
        ("0001-01-01T00:00:00Z", None),  # Go's zero time: not finished
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        (0, None),
        (1e20, None),
        (None, None),
        (False, None),
    ],
)
def test_task_times(value: object, expected: datetime | None) -> None:
    task = CloudTask.from_json({"startTime": value})
    assert task.start_time == expected
    if task.start_time is not None:
        assert task.start_time.utcoffset() is not None


def test_task_numbers() -> None:
    task = CloudTask.from_json(
        {"plateIndex": 2.0, "costTime": 1.5, "weight": True, "length": 3}
    )
    assert task.plate_index == 2
    assert task.cost_time is None
    assert task.weight is None
    assert task.length == 3.0
    assert CloudTask.from_json({"plateIndex": [1]}).plate_index is None
    assert CloudTask.from_json({"plateIndex": True}).plate_index is None
    assert CloudTask.from_json({"plateIndex": "first"}).plate_index is None
    assert CloudTask.from_json({"plateIndex": " 3 "}).plate_index == 3
    assert CloudTask.from_json({"title": True, "designTitle": 7}).title == "7"


async def test_tasks_other_shape(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.fail(
        TASKS,
        Canned(
            200,
            {
                "tasks": [{"id": "1", "designTitle": "Cube"}],
                "hits": {"total": {"value": 156, "relation": "eq"}},
            },
        ),
    )
    page = await authed.get_tasks()
    assert page.total == 156
    assert [t.title for t in page.tasks] == ["Cube"]


@pytest.mark.parametrize(
    ("body", "total"),
    [
        ({"total": 0, "hits": None}, 0),
        ({"hits": {"total": "many"}}, 0),
        ({"hits": [{"id": 1}, {"id": 2}]}, 2),
    ],
)
async def test_tasks_sparse(
    fake: FakeCloud, authed: BambuCloud, body: dict[str, object], total: int
) -> None:
    fake.fail(TASKS, Canned(200, body))
    page = await authed.get_tasks()
    assert page.total == total


async def test_tasks_unusable(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.fail(TASKS, Canned(200, {"message": "success"}))
    with pytest.raises(UnexpectedResponse):
        await authed.get_tasks()


# --- firmware ---------------------------------------------------------------------


async def test_firmware_devices_shape(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.firmware = {
        "message": "success",
        "code": None,
        "error": None,
        "devices": [
            {"dev_id": "OTHER", "version": "09.00.00.00", "firmware": []},
            {
                "dev_id": "SN1",
                "version": "01.07.00.00",
                "firmware": [
                    {"version": "01.08.00.00", "description": "older notes"},
                    {
                        "version": "01.08.01.00",
                        "description": "## 01.08.01.00\n- fixes",
                        "release_time": "2025-03-01T08:00:00Z",
                        "force_update": False,
                    },
                    {"description": "no version"},
                ],
                "ams": [{"dev_model_name": "AMS08", "firmware": []}],
            },
        ],
    }

    info = await authed.get_firmware("SN1")

    assert info.current == "01.07.00.00"
    assert info.latest == "01.08.01.00"
    assert info.release_notes == "## 01.08.01.00\n- fixes"
    assert info.release_time == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert info.update_available is True
    assert info.raw["devices"][1]["ams"][0]["dev_model_name"] == "AMS08"
    query = fake.requests_to(VERSION)[0].query
    assert query["device_id"] == "SN1"
    assert query["dev_id"] == "SN1"


async def test_firmware_devices_shape_up_to_date(
    fake: FakeCloud, authed: BambuCloud
) -> None:
    fake.firmware = {
        "devices": [
            {"version": "01.08.01.00", "firmware": [{"version": "01.08.01.00"}]}
        ]
    }
    info = await authed.get_firmware("SN1")
    assert (info.current, info.latest, info.update_available) == (
        "01.08.01.00",
        "01.08.01.00",
        False,
    )
    assert info.release_notes is None


async def test_firmware_devices_shape_empty(
    fake: FakeCloud, authed: BambuCloud
) -> None:
    fake.firmware = {"devices": []}
    info = await authed.get_firmware("SN1")
    assert (info.current, info.latest, info.release_notes, info.update_available) == (
        None,
        None,
        None,
        None,
    )


async def test_firmware_data_shape(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.firmware = {
        "code": 0,
        "data": {
            "current_version": "01.07.00.00",
            "latest_version": "01.08.00.00",
            "update_available": False,  # the cloud's word wins
            "release_notes": "notes",
        },
    }
    info = await authed.get_firmware("SN1")
    assert info.current == "01.07.00.00"
    assert info.latest == "01.08.00.00"
    assert info.update_available is False
    assert info.release_notes == "notes"
    assert info.release_time is None


def test_firmware_data_shape_computes_update() -> None:
    info = FirmwareInfo.from_json(
        {"data": {"current_version": "01.07.00.00", "latest_version": "01.10.00.00"}},
        "SN1",
    )
    assert info.update_available is True  # 10 > 7, not a text comparison
    assert "raw" not in repr(info)


async def test_firmware_unusable(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.firmware = {"message": "success"}
    with pytest.raises(UnexpectedResponse):
        await authed.get_firmware("SN1")


# --- messages and notifications -----------------------------------------------------


async def test_messages(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.messages = {
        "hits": [
            {"id": 1, "type": 6, "taskMessage": {"title": "Untitled", "status": 2}},
            "junk",
        ]
    }
    messages = await authed.get_messages()
    assert messages == [
        {"id": 1, "type": 6, "taskMessage": {"title": "Untitled", "status": 2}}
    ]
    assert fake.requests_to(MESSAGES)[0].headers["Authorization"].startswith("Bearer ")


async def test_notifications(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.notifications = {
        "code": 0,
        "data": {"notifications": [{"id": "n1", "type": "print_complete"}]},
    }
    assert await authed.get_notifications() == [{"id": "n1", "type": "print_complete"}]
    assert len(fake.requests_to(NOTIFICATIONS)) == 1


async def test_account_messages_are_typed(fake: FakeCloud, authed: BambuCloud) -> None:
    """Messages and notifications come back as one typed list; junk is dropped."""
    fake.messages = {
        "hits": [{"id": 1, "type": 6, "taskMessage": {"title": "Cube"}}, {"x": 1}]
    }
    fake.notifications = {
        "code": 0,
        "data": {"notifications": [{"id": "n1", "type": "print_complete"}]},
    }
    messages = await authed.get_account_messages()
    assert [(m.kind, m.id) for m in messages] == [
        (MessageKind.MESSAGE, "1"),
        (MessageKind.NOTIFICATION, "n1"),
    ]
    assert messages[0].text == "Cube"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([{"id": 1}], [{"id": 1}]),
        ({"messages": [{"id": 2}]}, [{"id": 2}]),
        ({"message": "success", "list": [{"id": 3}]}, [{"id": 3}]),
        ({"data": [{"id": 4}]}, [{"id": 4}]),
        ({"message": "success", "data": None}, []),
        ({}, []),
    ],
)
async def test_message_shapes(
    fake: FakeCloud, authed: BambuCloud, body: object, expected: list[object]
) -> None:
    fake.messages = body
    assert await authed.get_messages() == expected


async def test_messages_unusable(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.notifications = "nope"
    with pytest.raises(UnexpectedResponse):
        await authed.get_notifications()


# --- upload ---------------------------------------------------------------------------


async def test_upload(fake: FakeCloud, authed: BambuCloud) -> None:
    payload = bytes(range(256)) * 40 + b"\x00end"

    await authed.upload("benchy.3mf", payload)

    ask = fake.requests_to(UPLOAD)[0]
    assert ask.query == {"filename": "benchy.3mf", "size": str(len(payload))}
    assert ask.headers["Authorization"] == f"Bearer {authed.token}"

    stored = fake.bucket["filename"]
    assert stored.body == payload
    assert stored.values("Content-Type") == ["application/octet-stream"]
    assert stored.values("Authorization") == []
    assert stored.raw_path.endswith(S3_QUERY)  # signature not re-quoted
    # Nothing beyond what any HTTP client sends, or S3's signature breaks.
    allowed = {
        "host",
        "accept",
        "accept-encoding",
        "user-agent",
        "content-length",
        "content-type",
    }
    assert {name.lower() for name, _ in stored.headers} <= allowed

    size = fake.bucket["size"]
    assert size.body == str(len(payload)).encode()
    assert size.values("Content-Type") == ["text/plain"]
    assert size.values("Authorization") == []
    # The file went up before its size.
    puts = [s.path for s in fake.seen if s.method == "PUT"]
    assert puts == [
        "/s3/filename/benchy.3mf",
        f"/s3/size/{len(payload)}",
    ]


async def test_upload_not_available(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.upload_enabled = False
    with pytest.raises(UploadNotAvailable):
        await authed.upload("benchy.3mf", b"data")
    assert fake.bucket == {}


@pytest.mark.parametrize(
    "body",
    [
        {"message": "success", "urls": []},
        {"message": "success"},
        {"urls": [{"type": "filename", "url": "http://127.0.0.1:1/x"}]},
        {"urls": [{"type": "size"}, "junk"]},
    ],
)
async def test_upload_without_urls(
    fake: FakeCloud, authed: BambuCloud, body: dict[str, object]
) -> None:
    fake.fail(UPLOAD, Canned(200, body))
    with pytest.raises(UploadNotAvailable):
        await authed.upload("benchy.3mf", b"data")


async def test_upload_with_expired_token(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.tokens.clear()
    with pytest.raises(TokenExpired):
        await authed.upload("benchy.3mf", b"data")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Canned(403, b"SignatureDoesNotMatch"), UnexpectedResponse),
        (Canned(503, b"SlowDown"), CloudUnavailable),
    ],
)
async def test_upload_refused_by_storage(
    fake: FakeCloud, authed: BambuCloud, answer: Canned, error: type[Exception]
) -> None:
    fake.fail("/s3/filename/benchy.3mf", answer)
    with pytest.raises(error):
        await authed.upload("benchy.3mf", b"data")
    assert "size" not in fake.bucket


# --- token, faults and transport -------------------------------------------------------


async def test_existing_token_works_everywhere(
    fake: FakeCloud, authed: BambuCloud
) -> None:
    fake.devices = [{"dev_id": "SN1"}]
    fake.firmware = {"devices": []}

    assert await authed.get_uid() == str(UID)
    assert len(await authed.get_devices()) == 1
    assert (await authed.get_tasks()).total == 0
    await authed.get_firmware("SN1")
    await authed.get_messages()
    await authed.get_notifications()
    await authed.upload("a.3mf", b"x")

    api_calls = [s for s in fake.seen if s.method == "GET"]
    assert len(api_calls) == 7
    for seen in api_calls:
        assert seen.headers["Authorization"] == f"Bearer {authed.token}"
    assert fake.requests_to(LOGIN) == []


async def test_revoked_token(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.tokens.clear()  # the user changed the password, say
    with pytest.raises(TokenExpired) as caught:
        await authed.get_devices()
    assert caught.value.key == "token_expired"
    assert authed.token is not None
    assert authed.token not in str(caught.value)


@pytest.mark.parametrize("path", [BIND, TASKS, MESSAGES, NOTIFICATIONS, VERSION])
async def test_401(fake: FakeCloud, authed: BambuCloud, path: str) -> None:
    fake.fail(path, Fault.UNAUTHORIZED)
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        BIND: authed.get_devices,
        TASKS: authed.get_tasks,
        MESSAGES: authed.get_messages,
        NOTIFICATIONS: authed.get_notifications,
        VERSION: lambda: authed.get_firmware("SN1"),
    }
    with pytest.raises(TokenExpired):
        await calls[path]()


@pytest.mark.parametrize(
    "answer",
    [
        Canned(200, {"code": 1001, "message": "Invalid token", "error": "TOKEN"}),
        Canned(400, {"code": 1002, "message": "Token expired"}),
        Canned(403, {"code": "1001", "message": "Invalid token"}),
    ],
)
async def test_token_body_codes(
    fake: FakeCloud, authed: BambuCloud, answer: Canned
) -> None:
    fake.fail(BIND, answer)
    with pytest.raises(TokenExpired):
        await authed.get_devices()


async def test_not_logged_in(fake: FakeCloud, cloud: BambuCloud) -> None:
    with pytest.raises(TokenExpired):
        await cloud.get_devices()
    assert fake.seen == []  # refused before sending anything


async def test_rate_limited_call(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.retry_after = "30"
    fake.fail(BIND, Fault.RATE_LIMITED)
    with pytest.raises(RateLimited) as caught:
        await authed.get_devices()
    assert caught.value.retry_after == 30.0


async def test_server_error(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.fail(BIND, Fault.SERVER_ERROR)
    with pytest.raises(CloudUnavailable) as caught:
        await authed.get_devices()
    assert caught.value.key == "cannot_connect"


async def test_invalid_json(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.fail(BIND, Fault.INVALID_JSON)
    with pytest.raises(UnexpectedResponse):
        await authed.get_devices()


async def test_other_client_error(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.fail(BIND, Canned(404, {"error": "Not Found"}))
    with pytest.raises(UnexpectedResponse):
        await authed.get_devices()


async def test_timeout(fake: FakeCloud, session: aiohttp.ClientSession) -> None:
    fake.fail(LOGIN, Fault.SLOW)
    impatient = BambuCloud(session, fake.base_url, timeout=0.05)
    with pytest.raises(CloudUnavailable):
        await impatient.login(DIRECT, PASSWORD)
    assert len(fake.requests_to(LOGIN)) == 1  # it did reach the server


async def test_connection_refused(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on that port any more.
    client = BambuCloud(session, f"http://127.0.0.1:{port}", token="t")
    with pytest.raises(CloudUnavailable):
        await client.get_devices()
    with pytest.raises(CloudUnavailable):
        await client.login(DIRECT, PASSWORD)


# --- renewing the sign-in ----------------------------------------------------------------


class _Clock:
    """The client's idea of now, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def renewing(
    fake: FakeCloud, session: aiohttp.ClientSession, clock: _Clock
) -> BambuCloud:
    """A client that is not logged in yet, on the test's clock."""
    return BambuCloud(session, fake.base_url, timeout=5, clock=clock)


async def test_login_keeps_the_refresh_token_and_lifetime(
    fake: FakeCloud, renewing: BambuCloud, clock: _Clock
) -> None:
    fake.token_lifetime = 7776000
    await renewing.login(DIRECT, PASSWORD)
    tokens = renewing.tokens
    assert tokens is not None
    assert tokens.access == renewing.token
    assert tokens.refresh in fake.refresh_tokens
    assert tokens.refresh != tokens.access
    assert tokens.lifetime == 7776000
    assert tokens.expires_at == clock.now + 7776000
    # Renewed a week before it expires (a fifth of a short lifetime).
    assert tokens.renew_at() == tokens.expires_at - 7 * 24 * 3600
    assert tokens.access not in repr(tokens)
    assert str(tokens.refresh) not in repr(tokens)


async def test_code_and_tfa_logins_keep_the_refresh_token(
    fake: FakeCloud, renewing: BambuCloud
) -> None:
    await renewing.login(CODED, PASSWORD)
    await renewing.request_code(CODED)
    await renewing.login_with_code(CODED, fake.codes[CODED])
    assert renewing.tokens is not None
    assert renewing.tokens.refresh in fake.refresh_tokens
    fake.tfa_token_in_body = True
    result = await renewing.login(TFA_USER, PASSWORD)
    await renewing.login_with_tfa(result.tfa_key or "", fake.tfa_code)
    assert renewing.tokens is not None
    # The 2FA endpoint names neither a refresh token nor a lifetime.
    assert renewing.tokens.refresh is None
    assert renewing.tokens.renew_at() is None


@pytest.mark.parametrize(
    ("expires_in", "lifetime"),
    [
        (3600, 3600.0),
        ("7200", 7200.0),
        (float("inf"), None),
        ("nan", None),
        (-5, None),
        (0, None),
        (True, None),
        ("soon", None),
        (10**30, MAX_LIFETIME),
    ],
)
def test_token_lifetime_is_bounded(expires_in: object, lifetime: float | None) -> None:
    tokens = Tokens.from_answer(
        {"accessToken": "a", "refreshToken": "r", "expiresIn": expires_in}, 100.0
    )
    assert tokens is not None
    assert tokens.lifetime == lifetime
    assert tokens.expires_at == (None if lifetime is None else 100.0 + lifetime)


async def test_a_refused_token_is_renewed_and_the_call_retried(
    fake: FakeCloud, renewing: BambuCloud
) -> None:
    fake.devices = [{"dev_id": "SN1"}]
    await renewing.login(DIRECT, PASSWORD)
    old = renewing.tokens
    assert old is not None
    renewed: list[Tokens] = []
    renewing.on_tokens(renewed.append)
    fake.expire_tokens(DIRECT)

    assert [d.serial for d in await renewing.get_devices()] == ["SN1"]

    (refresh,) = fake.requests_to(REFRESH)
    assert refresh.json() == {"refreshToken": old.refresh}
    assert "Authorization" not in refresh.headers
    assert renewed == [renewing.tokens]
    assert renewing.token not in (None, old.access)
    binds = fake.requests_to(BIND)
    assert [b.headers["Authorization"] for b in binds] == [
        f"Bearer {old.access}",
        f"Bearer {renewing.token}",
    ]
    # Each refresh token renews once: the new one is kept for the next time.
    assert renewing.tokens is not None
    assert renewing.tokens.refresh in fake.refresh_tokens
    assert old.refresh not in fake.refresh_tokens


async def test_a_refused_renewal_asks_for_a_new_sign_in(
    fake: FakeCloud, renewing: BambuCloud
) -> None:
    await renewing.login(DIRECT, PASSWORD)
    fake.refuse_refresh = True
    fake.expire_tokens(DIRECT)
    with pytest.raises(TokenExpired):
        await renewing.get_devices()
    assert len(fake.requests_to(REFRESH)) == 1
    assert len(fake.requests_to(BIND)) == 1  # not asked again in vain


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, CloudUnavailable),
        (Fault.RATE_LIMITED, RateLimited),
        (Fault.INVALID_JSON, TokenExpired),
        (Canned(200, {"success": True}), TokenExpired),
        (Canned(200, {"code": 5, "accessToken": "x"}), TokenExpired),
    ],
)
async def test_a_renewal_the_cloud_cannot_answer_is_no_sign_in_problem(
    fake: FakeCloud, renewing: BambuCloud, fault: Fault | Canned, error: type
) -> None:
    """An outage while renewing retries later; only a refusal means signing in."""
    await renewing.login(DIRECT, PASSWORD)
    token = renewing.token
    fake.expire_tokens(DIRECT)
    fake.fail(REFRESH, fault)
    with pytest.raises(error):
        await renewing.get_devices()
    assert renewing.token == token


async def test_a_bare_token_is_not_renewed(fake: FakeCloud, authed: BambuCloud) -> None:
    fake.tokens.clear()
    with pytest.raises(TokenExpired):
        await authed.get_devices()
    assert fake.requests_to(REFRESH) == []
    with pytest.raises(TokenExpired):
        await authed.refresh()


async def test_renewed_ahead_of_expiry(
    fake: FakeCloud, renewing: BambuCloud, clock: _Clock
) -> None:
    fake.token_lifetime = 1000
    await renewing.login(DIRECT, PASSWORD)
    first = renewing.tokens
    assert first is not None
    assert first.renew_at() == clock.now + 800  # a fifth of the lifetime ahead
    clock.now += 799
    await renewing.get_devices()
    assert fake.requests_to(REFRESH) == []
    clock.now += 1
    await renewing.get_devices()
    assert len(fake.requests_to(REFRESH)) == 1
    # Renewed before asking: the request carries the new token.
    assert fake.seen[-1].headers["Authorization"] == f"Bearer {renewing.token}"
    assert renewing.token != first.access
    assert renewing.tokens is not None
    assert renewing.tokens.expires_at == clock.now + 1000


async def test_a_failed_renewal_ahead_of_expiry_keeps_the_token_and_waits(
    fake: FakeCloud,
    renewing: BambuCloud,
    clock: _Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.token_lifetime = 100_000
    await renewing.login(DIRECT, PASSWORD)
    token = renewing.token
    clock.now += 90_000
    fake.fail(REFRESH, Fault.SERVER_ERROR)
    await renewing.get_devices()  # still valid: the call goes through
    await renewing.get_devices()
    assert len(fake.requests_to(REFRESH)) == 1  # not on every call
    assert renewing.token == token
    assert "Could not renew the Bambu sign-in ahead of expiry" in caplog.text
    fake.clear_fault()
    clock.now += RENEW_RETRY
    await renewing.get_devices()
    assert len(fake.requests_to(REFRESH)) == 2
    assert renewing.token != token


async def test_calls_refused_together_renew_once(
    fake: FakeCloud, renewing: BambuCloud
) -> None:
    await renewing.login(DIRECT, PASSWORD)
    fake.expire_tokens(DIRECT)
    await asyncio.gather(
        renewing.get_devices(), renewing.get_messages(), renewing.get_notifications()
    )
    assert len(fake.requests_to(REFRESH)) == 1


async def test_renewal_leaves_no_secret_in_logs(
    fake: FakeCloud,
    renewing: BambuCloud,
    clock: _Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await renewing.login(DIRECT, PASSWORD)
    first = renewing.tokens
    fake.expire_tokens(DIRECT)
    await renewing.get_devices()
    second = renewing.tokens
    fake.refuse_refresh = True
    fake.expire_tokens(DIRECT)
    with pytest.raises(TokenExpired) as refused:
        await renewing.get_devices()
    assert first is not None
    assert second is not None
    logged = "".join(r.getMessage() + str(r.args) for r in caplog.records)
    assert "Renewed the sign-in" in logged
    for secret in (first.access, first.refresh, second.access, second.refresh):
        assert secret
        assert secret not in logged
        assert secret not in str(refused.value)


# --- secrets ---------------------------------------------------------------------------


async def test_no_secret_in_logs(
    fake: FakeCloud, cloud: BambuCloud, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake.devices = [{"dev_id": "SN1", "dev_access_code": "87654321"}]
    fake.tfa_blocked = True

    result = await cloud.login(TFA_USER, PASSWORD)
    with pytest.raises(TwoFactorUnavailable) as blocked:
        await cloud.login_with_tfa(result.tfa_key or "", fake.tfa_code)
    await cloud.request_code(TFA_USER)
    code = fake.codes[TFA_USER]
    with pytest.raises(VerificationCodeInvalid) as wrong:
        await cloud.login_with_code(TFA_USER, "000000" if code != "000000" else "1")
    token = await cloud.login_with_code(TFA_USER, code)
    await cloud.get_uid()
    await cloud.get_devices()
    with pytest.raises(InvalidCredentials) as refused:
        await cloud.login(TFA_USER, "wrong " + PASSWORD)

    ours = [r for r in caplog.records if ".aiobambulab.cloud" in r.name]
    assert len(ours) >= 7  # the client did log each call
    secrets = (PASSWORD, code, token, result.tfa_key or "", TFA_USER, "87654321")
    # The fake cloud logs the codes it sends, as a mailbox would show them.
    logged = "".join(r.getMessage() + str(r.args) for r in ours)
    for secret in secrets:
        assert secret
        assert secret not in logged
        for error in (blocked.value, wrong.value, refused.value):
            assert secret not in str(error)
            assert secret not in repr(error.placeholders)


# --- answers nested too deep (issue 14, point 16) ------------------------------------


@pytest.mark.parametrize("depth", [600, 100_000])
async def test_deeply_nested_answer_is_a_cloud_error(
    fake: FakeCloud, authed: BambuCloud, depth: int
) -> None:
    """Refused where it is decoded: a cloud error, never RecursionError.

    100 000 levels made the old decoder raise RecursionError; 600 passed it
    and reached the code reading the answer.
    """
    nested = b"[" * depth + b"]" * depth
    body = b'{"devices": [{"dev_id": "01P00A000000001", "name": ' + nested + b"}]}"
    fake.fail(BIND, Canned(200, body))
    with pytest.raises(UnexpectedResponse):
        await authed.get_devices()


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (1, TaskOutcome.RUNNING),
        (2, TaskOutcome.FINISHED),
        (3, TaskOutcome.FAILED),
        ("2", TaskOutcome.FINISHED),
        ("printing", TaskOutcome.RUNNING),
        (" Success ", TaskOutcome.FINISHED),
        ("canceled", TaskOutcome.FAILED),
        (7, TaskOutcome.UNKNOWN),
        ("weird", TaskOutcome.UNKNOWN),
        (None, TaskOutcome.UNKNOWN),
    ],
)
def test_task_status_becomes_an_outcome(
    status: int | str | None, outcome: TaskOutcome
) -> None:
    """The cloud's status codes and words map to how a task ended."""
    assert task_outcome(status) is outcome
    raw = {"id": 1, "status": status} if status is not None else {"id": 1}
    assert CloudTask.from_json(raw).outcome is outcome
