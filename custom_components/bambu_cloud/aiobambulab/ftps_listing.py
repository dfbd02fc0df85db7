"""Directory listings from the printer: MLSD facts or ``ls -l`` lines, read as RemoteFiles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import re
from typing import Final

MAX_LISTING: Final = 4 * 1024 * 1024  # a directory listing larger than this is junk
_LIST_LINE = re.compile(
    r"([-dlbcps])\S{9}\S*\s+\d+\s+\S+\s+\S+\s+(\d+)\s+"
    r"([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}|\d{4})\s(.+)"
)
_MONTHS: Final = (
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """One entry of a directory on the printer."""

    name: str
    size: int
    is_dir: bool
    modified: datetime | None = None  # the printer's clock, taken as UTC


type Listing = list[RemoteFile]


def listing_lines(data: bytes) -> list[str]:
    """The lines of a listing's bytes (bad UTF-8 replaced)."""
    return data.decode("utf-8", "replace").splitlines()


def parse_mlsd(lines: Iterable[str]) -> Listing:
    """Read ``fact=value;...; name`` lines (RFC 3659)."""
    entries: Listing = []
    for line in lines:
        facts_text, sep, name = line.partition(" ")
        if not sep or not name:
            continue
        facts = {
            key.lower(): value
            for key, _, value in (
                fact.partition("=") for fact in facts_text.split(";") if fact
            )
        }
        kind = facts.get("type", "file").lower()
        if kind in ("cdir", "pdir") or name in (".", ".."):
            continue
        entries.append(
            RemoteFile(
                name=name,
                size=_int(facts.get("size")),
                is_dir=kind == "dir",
                modified=_mlsd_time(facts.get("modify")),
            )
        )
    return entries


def parse_list(lines: Iterable[str], now: datetime) -> Listing:
    """Read ``ls -l`` lines as vsftpd writes them; others are skipped."""
    entries: Listing = []
    for line in lines:
        match = _LIST_LINE.fullmatch(line)
        if match is None:
            continue  # e.g. "total 12"
        kind, size, month, day, time_or_year, name = match.groups()
        if kind == "l":
            name = name.split(" -> ", 1)[0]
        if name in (".", ".."):
            continue
        entries.append(
            RemoteFile(
                name=name,
                size=int(size),
                is_dir=kind == "d",
                modified=_list_time(month, day, time_or_year, now),
            )
        )
    return entries


def _list_time(
    month: str, day: str, time_or_year: str, now: datetime
) -> datetime | None:
    """The date of an ``ls -l`` line; a recent one has a time and no year."""
    if month.lower() not in _MONTHS:
        return None
    number = _MONTHS.index(month.lower()) + 1
    if ":" not in time_or_year:
        return _date(int(time_or_year), number, int(day), 0, 0)
    hour, minute = (int(part) for part in time_or_year.split(":"))
    # Without a year the date is within the last months, never in the future
    # (a day of slack for clocks and time zones).
    for year in (now.year, now.year - 1):
        when = _date(year, number, int(day), hour, minute)
        if when is not None and when <= now + timedelta(days=1):
            return when
    return None


def _date(year: int, month: int, day: int, hour: int, minute: int) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:  # e.g. 31 April, or 29 February in another year
        return None


def _mlsd_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0
