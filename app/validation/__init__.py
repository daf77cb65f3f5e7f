"""Pure validation and formatting helpers (standard library only, never Qt).

Every checker returns a Chinese message for the user or None; every parser raises a
``ValueError`` subclass whose ``str()`` is that message. Import from here, not the submodules.
"""

from .dates import DateError, check_date, format_cn_date, format_iso, parse_date
from .idcard import IdInfo, IdNumberError, age_on, check_id_number, id_check_char, mask_id_number, normalize_id_number, parse_id_number
from .money import (
    MAX_AMOUNT,
    AmountError,
    amount_in_words,
    amount_in_words_with_prefix,
    check_amount,
    fen_to_yuan,
    format_wan,
    format_yuan,
    parse_amount,
    words_to_fen,
    yuan_to_fen,
)
from .phone import check_mobile, check_phone, mask_phone, normalize_phone
from .text import clean_text, strip_text, to_halfwidth
from .uscc import USCC_CHARSET, check_uscc, normalize_uscc, uscc_check_char

__all__ = [
    # text
    "to_halfwidth",
    "clean_text",
    "strip_text",
    # ID numbers
    "IdInfo",
    "IdNumberError",
    "id_check_char",
    "normalize_id_number",
    "parse_id_number",
    "check_id_number",
    "mask_id_number",
    "age_on",
    # phones
    "normalize_phone",
    "check_mobile",
    "check_phone",
    "mask_phone",
    # unified social credit codes
    "USCC_CHARSET",
    "uscc_check_char",
    "normalize_uscc",
    "check_uscc",
    # money
    "AmountError",
    "MAX_AMOUNT",
    "parse_amount",
    "check_amount",
    "yuan_to_fen",
    "fen_to_yuan",
    "format_yuan",
    "format_wan",
    "amount_in_words",
    "amount_in_words_with_prefix",
    "words_to_fen",
    # dates
    "DateError",
    "parse_date",
    "check_date",
    "format_cn_date",
    "format_iso",
]
