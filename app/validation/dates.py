"""Dates as people type them, and as Excel stores them.

Forms print dates as "2020年3月5日" (GB/T 9704 uses Arabic numerals); storage and exchange use
ISO "2020-03-05". Imports bring Excel serial numbers, so those are accepted too.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .text import to_halfwidth

MSG_FORMAT = "日期格式不正确,请按 2020-03-05 填写"

# Excel's 1900 date system counts 1900-01-01 as 1 and, copying Lotus 1-2-3, has a fictitious
# 1900-02-29 as 60; serials from 61 on are therefore counted from 1899-12-30.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX = 2958465  # 9999-12-31

_TIME_SUFFIX = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", re.ASCII)
_PATTERNS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})", re.ASCII),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})", re.ASCII),
)
_NO_YEAR = re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]", re.ASCII)


class DateError(ValueError):
    """A date that cannot be accepted; ``str()`` is a message for the user."""


def _make(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(f"日期不存在({y}年{m}月{d}日)") from None


def _from_excel_serial(serial: float) -> date:
    whole = int(serial)  # the fraction is the time of day
    if whole < 1 or whole > _EXCEL_MAX:
        raise DateError(MSG_FORMAT)
    if whole == 60:
        raise DateError("日期不存在(1900年2月29日)")
    if whole < 60:
        return date(1899, 12, 31) + timedelta(days=whole)
    return _EXCEL_EPOCH + timedelta(days=whole)


def parse_date(raw: object, *, today: date | None = None) -> date:
    """Parse a date; raises :class:`DateError`.

    Accepts ``date``/``datetime`` objects, "2020-03-05", "2020-3-5", "2020/3/5", "2020.3.5",
    "2020年3月5日", "20200305" (full-width digits too, an appended time is ignored), Excel serial
    numbers (1900 date system) and 8-digit numbers such as 20200305. A year-less "3月5日" is taken
    in the year of ``today`` (default: the current date).
    """
    if raw is None:
        raise DateError("日期不能为空")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise DateError(MSG_FORMAT)
    if isinstance(raw, (int, float)) and 19000101 <= raw <= 99991231 and raw == int(raw):
        y, md = divmod(int(raw), 10000)
        return _make(y, *divmod(md, 100))
    if isinstance(raw, (int, float)):
        if raw != raw:  # NaN from an empty numeric cell
            raise DateError("日期不能为空")
        return _from_excel_serial(raw)
    if not isinstance(raw, str):
        raise DateError(MSG_FORMAT)

    s = to_halfwidth(raw).strip()
    if not s:
        raise DateError("日期不能为空")
    s = _TIME_SUFFIX.sub("", s)
    s = re.sub(r"\s+", "", s)
    for pattern in _PATTERNS:
        m = pattern.fullmatch(s)
        if m:
            return _make(int(m["y"]), int(m["m"]), int(m["d"]))
    m = _NO_YEAR.fullmatch(s)
    if m:
        year = (today or date.today()).year
        return _make(year, int(m["m"]), int(m["d"]))
    raise DateError(MSG_FORMAT)


def check_date(raw: object, *, today: date | None = None) -> str | None:
    """The error message for ``raw``, or None when it is a valid date."""
    try:
        parse_date(raw, today=today)
    except DateError as exc:
        return str(exc)
    return None


def format_cn_date(d: date | None) -> str:
    """"2020年3月5日" — the form used on printed forms and 公文; "" for None."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def format_iso(d: date | None) -> str:
    """"2020-03-05" (a datetime loses its time); "" for None."""
    if d is None:
        return ""
    if isinstance(d, datetime):
        d = d.date()
    return d.isoformat()
