"""``python -m simulator``: the demo world starts, says how to reach it, stops on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
import signal
import ssl
import sys

import aiohttp
import pytest

from custom_components.bambu_cloud.aiobambulab.cloud import BambuCloud
from custom_components.bambu_cloud.aiobambulab.cloud_signin import LoginStep
from custom_components.bambu_cloud.aiobambulab.errors import CloudUnavailable
from simulator.cloud import FakeCloud, Kind
from simulator.scenario import DEMO_EMAIL, DEMO_PASSWORD
from simulator.tls import CertificateAuthority

REPO = Path(__file__).parents[2]


async def test_demo_world_runs_and_stops_on_ctrl_c(
    tmp_path: Path, socket_enabled: None
) -> None:
    info = tmp_path / "info.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--printing",
        "2",
        "--info",
        str(info),
        "--directory",
        str(tmp_path / "world"),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(60):
            while b"Bambu simulator running" not in await process.stdout.readline():
                pass
        facts = json.loads(info.read_text())
        (account,) = facts["accounts"]
        assert account["email"] == DEMO_EMAIL
        assert len({p["model"] for p in account["printers"]}) == 3
        assert Path(facts["ca_cert"]).read_text().startswith("-----BEGIN CERTIFICATE")
        async with aiohttp.ClientSession() as session:
            cloud = BambuCloud(session, facts["api_url"], timeout=5)
            assert (
                await cloud.login(DEMO_EMAIL, DEMO_PASSWORD)
            ).needs is LoginStep.CODE
            await cloud.request_code(DEMO_EMAIL)
        async with asyncio.timeout(10):
            line = b""
            while b"Login code for" not in line:
                line = await process.stdout.readline()
        assert line.split()[-1].isdigit()  # the code, as a mailbox shows it
    finally:
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(30):
            await process.communicate()
    assert process.returncode == 0


async def test_fake_cloud_over_https(tmp_path: Path, socket_enabled: None) -> None:
    ca = CertificateAuthority.generate()
    files = ca.issue("127.0.0.1").write(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(files.cert_path, files.key_path)
    fake = FakeCloud()
    fake.add_account("a@example.com", "pw", Kind.DIRECT, 7)
    await fake.start(ssl_context=server_context)
    try:
        assert fake.base_url.startswith("https://127.0.0.1:")
        client_context = ssl.create_default_context(cadata=ca.cert_pem)
        connector = aiohttp.TCPConnector(ssl=client_context)
        async with aiohttp.ClientSession(connector=connector) as session:
            cloud = BambuCloud(session, fake.base_url, timeout=5)
            result = await cloud.login("a@example.com", "pw")
            assert result.token is not None
            assert await cloud.get_uid() == "7"
        async with aiohttp.ClientSession() as session:
            untrusted = BambuCloud(session, fake.base_url, timeout=5)
            with pytest.raises(CloudUnavailable):
                await untrusted.login("a@example.com", "pw")
    finally:
        await fake.stop()
