"""What a numeric field lets through as it is typed: digits (half- or full-width, as a Chinese
input method gives them), thousands separators, a decimal point where the kind has decimals and a
minus sign only where the field allows negatives. Letters and words never reach the field; the
range and the format are still ``RecordSpec.clean``'s to check."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator

from app.fields.spec import Field, Kind

_DIGIT = "[0-9０-９]"
_SEP = "[,，]"
_POINT = "[.．]"


def number_pattern(f: Field) -> str | None:
    """The regular expression a field of kind ``f.kind`` is typed to, or None for other kinds."""
    sign = "[-－]?" if f.min_value is not None and f.min_value < 0 else ""
    whole = f"(?:{_DIGIT}|{_SEP})*"
    if f.kind == Kind.YEAR:
        return f"{_DIGIT}{{0,4}}年?"
    if f.kind == Kind.INT:
        return f"{sign}{whole}"
    if f.kind == Kind.MONEY:
        return f"{sign}{whole}(?:{_POINT}{_DIGIT}{{0,2}})?"
    if f.kind == Kind.DECIMAL:
        return f"{sign}{whole}(?:{_POINT}{_DIGIT}*)?"
    return None


def number_validator(f: Field, parent=None) -> QRegularExpressionValidator | None:
    pattern = number_pattern(f)
    if pattern is None:
        return None
    return QRegularExpressionValidator(QRegularExpression(pattern), parent)
