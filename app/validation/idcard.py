"""Resident ID numbers (公民身份号码, GB 11643-1999).

Structure: 6-digit address code + 8-digit birth date + 3-digit sequence (odd = male) + one check
character (ISO 7064 MOD 11-2). Legacy 15-digit numbers (GB 11643-1989) are upgraded to 18.

What is *not* checked: the address code is only checked at province level (first two digits).
Validating against the full GB/T 2260 history would need a dated table of every code ever
issued (abolished units keep valid IDs), which belongs in a data bundle, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .text import to_halfwidth

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"  # index = weighted sum mod 11

# GB/T 2260 province-level codes. 71 (Taiwan) exists in the standard although no mainland
# ID carries it; 81/82/83 are only valid as the exact residence-permit prefixes below.
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46]
    + [50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71]
)
# 港澳台居民居住证 numbers use these fixed address codes.
_PERMIT_PREFIXES = {"810000": "hk", "820000": "macau", "830000": "taiwan"}

_WHITESPACE = re.compile(r"\s+")
_SHAPE_18 = re.compile(r"\d{17}[\dX]")


@dataclass(frozen=True)
class IdInfo:
    """What an ID number tells us; ``number`` is always the normalised 18-character form."""

    number: str
    birth_date: date
    gender: str  # GB/T 2261.1: "1" male, "2" female
    region: str  # first 6 digits (GB/T 2260 address code at the time of issue)
    kind: str  # "resident" | "hk" | "macau" | "taiwan"
    upgraded: bool  # True when the input was a 15-digit legacy number


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``str()`` is a message for the user."""


def id_check_char(first17: str) -> str:
    """Check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise IdNumberError("身份证号前17位必须是数字")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def _squeeze(raw: object) -> str:
    """Half-width, no whitespace at all, upper-case: the form every check works on."""
    if raw is None:
        return ""
    return _WHITESPACE.sub("", to_halfwidth(str(raw))).upper()


def normalize_id_number(raw: object) -> str:
    """Canonical spelling of an ID number, without validating it beyond its shape.

    Removes spaces, converts full-width characters, upper-cases "x", and upgrades a 15-digit
    legacy number by inserting "19" after the address code and appending the check character.
    Anything else is returned squeezed but otherwise unchanged, so callers can still show it.
    """
    s = _squeeze(raw)
    if len(s) == 15 and s.isascii() and s.isdigit():
        first17 = s[:6] + "19" + s[6:]
        return first17 + id_check_char(first17)
    return s


def parse_id_number(raw: object, *, today: date | None = None) -> IdInfo:
    """Validate an ID number and extract its facts; raises :class:`IdNumberError`."""
    return _parse(_squeeze(raw), today or date.today())


@lru_cache(maxsize=4096)  # an import reads each number three times: the field, the rule, derive
def _parse(s: str, today: date) -> IdInfo:
    if not s:
        raise IdNumberError("身份证号不能为空")
    if len(s) not in (15, 18):
        raise IdNumberError(f"身份证号应为18位(或15位旧号码),当前为{len(s)}位")
    upgraded = len(s) == 15
    if upgraded:
        if not (s.isascii() and s.isdigit()):
            raise IdNumberError("15位旧身份证号只能包含数字")
        number = normalize_id_number(s)
    else:
        if not (s.isascii() and _SHAPE_18.fullmatch(s)):
            raise IdNumberError("身份证号只能包含数字,最后一位可以是X")
        number = s

    region = number[:6]
    province = int(region[:2])
    kind = _PERMIT_PREFIXES.get(region, "resident")
    if kind == "resident":
        if province in (81, 82, 83):
            raise IdNumberError(
                f"身份证号的地区码不正确(港澳台居民居住证号码应以810000、820000或830000开头,当前为{region})"
            )
        if province not in _PROVINCES:
            raise IdNumberError(f"身份证号的地区码不正确(前两位{region[:2]}不是有效的省级代码)")

    birth_text = number[6:14]
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期不存在({birth_text})") from None
    if birth.year < 1900:
        raise IdNumberError("身份证号中的出生日期早于1900年")
    if birth > today:
        raise IdNumberError("身份证号中的出生日期晚于今天")

    expected = id_check_char(number[:17])
    if number[17] != expected:  # never say the right digit: that would make a mistyped number "valid"
        raise IdNumberError("身份证号校验位不正确,请对照证件逐位核对")

    gender = "1" if int(number[16]) % 2 == 1 else "2"
    return IdInfo(number, birth, gender, region, kind, upgraded)


def check_id_number(raw: object, *, today: date | None = None) -> str | None:
    """The error message for ``raw``, or None when it is a valid ID number."""
    try:
        parse_id_number(raw, today=today)
    except IdNumberError as exc:
        return str(exc)
    return None


def mask_id_number(n: object) -> str:
    """Mask an ID number for public lists (公示): "340524********001X".

    Only an 18-character value shows its address code and last 4 characters. A 15-digit one shows
    the address code and sequence (never the birth date). Anything else shows at most its last 4
    characters, so a malformed entry never reveals more than a valid one would.
    """
    s = _squeeze(n)
    size = len(s)
    if size == 18:
        return s[:6] + "*" * 8 + s[-4:]
    if size == 15:
        return s[:6] + "*" * 6 + s[-3:]
    keep = min(4, size // 4)
    return "*" * (size - keep) + (s[-keep:] if keep else "")


def age_on(birth_date: date, on_date: date) -> int:
    """Age in completed years on ``on_date``.

    A 29 February birthday counts as reached on 1 March in common years.
    """
    years = on_date.year - birth_date.year
    if (on_date.month, on_date.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
