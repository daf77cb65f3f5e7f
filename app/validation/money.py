"""Money: exact amounts, fen (分) integers in storage, and the uppercase 大写 form for forms.

Amounts are never floats: parsing yields a ``Decimal`` with two places and storage uses integer
fen, so totals on 签收表 and receipts add up to the cent.

大写 rules (records-and-forms.md §A.0, PBoC cheque practice):
- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, currency units 元角分;
- the financial style keeps the leading 壹 of 拾: 10 → 壹拾元整;
- zeros inside the integer part collapse to one 零; a group of 万/亿 that starts with zeros is
  preceded by 零 (壹拾万零壹元整);
- 整 is written only after 元 (no 角 and no 分). An amount ending in 角 ends there (伍角),
  never with 整, and an amount with 分 never has 整 — the common bank rule;
- when the 元 part ends in zero and 角 is non-zero, 零 is written after 元
  (壹仟陆佰捌拾元零叁角贰分); when 角 is zero and 分 is not, 零 stands for the 角 (壹元零伍分);
- amounts under one yuan have no 元 (伍角, 叁角贰分, 伍分); 0 is 零元整; negatives get "负".
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .text import to_halfwidth

MAX_AMOUNT = Decimal("999999999.99")
_CENT = Decimal("0.01")

_MSG_FORMAT = "金额格式不正确,请填写数字,如 1234.50"
_MSG_DECIMALS = "金额最多保留两位小数"
_MSG_NEGATIVE = "金额不能为负数"
_MSG_TOO_LARGE = "金额不能超过999,999,999.99元"


class AmountError(ValueError):
    """An amount that cannot be accepted; ``str()`` is a message for the user."""


_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?", re.ASCII)


def _parse_text(text: str) -> Decimal:
    s = re.sub(r"\s+", "", to_halfwidth(text))
    if not s:
        raise AmountError("金额不能为空")
    sign = ""
    if s[0] in "+-−":
        sign, s = ("-" if s[0] != "+" else ""), s[1:]
    for prefix in ("人民币", "RMB", "CNY", "¥", "￥"):
        if s.upper().startswith(prefix):
            s = s[len(prefix) :]
            break
    if s[:1] in ("-", "−") and not sign:  # "¥-12.00"
        sign, s = "-", s[1:]
    if s.endswith("元"):
        s = s[:-1]
    if "," in s:
        # Thousands separators must be real ones: "12,34" is more likely a typo than 1234.
        if not _GROUPED.fullmatch(s):
            raise AmountError(_MSG_FORMAT)
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        raise AmountError(_MSG_FORMAT)
    return Decimal(sign + s)


def parse_amount(raw: object, *, allow_negative: bool = False) -> Decimal:
    """Parse a yuan amount exactly; returns a ``Decimal`` with two decimal places.

    Accepts ints, Decimals, floats that are exact to the fen (Excel cells), and text such as
    "1,234.5", "¥1234.50", "１２３４", "1234元" or "人民币1234.00". Refuses more than two decimals,
    negatives (unless ``allow_negative``) and anything above 999,999,999.99.
    """
    if raw is None:
        raise AmountError("金额不能为空")
    if isinstance(raw, bool):
        raise AmountError(_MSG_FORMAT)
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        # repr() gives the shortest text that round-trips: 0.1 + 0.2 → "0.30000000000000004",
        # which is then refused for its decimals instead of being silently rounded.
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        value = _parse_text(raw)
    else:
        raise AmountError(_MSG_FORMAT)
    if not value.is_finite():
        raise AmountError(_MSG_FORMAT)
    try:
        quantized = value.quantize(_CENT)
    except InvalidOperation:
        raise AmountError(_MSG_TOO_LARGE) from None
    if quantized != value:
        raise AmountError(_MSG_DECIMALS)
    if quantized < 0 and not allow_negative:
        raise AmountError(_MSG_NEGATIVE)
    if abs(quantized) > MAX_AMOUNT:
        raise AmountError(_MSG_TOO_LARGE)
    return quantized + Decimal("0.00")  # turns -0.00 into 0.00


def check_amount(raw: object, *, allow_negative: bool = False) -> str | None:
    """The error message for ``raw``, or None when it is an acceptable amount."""
    try:
        parse_amount(raw, allow_negative=allow_negative)
    except AmountError as exc:
        return str(exc)
    return None


def yuan_to_fen(amount: Decimal | int) -> int:
    """Exact conversion of yuan to integer fen; refuses fractions of a fen."""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError("yuan_to_fen expects a Decimal or an int")
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise AmountError(_MSG_DECIMALS)
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    """Integer fen to a two-place ``Decimal`` of yuan (exact)."""
    return Decimal(int(fen)).scaleb(-2).quantize(_CENT)


def format_yuan(fen: int) -> str:
    """"1,234.50" — the lowercase figure printed next to the 大写 (without "¥")."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def format_wan(fen: int) -> str:
    """Amount in 万元 with two decimals, rounded half up: 123456700 fen → "123.46"."""
    fen = int(fen)
    hundredths = (Decimal(abs(fen)) / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    whole, frac = divmod(int(hundredths), 100)
    sign = "-" if fen < 0 and hundredths else ""
    return f"{sign}{whole:,}.{frac:02d}"


# --- 大写 -------------------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_WAN = 10**4
_YI = 10**8
# 10^16 yuan: beyond that the 万/亿 nesting would need 亿亿, which no form uses.
_WORDS_LIMIT = 10**18


def _section(n: int) -> str:
    """1..9999 without a leading 零; inner zeros collapse to one 零, trailing zeros vanish."""
    out: list[str] = []
    pending_zero = False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            if out:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[power])
    return "".join(out)


def _integer_words(n: int) -> str:
    """Words for a positive integer, nesting 万 and 亿 (10^12 → 壹万亿)."""
    if n >= _YI:
        high, low, unit, step = n // _YI, n % _YI, "亿", _YI
    elif n >= _WAN:
        high, low, unit, step = n // _WAN, n % _WAN, "万", _WAN
    else:
        return _section(n)
    text = _integer_words(high) + unit
    if low:
        if low < step // 10:  # the lower group starts with a zero digit
            text += "零"
        text += _integer_words(low)
    return text


def amount_in_words(fen: int) -> str:
    """Chinese financial uppercase (大写) of an amount in fen, e.g. 140950 → 壹仟肆佰零玖元伍角."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("amount_in_words expects an int number of fen")
    if abs(fen) >= _WORDS_LIMIT:
        raise AmountError("金额过大,无法转换为大写")
    if fen < 0:
        return "负" + amount_in_words(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = _integer_words(yuan) + "元" if yuan else ""
    if cents == 0:
        return text + "整"
    if jiao:
        if yuan and yuan % 10 == 0:
            text += "零"
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen_digit:
        text += _DIGITS[fen_digit] + "分"
    return text


def amount_in_words_with_prefix(fen: int) -> str:
    """"人民币壹仟元整" — the form printed on receipts and 签收表 totals (no gap after 人民币)."""
    return "人民币" + amount_in_words(fen)


_DIGIT_VALUE = {c: i for i, c in enumerate(_DIGITS)}
_UNIT_VALUE = {"拾": 10, "佰": 100, "仟": 1000}
_MSG_WORDS = "大写金额写法不正确"


def _parse_integer_words(s: str) -> int:
    total = group = section = 0
    digit: int | None = None
    for ch in s:
        if ch in _DIGIT_VALUE:
            if digit:  # two non-zero digits in a row
                raise AmountError(_MSG_WORDS)
            digit = _DIGIT_VALUE[ch]
        elif ch in _UNIT_VALUE:
            if not digit:
                raise AmountError(_MSG_WORDS)
            section += digit * _UNIT_VALUE[ch]
            digit = None
        elif ch == "万":
            group += (section + (digit or 0)) * _WAN
            section, digit = 0, None
        elif ch == "亿":
            total = (total + group + section + (digit or 0)) * _YI
            group = section = 0
            digit = None
        else:
            raise AmountError(_MSG_WORDS)
    return total + group + section + (digit or 0)


def _canonical(text: str) -> str:
    """Fold the accepted variants onto the form :func:`amount_in_words` prints."""
    text = re.sub(r"元零(?=[壹贰叁肆伍陆柒捌玖]角)", "元", text)  # 捌拾元叁角 = 捌拾元零叁角
    return re.sub(r"角整$", "角", text)  # "整" after 角 is optional


def words_to_fen(text: str) -> int:
    """Read a 大写 amount back into fen, to check a printed total against its figures.

    Accepts what :func:`amount_in_words` prints plus the variants the rules allow: a "人民币"
    prefix, 圆 for 元, 正 for 整, "整" after 角 and no 零 between 元 and 角. Anything else
    (including an ambiguous spelling such as 壹仟玖 for 1009) raises :class:`AmountError`.
    """
    s = re.sub(r"\s+", "", str(text)).replace("圆", "元").replace("正", "整")
    if s.startswith("人民币"):
        s = s[3:].lstrip(":：")
    negative = s.startswith("负")
    body = s[1:] if negative else s
    if not body:
        raise AmountError(_MSG_WORDS)

    if "元" in body:
        integer_part, _, rest = body.partition("元")
        yuan = _parse_integer_words(integer_part)
    else:
        yuan, rest = 0, body
    m = re.fullmatch(r"零?(?:(?P<jiao>[壹贰叁肆伍陆柒捌玖])角)?(?:(?P<fen>[壹贰叁肆伍陆柒捌玖])分)?整?", rest)
    if not m:
        raise AmountError(_MSG_WORDS)
    jiao = _DIGIT_VALUE[m["jiao"]] if m["jiao"] else 0
    fen_digit = _DIGIT_VALUE[m["fen"]] if m["fen"] else 0
    value = yuan * 100 + jiao * 10 + fen_digit
    if value >= _WORDS_LIMIT:
        raise AmountError(_MSG_WORDS)
    if negative:
        value = -value
    if _canonical(body if not negative else "负" + body) != _canonical(amount_in_words(value)):
        raise AmountError(_MSG_WORDS)
    return value
