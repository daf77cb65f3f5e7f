"""One place to read the time, so tests can move the clock (lock-out expiry, idle lock, 年审 due)."""

from __future__ import annotations

from datetime import UTC, date, datetime

_offset = None  # a timedelta set by tests through ``set_offset``


def utcnow() -> datetime:
    """Naive UTC datetime (SQLite stores it as ISO text; shown in local time)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now + _offset if _offset is not None else now


def now_local() -> datetime:
    now = datetime.now()
    return now + _offset if _offset is not None else now


def today() -> date:
    return now_local().date()


def set_offset(delta) -> None:
    global _offset
    _offset = delta


def to_local(dt: datetime | None) -> datetime | None:
    """Convert a stored naive-UTC datetime to naive local time for display."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
