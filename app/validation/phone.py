"""Mainland China phone numbers: mobiles and landlines.

Normalised forms: a mobile is 11 bare digits ("13812345678"); a landline is
"area-number[-extension]" ("0551-62345678", "010-62345678-123"). The area-code hyphen is kept
because it is how the number is printed on forms and it disambiguates the split.

Area codes follow the national numbering plan: 010 and 020–029 have three digits, every other
area code has four (0310–0999). That rule, not the user's hyphen, decides the split. Service
numbers (12351, 400/800) are not accepted as contact numbers.
"""

from __future__ import annotations

import re

from .text import to_halfwidth

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"(0\d{2,3})-([2-9]\d{6,7})(?:-(\d{1,6}))?", re.ASCII)
_EXTENSION_MARK = re.compile(r"(?:转|分机|ext\.?|x|#)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-–—‐]+")

MSG_MOBILE = "手机号码应为11位数字,以13-19开头"
MSG_PHONE = "电话号码格式不正确,请填写11位手机号码或带区号的固定电话(如 0551-62345678)"


def _area_length(digits: str) -> int:
    return 3 if digits[1:2] in ("1", "2") else 4


def normalize_phone(raw: object) -> str:
    """Canonical spelling of a phone number; best effort, never raises.

    Converts full-width characters, drops spaces and stray hyphens, drops a +86/0086/86 country
    prefix on mobiles, turns "(0551)62345678" into "0551-62345678" and writes an extension
    (given as "转123", "ext 123", "#123" or a trailing "-123") as "-123". Input that does not look
    like a phone number comes back squeezed (half-width, no whitespace) but otherwise unchanged.
    """
    if raw is None:
        return ""
    s = re.sub(r"\s+", "", to_halfwidth(str(raw)))
    if not s:
        return ""
    s = s.replace("(", "-").replace(")", "-")

    # Country prefix: only mobiles are handled; a landline with +86 gets its trunk "0" back.
    for prefix in ("+86", "0086"):
        if s.startswith(prefix):
            rest = s[len(prefix) :].lstrip("-")
            bare = _SEPARATORS.sub("", rest)
            if _MOBILE.fullmatch(bare):
                return bare
            s = rest if rest.startswith("0") else "0" + rest
            break
    else:
        bare = _SEPARATORS.sub("", s)
        if bare.startswith("86") and _MOBILE.fullmatch(bare[2:]):
            return bare[2:]

    main, ext = s, ""
    parts = _EXTENSION_MARK.split(s, maxsplit=1)
    if len(parts) == 2:
        main, ext = parts[0], _SEPARATORS.sub("", parts[1])
        if not (ext.isascii() and ext.isdigit()):
            return s  # a trailing letter ("…5678x") is a typing mistake to show, not to trim

    groups = [g for g in _SEPARATORS.split(main) if g]
    digits = "".join(groups)
    if not (digits.isascii() and digits.isdigit()):
        return s
    if not ext and _MOBILE.fullmatch(digits):
        return digits
    if not digits.startswith("0") or len(digits) < 3:
        return digits + (f"-{ext}" if ext else "")

    # A last hyphen group of 1-6 digits is an extension if what precedes it is a full number.
    if not ext and len(groups) >= 3:
        head = "".join(groups[:-1])
        local_len = len(head) - _area_length(head)
        if 1 <= len(groups[-1]) <= 6 and local_len in (7, 8):
            digits, ext = head, groups[-1]
    area = _area_length(digits)
    result = f"{digits[:area]}-{digits[area:]}" if len(digits) > area else digits
    return result + (f"-{ext}" if ext else "")


def check_mobile(raw: object) -> str | None:
    """Message when ``raw`` is not a mainland mobile number, else None."""
    p = normalize_phone(raw)
    if not p:
        return "手机号码不能为空"
    if _MOBILE.fullmatch(p):
        return None
    return MSG_MOBILE


def check_phone(raw: object) -> str | None:
    """Message when ``raw`` is neither a mobile nor a landline with area code, else None."""
    p = normalize_phone(raw)
    if not p:
        return "电话号码不能为空"
    if _MOBILE.fullmatch(p):
        return None
    if _LANDLINE.fullmatch(p):
        area, number, _ext = _LANDLINE.fullmatch(p).groups()
        if len(area) == _area_length(area):
            return None
        return MSG_PHONE
    bare = _SEPARATORS.sub("", p)
    if bare.isdigit() and bare.startswith("1"):
        return MSG_MOBILE
    if bare.isdigit() and len(bare) in (7, 8) and bare[0] in "23456789":
        return "固定电话请加区号,如 0551-62345678"
    return MSG_PHONE


def mask_phone(p: object) -> str:
    """Mask a phone number for public lists: "138****5678"; "0551-****5678" for landlines.

    A landline keeps its area code and the last 4 digits of the number (the extension is
    dropped). Anything unrecognised shows at most its last 4 characters.
    """
    n = normalize_phone(p)
    if _MOBILE.fullmatch(n):
        return n[:3] + "****" + n[-4:]
    m = _LANDLINE.fullmatch(n)
    if m:
        area, number, _ext = m.groups()
        return f"{area}-" + "*" * (len(number) - 4) + number[-4:]
    keep = min(4, len(n) // 3)
    return "*" * (len(n) - keep) + (n[-keep:] if keep else "")
