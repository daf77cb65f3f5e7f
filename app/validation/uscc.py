"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

18 characters: registration authority (1) + organisation type (1) + region code (6 digits,
GB/T 2260) + organisation code (9) + check character (1), over a 31-character alphabet without
I, O, Z, S and V. Only the charset, the region digits and the check character are verified;
the authority/type combinations are not, because local registries issue some unusual ones
(e.g. "81" for grassroots trade unions).
"""

from __future__ import annotations

import re

from .text import to_halfwidth

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """Check character for the first 17 characters (mod 31)."""
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise ValueError("统一社会信用代码前17位含有无效字符")
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(raw: object) -> str:
    """Half-width, upper-case, without any whitespace."""
    if raw is None:
        return ""
    return re.sub(r"\s+", "", to_halfwidth(str(raw))).upper()


def check_uscc(raw: object) -> str | None:
    """Message when ``raw`` is not a valid unified social credit code, else None."""
    s = normalize_uscc(raw)
    if not s:
        return "统一社会信用代码不能为空"
    if len(s) != 18:
        return f"统一社会信用代码应为18位,当前为{len(s)}位"
    bad = [c for c in s if c not in _VALUE]
    if bad:
        return f"统一社会信用代码含有无效字符“{bad[0]}”(不使用字母I、O、Z、S、V)"
    if not (s[2:8].isascii() and s[2:8].isdigit()):
        return "统一社会信用代码第3至8位应为行政区划代码(6位数字)"
    expected = uscc_check_char(s[:17])
    if s[17] != expected:  # never say the right character (see idcard)
        return "统一社会信用代码校验位不正确,请对照营业执照逐位核对"
    return None
