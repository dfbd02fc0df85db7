"""A renewed token: the cloud link opens a new session with it at once."""

from __future__ import annotations

import pytest

from custom_components.bambu_cloud.aiobambulab.errors import ConnectionFailure
from custom_components.bambu_cloud.aiobambulab.mqtt import LinkOptions, PrinterLink
from simulator.broker import MosquittoBroker
from simulator.fake_printer import FakePrinter
from simulator.tls import SimulatorPki

from .conftest import SERIAL, TOKEN, UID, Recorder

pytestmark = pytest.mark.usefixtures("socket_enabled")

FAST = LinkOptions(connect_timeout=5.0, backoff_min=0.01, backoff_max=0.05)


async def test_reconnect_with_a_new_password_opens_a_new_session(
    broker: MosquittoBroker,
    pki: SimulatorPki,
    recorder: Recorder,
    printer: FakePrinter,
) -> None:
    link = PrinterLink.cloud(
        UID,
        TOKEN,
        [SERIAL],
        host=broker.host,
        port=broker.port("cloud"),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.start()
    try:
        await link.wait_connected(5)
        await recorder.wait_for(lambda r: bool(r.reports(SERIAL, "push_status")))
        seen = len(recorder.statuses)

        # A password the broker does not know: the new session is refused,
        # which proves the link really signed in again with it.
        await link.reconnect_with("renewed-but-unknown")
        refused = await recorder.wait_for_status(
            lambda s: s.failure is ConnectionFailure.CREDENTIALS
        )
        assert not refused.connected
        # Never reported lost in between: the switch is no outage.
        first = next(s for s in recorder.statuses[seen:])
        assert first.failure is ConnectionFailure.CREDENTIALS

        await link.reconnect_with(TOKEN)
        await link.wait_connected(5)
        assert link.connected
        assert broker.log_text().count(f"u'u_{UID}'") >= 2  # a second sign-in
        await recorder.wait_for(lambda r: len(r.reports(SERIAL, "push_status")) >= 2)
    finally:
        await link.stop()
    assert not link.connected


async def test_reconnect_with_before_start_only_keeps_the_password(
    broker: MosquittoBroker, pki: SimulatorPki, recorder: Recorder
) -> None:
    link = PrinterLink.cloud(
        UID,
        "old",
        [SERIAL],
        host=broker.host,
        port=broker.port("cloud"),
        ca_pem=pki.ca.cert_pem,
        on_message=recorder.on_message,
        on_status=recorder.on_status,
        options=FAST,
    )
    await link.reconnect_with(TOKEN)
    assert recorder.statuses == []
    await link.start()
    try:
        await link.wait_connected(5)
    finally:
        await link.stop()
