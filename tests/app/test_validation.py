"""Tests for app.validation (pure Python, no Qt)."""

from __future__ import annotations

import ast
import pathlib
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.validation import (
    AmountError,
    DateError,
    IdInfo,
    IdNumberError,
    age_on,
    amount_in_words,
    amount_in_words_with_prefix,
    check_amount,
    check_date,
    check_id_number,
    check_mobile,
    check_phone,
    check_uscc,
    clean_text,
    fen_to_yuan,
    format_cn_date,
    format_iso,
    format_wan,
    format_yuan,
    id_check_char,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    normalize_uscc,
    parse_amount,
    parse_date,
    parse_id_number,
    strip_text,
    to_halfwidth,
    uscc_check_char,
    words_to_fen,
    yuan_to_fen,
)

TODAY = date(2024, 6, 1)
VALIDATION_DIR = pathlib.Path(__file__).resolve().parents[2] / "app" / "validation"


# --- independent reference implementations --------------------------------------------------


def iso7064_mod11_2(first17: str) -> str:
    """ISO 7064 MOD 11-2 from its definition (weights 2^(n-1) mod 11), not from a weight table."""
    total = 0
    for position, ch in enumerate(reversed(first17), start=2):
        total += int(ch) * pow(2, position - 1, 11)
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + iso7064_mod11_2(first17)


# --- text -----------------------------------------------------------------------------------


def test_to_halfwidth_converts_fullwidth_ascii_and_ideographic_space():
    assert to_halfwidth("ＡＢＣ　１２３－＋（）") == "ABC 123-+()"
    assert to_halfwidth("张三 ¥") == "张三 ¥"


def test_clean_text_collapses_whitespace_for_codes():
    assert clean_text("　ＡＢ  １２\t３ ") == "AB 12 3"
    assert clean_text(None) == ""


def test_strip_text_keeps_characters_of_names():
    assert strip_text("\u3000张　三\u00a0") == "张 三"
    assert strip_text("  合肥市 蜀山区  ") == "合肥市 蜀山区"


# --- ID numbers -----------------------------------------------------------------------------


def test_reference_check_function_agrees_with_textbook_examples():
    assert iso7064_mod11_2("11010519491231002") == "X"
    assert iso7064_mod11_2("44052418800101001") == "4"


def test_textbook_example_parses():
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info == IdInfo(
        number="11010519491231002X",
        birth_date=date(1949, 12, 31),
        gender="2",
        region="110105",
        kind="resident",
        upgraded=False,
    )
    assert check_id_number("11010519491231002X") is None


def test_check_char_matches_known_examples():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("44052418800101001") == "4"


def test_valid_check_char_but_born_before_1900_is_refused():
    # 440524188001010014 has a correct check character (a classic example) but a 1880 birth date.
    assert check_id_number("440524188001010014") == "身份证号中的出生日期早于1900年"


@pytest.mark.parametrize(
    ("region", "born", "seq", "gender"),
    [
        ("340524", date(1990, 1, 1), 1, "1"),
        ("340524", date(1975, 7, 9), 2, "2"),
        ("340181", date(1968, 2, 29), 333, "1"),  # abolished 巢湖 area still valid
        ("650102", date(2008, 12, 31), 40, "2"),
        ("110105", date(2000, 2, 29), 917, "1"),
        ("460100", date(1900, 1, 1), 10, "2"),
    ],
)
def test_generated_real_format_numbers(region, born, seq, gender):
    number = make_id(region, born, seq)
    info = parse_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == born
    assert info.gender == gender
    assert info.region == region
    assert info.kind == "resident"
    assert not info.upgraded


@given(
    region=st.sampled_from(["110105", "340524", "440305", "510107", "620102", "710000", "130102"]),
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
def test_generated_numbers_property(region, born, seq):
    number = make_id(region, born, seq)
    info = parse_id_number(number, today=TODAY)
    assert info.birth_date == born
    assert info.gender == ("1" if seq % 2 else "2")
    # Any other last character must be refused, naming the right one.
    wrong = "0" if number[-1] != "0" else "1"
    assert check_id_number(number[:17] + wrong, today=TODAY) == "身份证号校验位不正确,请对照证件逐位核对"


def test_wrong_check_char_names_the_right_one():
    assert check_id_number("110105194912310021") == "身份证号校验位不正确,请对照证件逐位核对"
    with pytest.raises(IdNumberError, match="校验位不正确"):
        parse_id_number("110105194912310021")


def test_impossible_birth_date():
    number = "19900230".join(["110105", "001"])
    number += iso7064_mod11_2(number)
    assert check_id_number(number) == "身份证号中的出生日期不存在(19900230)"


def test_birth_date_after_today():
    number = make_id("110105", date(2024, 6, 2), 1)
    assert check_id_number(number, today=TODAY) == "身份证号中的出生日期晚于今天"
    assert check_id_number(number, today=date(2024, 6, 2)) is None


def test_legacy_15_digit_upgrade():
    assert normalize_id_number("110105491231002") == "11010519491231002X"
    info = parse_id_number("110105491231002")
    assert info.number == "11010519491231002X"
    assert info.upgraded
    assert info.birth_date == date(1949, 12, 31)


def test_lowercase_x_fullwidth_digits_and_spaces_are_normalised():
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert normalize_id_number(" 110105 19491231 002X ") == "11010519491231002X"
    assert parse_id_number("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "身份证号不能为空"),
        (None, "身份证号不能为空"),
        ("   ", "身份证号不能为空"),
        ("1101051949123100", "身份证号应为18位(或15位旧号码),当前为16位"),
        ("11010519491231002Y", "身份证号只能包含数字,最后一位可以是X"),
        ("1101051949123X002X", "身份证号只能包含数字,最后一位可以是X"),
        ("99010519491231002X", "身份证号的地区码不正确(前两位99不是有效的省级代码)"),
        ("16010519491231002X", "身份证号的地区码不正确(前两位16不是有效的省级代码)"),
    ],
)
def test_specific_messages(raw, message):
    assert check_id_number(raw) == message


def test_residence_permits():
    for prefix, kind in (("810000", "hk"), ("820000", "macau"), ("830000", "taiwan")):
        number = make_id(prefix, date(1990, 5, 17), 123)
        info = parse_id_number(number, today=TODAY)
        assert info.kind == kind
        assert info.gender == "1"
    # 81 is not an ordinary province code: only the exact permit prefix is valid.
    message = check_id_number(make_id("810100", date(1990, 5, 17), 123))
    assert message is not None and "810000" in message


def test_error_is_a_value_error_with_chinese_message():
    with pytest.raises(ValueError) as excinfo:
        parse_id_number("123")
    assert isinstance(excinfo.value, IdNumberError)
    assert str(excinfo.value) == "身份证号应为18位(或15位旧号码),当前为3位"


def test_mask_id_number():
    assert mask_id_number("34052419900101001X") == "340524********001X"
    assert mask_id_number("34052419900101001x") == "340524********001X"
    assert mask_id_number("110105491231002") == "110105******002"  # birth date hidden
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    assert mask_id_number("123") == "***"
    for junk in ("1234567", "34052419900101001", "3405241990010100123"):
        masked = mask_id_number(junk)
        assert len(masked) == len(junk)
        assert masked.count("*") >= len(junk) - 4


def test_age_on():
    born = date(1990, 6, 15)
    assert age_on(born, date(2020, 6, 14)) == 29
    assert age_on(born, date(2020, 6, 15)) == 30
    leap = date(2000, 2, 29)
    assert age_on(leap, date(2016, 2, 28)) == 15
    assert age_on(leap, date(2016, 2, 29)) == 16
    assert age_on(leap, date(2017, 2, 28)) == 16
    assert age_on(leap, date(2017, 3, 1)) == 17


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("0551-62345678", "0551-62345678"),
        ("055162345678", "0551-62345678"),
        ("0551 6234 5678", "0551-62345678"),
        ("(0551)62345678", "0551-62345678"),
        ("（０５５１）６２３４５６７８", "0551-62345678"),
        ("0551-6234-5678", "0551-62345678"),
        ("01062345678", "010-62345678"),
        ("010-62345678-123", "010-62345678-123"),
        ("0551-62345678转8001", "0551-62345678-8001"),
        ("+86 551 62345678", "0551-62345678"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_phone(raw, normalised):
    assert normalize_phone(raw) == normalised


def test_check_mobile():
    assert check_mobile("13812345678") is None
    assert check_mobile("+86 199 1234 5678") is None
    assert check_mobile("12812345678") == "手机号码应为11位数字,以13-19开头"
    assert check_mobile("1381234567") == "手机号码应为11位数字,以13-19开头"
    assert check_mobile("0551-62345678") == "手机号码应为11位数字,以13-19开头"
    assert check_mobile("") == "手机号码不能为空"


def test_check_phone():
    for ok in ("13812345678", "0551-62345678", "055162345678", "010-62345678", "0551-6234567", "010-62345678-123"):
        assert check_phone(ok) is None, ok
    assert check_phone("62345678") == "固定电话请加区号,如 0551-62345678"
    assert check_phone("1381234567") == "手机号码应为11位数字,以13-19开头"
    assert check_phone("0551-12345678") is not None  # local numbers do not start with 1
    assert check_phone("0551-623456") is not None
    assert check_phone("010-623456789") is not None
    assert check_phone("电话") is not None
    assert check_phone("") == "电话号码不能为空"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone("0551-62345678") == "0551-****5678"
    assert mask_phone("010-62345678-123") == "010-****5678"
    assert mask_phone("0551-6234567") == "0551-***4567"
    assert mask_phone("") == ""
    assert "1234" not in mask_phone("12345")


# --- unified social credit codes ------------------------------------------------------------


def test_known_valid_uscc():
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert check_uscc("91350100M000100Y43") is None
    assert check_uscc(" 91350100m000100y43 ") is None
    assert normalize_uscc("９１３５０１００ｍ０００１００ｙ４３") == "91350100M000100Y43"


def test_changed_character_fails_uscc():
    assert check_uscc("91350100M000100Y44") == "统一社会信用代码校验位不正确,请对照营业执照逐位核对"
    message = check_uscc("91350100M000200Y43")
    assert message is not None and message == "统一社会信用代码校验位不正确,请对照营业执照逐位核对"
    assert message[-1] != "3"


def test_uscc_shape_messages():
    assert check_uscc("") == "统一社会信用代码不能为空"
    assert check_uscc("91350100M000100Y4") == "统一社会信用代码应为18位,当前为17位"
    assert "无效字符" in check_uscc("91350100M000100I43")
    assert "无效字符" in check_uscc("91350100M0O0100Y43")
    assert check_uscc("9135A100M000100Y43") == "统一社会信用代码第3至8位应为行政区划代码(6位数字)"


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_uscc_check_char_property(first17):
    # Definition: the weighted sum of all 18 characters is a multiple of 31.
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [pow(3, i, 31) for i in range(17)]  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    code = first17 + uscc_check_char(first17)
    total = sum(charset.index(c) * w for c, w in zip(code, weights)) + charset.index(code[-1])
    assert total % 31 == 0
    if code[2:8].isdigit():
        assert check_uscc(code) is None


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", Decimal("1234.50")),
        ("¥1234.50", Decimal("1234.50")),
        ("￥1,234.50", Decimal("1234.50")),
        ("１２３４", Decimal("1234.00")),
        ("1234元", Decimal("1234.00")),
        ("人民币 800 元", Decimal("800.00")),
        (" 0.5 ", Decimal("0.50")),
        ("1.500", Decimal("1.50")),
        (1234, Decimal("1234.00")),
        (Decimal("12.3"), Decimal("12.30")),
        (12.25, Decimal("12.25")),
        ("999,999,999.99", Decimal("999999999.99")),
    ],
)
def test_parse_amount(raw, expected):
    value = parse_amount(raw)
    assert value == expected
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1.234", "金额最多保留两位小数"),
        (0.1 + 0.2, "金额最多保留两位小数"),
        (Decimal("0.001"), "金额最多保留两位小数"),
        ("-5", "金额不能为负数"),
        (-5, "金额不能为负数"),
        ("1000000000", "金额不能超过999,999,999.99元"),
        ("", "金额不能为空"),
        (None, "金额不能为空"),
        ("abc", "金额格式不正确,请填写数字,如 1234.50"),
        ("12,34", "金额格式不正确,请填写数字,如 1234.50"),
        ("1.2.3", "金额格式不正确,请填写数字,如 1234.50"),
        (float("nan"), "金额格式不正确,请填写数字,如 1234.50"),
        (True, "金额格式不正确,请填写数字,如 1234.50"),
    ],
)
def test_amount_errors(raw, message):
    assert check_amount(raw) == message
    with pytest.raises(AmountError):
        parse_amount(raw)


def test_negative_amounts_when_allowed():
    assert parse_amount("-12.5", allow_negative=True) == Decimal("-12.50")
    assert parse_amount("¥-12.5", allow_negative=True) == Decimal("-12.50")
    assert check_amount("-1000000000", allow_negative=True) == "金额不能超过999,999,999.99元"
    assert str(parse_amount("-0")) == "0.00"


def test_fen_conversions_and_formatting():
    assert yuan_to_fen(Decimal("1234.50")) == 123450
    assert yuan_to_fen(7) == 700
    with pytest.raises(AmountError):
        yuan_to_fen(Decimal("0.005"))
    assert fen_to_yuan(123450) == Decimal("1234.50")
    assert str(fen_to_yuan(5)) == "0.05"
    assert str(fen_to_yuan(0)) == "0.00"
    assert format_yuan(123450) == "1,234.50"
    assert format_yuan(5) == "0.05"
    assert format_yuan(-99999999999) == "-999,999,999.99"
    assert format_wan(123456700) == "123.46"
    assert format_wan(123455000) == "123.46"  # half up
    assert format_wan(123454999) == "123.45"
    assert format_wan(0) == "0.00"
    assert format_wan(-123456700) == "-123.46"


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (140950, "壹仟肆佰零玖元伍角"),
        (600714, "陆仟零柒元壹角肆分"),
        (168032, "壹仟陆佰捌拾元零叁角贰分"),
        (10700053, "壹拾万柒仟元零伍角叁分"),
        (100000, "壹仟元整"),
        (1000, "壹拾元整"),
        (0, "零元整"),
        (100000000, "壹佰万元整"),
        (100000000100, "壹拾亿零壹元整"),
        (5, "伍分"),
        (50, "伍角"),
        (32, "叁角贰分"),
        (100, "壹元整"),
        (105, "壹元零伍分"),
        (168030, "壹仟陆佰捌拾元零叁角"),
        (100900, "壹仟零玖元整"),
        (109000, "壹仟零玖拾元整"),
        (1500000, "壹万伍仟元整"),
        (1000100, "壹万零壹元整"),
        (10010000, "壹拾万零壹佰元整"),
        (10000100000, "壹亿零壹仟元整"),
        (10100000000, "壹亿零壹佰万元整"),
        (11000000000, "壹亿壹仟万元整"),
        (99999999999, "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        (-1234, "负壹拾贰元叁角肆分"),
    ],
)
def test_amount_in_words(fen, words):
    assert amount_in_words(fen) == words
    assert words_to_fen(words) == fen


def test_amount_in_words_with_prefix():
    assert amount_in_words_with_prefix(140950) == "人民币壹仟肆佰零玖元伍角"
    assert words_to_fen("人民币壹仟肆佰零玖元伍角") == 140950


def test_words_to_fen_accepts_allowed_variants():
    assert words_to_fen("壹仟陆佰捌拾元叁角贰分") == 168032  # 零 after 元 optional
    assert words_to_fen("壹仟肆佰零玖元伍角整") == 140950  # 整 optional after 角
    assert words_to_fen("壹仟圆正") == 100000
    assert words_to_fen(" 人民币 壹拾元整 ") == 1000


@pytest.mark.parametrize(
    "text",
    ["", "壹仟玖", "拾元整", "壹仟元", "壹仟零零玖元整", "伍分整", "壹拾元伍分", "一千元整", "壹元整整", "负零元整", "元整"],
)
def test_words_to_fen_refuses_malformed_text(text):
    with pytest.raises(AmountError):
        words_to_fen(text)


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_words_round_trip(n):
    words = amount_in_words(n)
    assert words_to_fen(words) == n
    assert words_to_fen("人民币" + words) == n
    if n:
        assert words_to_fen("负" + words) == -n
    else:
        with pytest.raises(AmountError):
            words_to_fen("负" + words)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_words_round_trip_negative(n):
    assert words_to_fen(amount_in_words(-n)) == -n


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_words_structure(n):
    words = amount_in_words(n)
    assert "零零" not in words
    assert words.endswith(("整", "角", "分"))
    assert words.endswith("整") == (n % 100 == 0)
    assert not words.startswith("零") or n == 0
    assert not words.startswith("拾")


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2020-03-05",
        "2020-3-5",
        "2020/3/5",
        "2020.3.5",
        "2020年3月5日",
        "2020 年 3 月 5 日",
        "20200305",
        "２０２０－０３－０５",
        "２０２０年３月５日",
        "2020-03-05 10:30:00",
        "2020/3/5 0:00",
        "2020-03-05T08:00",
        date(2020, 3, 5),
        datetime(2020, 3, 5, 23, 59),
        43895,
        43895.75,
        20200305,
    ],
)
def test_parse_date_formats(raw):
    assert parse_date(raw) == date(2020, 3, 5)


def test_excel_serials_around_the_fake_leap_day():
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(2958465) == date(9999, 12, 31)
    assert check_date(60) is not None and check_date(60).startswith("日期不存在")
    assert check_date(0) == "日期格式不正确,请按 2020-03-05 填写"


def test_year_less_date_uses_today():
    assert parse_date("3月5日", today=TODAY) == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2019-02-29", "日期不存在(2019年2月29日)"),
        ("2020年13月1日", "日期不存在(2020年13月1日)"),
        ("20200230", "日期不存在(2020年2月30日)"),
        ("2020-3/5", "日期格式不正确,请按 2020-03-05 填写"),
        ("3/5/2020", "日期格式不正确,请按 2020-03-05 填写"),
        ("明天", "日期格式不正确,请按 2020-03-05 填写"),
        ("", "日期不能为空"),
        (None, "日期不能为空"),
    ],
)
def test_date_errors(raw, message):
    assert check_date(raw) == message
    with pytest.raises(DateError):
        parse_date(raw)


def test_leap_day_is_accepted():
    assert parse_date("2020-02-29") == date(2020, 2, 29)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)))
def test_date_round_trips(d):
    assert parse_date(format_iso(d)) == d
    assert parse_date(format_cn_date(d)) == d
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d
    assert parse_date(d + timedelta(0)) == d


def test_date_formatting():
    assert format_cn_date(date(2020, 3, 5)) == "2020年3月5日"
    assert format_cn_date(date(2020, 12, 25)) == "2020年12月25日"
    assert format_iso(date(2020, 3, 5)) == "2020-03-05"
    assert format_iso(datetime(2020, 3, 5, 10, 0)) == "2020-03-05"
    assert format_cn_date(None) == "" and format_iso(None) == ""


# --- package hygiene ------------------------------------------------------------------------


def test_validation_uses_only_the_standard_library():
    allowed_prefixes = ("__future__", "re", "dataclasses", "datetime", "decimal", "functools", "unicodedata")
    for path in VALIDATION_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside the package
                    continue
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed_prefixes, f"{path.name} imports {name}"
