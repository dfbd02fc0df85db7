"""Printers' SSDP NOTIFY announcements: parsing and the UDP listener."""

from __future__ import annotations

import asyncio
import socket

import pytest

from custom_components.bambu_cloud.aiobambulab.discovery import (
    MAX_PRINTERS,
    Announcement,
    AnnouncementListener,
    parse_announcement,
)
from simulator.announce import notify_datagram

# As a P1S in cloud mode sends it (public captures; serial and address made up).
P1S_NOTIFY = (
    b"NOTIFY * HTTP/1.1\r\n"
    b"HOST: 239.255.255.250:1900\r\n"
    b"Server: UPnP/1.0\r\n"
    b"Location: 192.168.1.57\r\n"
    b"NT: urn:bambulab-com:device:3dprinter:1\r\n"
    b"NTS: ssdp:alive\r\n"
    b"USN: 01P00A123456789\r\n"
    b"Cache-Control: max-age=1800\r\n"
    b"DevModel.bambu.com: C12\r\n"
    b"DevName.bambu.com: Garage\r\n"
    b"DevSignal.bambu.com: -41\r\n"
    b"DevConnect.bambu.com: cloud\r\n"
    b"DevBind.bambu.com: occupied\r\n"
    b"Devseclink.bambu.com: secure\r\n"
    b"DevVersion.bambu.com: 01.09.01.00\r\n"
    b"DevCap.bambu.com: 1\r\n"
    b"\r\n"
)
# Older X1 firmware: a product name instead of a code, no version header.
X1C_NOTIFY = (
    b"NOTIFY * HTTP/1.1\r\n"
    b"Host: 239.255.255.250:1990\r\n"
    b"Server: Buildroot/2018.02-rc3 UPnP/1.0 ssdpd/1.8\r\n"
    b"Location: 10.0.0.23\r\n"
    b"NT: urn:bambulab-com:device:3dprinter:1\r\n"
    b"NTS: ssdp:alive\r\n"
    b"USN: 00M09A000000002\r\n"
    b"Cache-Control: max-age=1800\r\n"
    b"DevModel.bambu.com: 3DPrinter-X1-Carbon\r\n"
    b"DevName.bambu.com: Workshop X1C\r\n"
    b"DevSignal.bambu.com: -42\r\n"
    b"DevConnect.bambu.com: lan\r\n"
    b"DevBind.bambu.com: free\r\n"
    b"\r\n"
)


def test_parses_a_p1s_notify() -> None:
    """Every header a P1S sends lands in its field; the model is known."""
    announcement = parse_announcement(P1S_NOTIFY, "192.168.1.57")
    assert announcement == Announcement(
        serial="01P00A123456789",
        host="192.168.1.57",
        model_code="C12",
        name="Garage",
        connect="cloud",
        bind="occupied",
        version="01.09.01.00",
    )
    assert announcement.model.key == "P1S"
    assert announcement.label == "Garage"
    assert not announcement.lan_only


def test_parses_an_x1c_notify_with_a_product_name() -> None:
    """'3DPrinter-X1-Carbon' is an X1C; LAN-only mode is recognised."""
    announcement = parse_announcement(X1C_NOTIFY, "10.0.0.23")
    assert announcement is not None
    assert announcement.model.key == "X1C"
    assert announcement.lan_only
    assert announcement.version == ""


def test_the_simulator_s_announcement_parses() -> None:
    """The simulator writes its NOTIFY on its own; the library reads it."""
    datagram = notify_datagram(
        "01S00C000000001", "127.0.0.1", model_code="C12", name="Garage"
    )
    announcement = parse_announcement(datagram, "127.0.0.1")
    assert announcement is not None
    assert (announcement.serial, announcement.host, announcement.model.key) == (
        "01S00C000000001",
        "127.0.0.1",
        "P1S",
    )


@pytest.mark.parametrize(
    ("location", "sender", "host"),
    [
        ("http://192.168.1.42:80/upnp/desc.xml", "192.168.1.9", "192.168.1.42"),
        ("192.168.1.42:8883", "192.168.1.9", "192.168.1.42"),
        ("", "192.168.1.9", "192.168.1.9"),  # no Location: the sender
        ("printer.local", "192.168.1.9", "192.168.1.9"),  # not an address
    ],
)
def test_the_address_comes_from_location_or_the_sender(
    location: str, sender: str, host: str
) -> None:
    """A URL, an address with a port, or none at all."""
    datagram = P1S_NOTIFY.replace(
        b"Location: 192.168.1.57", f"Location: {location}".encode()
    )
    announcement = parse_announcement(datagram, sender)
    assert announcement is not None
    assert announcement.host == host


@pytest.mark.parametrize(
    "datagram",
    [
        b"",
        b"\xff\xfe garbage",
        # Another device's SSDP on the same port.
        P1S_NOTIFY.replace(b"urn:bambulab-com:device:3dprinter:1", b"upnp:rootdevice"),
        # A search, not an announcement.
        b"M-SEARCH * HTTP/1.1\r\nST: urn:bambulab-com:device:3dprinter:1\r\n\r\n",
        # Leaving the network is no address to connect to.
        P1S_NOTIFY.replace(b"ssdp:alive", b"ssdp:byebye"),
        # A serial that would be an MQTT wildcard.
        P1S_NOTIFY.replace(b"USN: 01P00A123456789", b"USN: 01P00A#"),
        P1S_NOTIFY.replace(b"USN: 01P00A123456789\r\n", b""),
        P1S_NOTIFY + b"X" * 4096,  # far larger than any printer's
    ],
)
def test_ignores_what_is_not_a_printer_announcement(datagram: bytes) -> None:
    """Port 2021 is shared: other traffic is dropped, not an error."""
    assert parse_announcement(datagram, "192.168.1.9") is None


def test_no_address_at_all_is_ignored() -> None:
    """Neither Location nor the sender is an address to connect to."""
    datagram = P1S_NOTIFY.replace(b"Location: 192.168.1.57", b"Location: nowhere")
    assert parse_announcement(datagram, "0.0.0.0") is None  # noqa: S104


def test_header_text_is_kept_short_and_printable() -> None:
    """A name ends up in a flow's title: no control characters, bounded."""
    datagram = P1S_NOTIFY.replace(
        b"DevName.bambu.com: Garage", b"DevName.bambu.com: Gar\x1bage" + b"x" * 200
    )
    announcement = parse_announcement(datagram, "192.168.1.57")
    assert announcement is not None
    assert announcement.name.startswith("Garage")
    assert len(announcement.name) == 64


async def test_listener_reports_new_and_changed_printers_once(
    socket_enabled: None,
) -> None:
    """Over a real UDP socket: repetitions are quiet, a new address is not."""
    heard: list[Announcement] = []
    changed = asyncio.Event()

    def on_change(announcement: Announcement) -> None:
        heard.append(announcement)
        changed.set()

    listener = AnnouncementListener(on_change)
    await listener.start("127.0.0.1", 0)
    assert listener.port
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:

        async def send(datagram: bytes) -> None:
            changed.clear()
            sender.sendto(datagram, ("127.0.0.1", listener.port or 0))

        await send(P1S_NOTIFY)
        await asyncio.wait_for(changed.wait(), 5)
        # The same announcement twice, then garbage, then the X1C: only the
        # X1C is news, and datagrams arrive in order on loopback.
        await send(P1S_NOTIFY)
        await send(b"NOTIFY * HTTP/1.1\r\n\r\n")
        await send(X1C_NOTIFY)
        await asyncio.wait_for(changed.wait(), 5)
        await send(P1S_NOTIFY.replace(b"192.168.1.57", b"192.168.1.58"))
        await asyncio.wait_for(changed.wait(), 5)
    finally:
        sender.close()
        listener.stop()
    assert [(a.serial, a.host) for a in heard] == [
        ("01P00A123456789", "192.168.1.57"),
        ("00M09A000000002", "10.0.0.23"),
        ("01P00A123456789", "192.168.1.58"),
    ]
    assert listener.printers["01P00A123456789"].host == "192.168.1.58"
    assert listener.port is None
    listener.stop()  # twice is harmless


def test_listener_remembers_a_bounded_number_of_printers() -> None:
    """Made-up serials flooding the port do not grow memory without end."""
    heard: list[Announcement] = []
    listener = AnnouncementListener(heard.append)
    for index in range(MAX_PRINTERS + 10):
        serial = f"01P00A{index:09d}"
        listener.datagram_received(
            notify_datagram(serial, "192.0.2.1", model_code="C12", name=""),
            ("192.0.2.1", 2021),
        )
    assert len(listener.printers) == MAX_PRINTERS
    assert len(heard) == MAX_PRINTERS
    # A printer already known still reports its move.
    listener.datagram_received(
        notify_datagram("01P00A000000000", "192.0.2.2", model_code="C12", name=""),
        ("192.0.2.2", 2021),
    )
    assert heard[-1].host == "192.0.2.2"


async def test_listener_start_fails_loudly_on_a_taken_port(
    socket_enabled: None,
) -> None:
    """A port another program holds without sharing raises OSError."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    holder.bind(("127.0.0.1", 0))  # no SO_REUSEPORT: not shareable
    try:
        listener = AnnouncementListener(lambda _: None)
        with pytest.raises(OSError, match="in use"):
            await listener.start("127.0.0.1", holder.getsockname()[1])
        assert listener.port is None
    finally:
        holder.close()
