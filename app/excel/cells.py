"""How a field's stored value becomes a spreadsheet cell, and a cell becomes raw input again.

Out: dates as real dates (yyyy-mm-dd), money as numbers in 元 with two decimals (fen → 元, exact),
coded values as their labels, number-like text — ID, phone and bank numbers, USCC, and text fields
declared ``digits`` such as 会员证号 — as text cells (never 1.23E+17), masked unless the exporter
may reveal. In: what Excel hands back (datetimes, floats, booleans, numbers typed into
text columns) turned into the raw text ``RecordSpec.clean`` understands, refusing an ID number that
Excel has already turned into a float (its last digits are gone).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from app.fields.masking import mask_field
from app.fields.spec import Field, Kind
from app.validation import fen_to_yuan

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
YEAR_FORMAT = "0"  # a year is a number without a thousands separator, whatever the locale
DIGIT_KINDS = (Kind.ID_NUMBER, Kind.BANK_ACCOUNT)  # long digit strings: text, never numbers
NUMBER_TEXT_KINDS = DIGIT_KINDS + (Kind.PHONE, Kind.MOBILE, Kind.USCC)
TEXT_KINDS = (Kind.TEXT, Kind.TEXTAREA, Kind.PHONE, Kind.MOBILE, Kind.USCC, Kind.REF) + DIGIT_KINDS


def is_text_number(f: Field) -> bool:
    """A column of digits kept as text (ID, phone, bank, USCC, and fields declared ``digits``)."""
    return f.kind in NUMBER_TEXT_KINDS or (f.digits and f.kind == Kind.TEXT)


def number_format(f: Field) -> str | None:
    """The cell format a column needs (None: the default is right)."""
    if is_text_number(f):
        return TEXT_FORMAT
    if f.kind == Kind.DATE:
        return DATE_FORMAT
    if f.kind == Kind.DATETIME:
        return DATETIME_FORMAT
    if f.kind == Kind.MONEY:
        return MONEY_FORMAT
    if f.kind == Kind.YEAR:
        return YEAR_FORMAT
    return None


def exporter(f: Field, codes, *, reveal: bool) -> Callable[[object], object]:
    """A function from a stored value to the cell value of column ``f`` (a reference column holds
    the referenced record's name already: ``app.excel.refs.named_rows``)."""
    k = f.kind
    masked = f.mask and not reveal
    if masked and k not in (Kind.CODE, Kind.CODES):  # masked text, whatever the kind (a birth date)
        return lambda v: None if v is None or v == "" else mask_field(f, v)
    if k == Kind.CODE:
        labels = {e.code: e.label for e in codes.items(f.code_table, active_only=False)} \
            if f.code_table else dict(f.choices)
        return lambda v: None if v is None else labels.get(v, v)
    if k == Kind.CODES:
        labels = {e.code: e.label for e in codes.items(f.code_table, active_only=False)} \
            if f.code_table else dict(f.choices)
        return lambda v: None if not v else "、".join(labels.get(c, c) for c in v.split(",") if c)
    if k == Kind.BOOL:
        return lambda v: None if v is None else ("是" if v else "否")
    if k == Kind.MONEY:
        return lambda v: None if v is None else fen_to_yuan(v)
    if k == Kind.DATETIME:
        from app.clock import to_local

        return lambda v: None if v is None else to_local(v).replace(microsecond=0)
    if k == Kind.DATE:
        return lambda v: v if v is None or isinstance(v, date) else date.fromisoformat(str(v)[:10])
    if k in TEXT_KINDS:
        return lambda v: None if v is None else str(v)
    return lambda v: v


class CellError(ValueError):
    """A cell that cannot be read as input; ``str()`` is the message for the report."""


def raw_input(f: Field, value):
    """A cell's value as input for ``RecordSpec.clean`` (or None when empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    k = f.kind
    if isinstance(value, bool):
        return value if k == Kind.BOOL else ("是" if value else "否")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if k in DIGIT_KINDS or f.digits:
            # Excel keeps 15 significant digits: an 18-digit number read back as a float has lost
            # its tail. A 15-digit legacy ID (or an exact integer from another program) is whole.
            if isinstance(value, float) and (abs(value) >= 1e15 or value != int(value)):
                raise CellError(f"{f.label}被 Excel 存成了数字,后几位已丢失。请把该列设为“文本”格式后重新填写")
            return str(int(value))
        if k in TEXT_KINDS or k in (Kind.CODE, Kind.CODES):
            return str(int(value)) if value == int(value) else str(value)
        return value
    if isinstance(value, datetime):
        return value if k in (Kind.DATETIME,) else value.date()
    return value
