"""Masking of sensitive values on screen, in exports and in the audit log (PIPL 去标识化展示)."""

from __future__ import annotations

from app import validation as v
from app.fields.spec import Field, Mask

BIRTH_MASK = "****-**-**"  # a masked birth date (lists, exports, public copies)


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三 (for public lists and masked exports)."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_bank(account: str) -> str:
    return "**** " + account[-4:] if len(account) > 4 else "****"


def mask(kind: Mask, value):
    if value is None or value == "" or kind == Mask.NONE:
        return value
    text = str(value)
    if kind == Mask.ID:
        return v.mask_id_number(text)
    if kind == Mask.PHONE:
        return v.mask_phone(text)
    if kind == Mask.BANK:
        return mask_bank(text)
    if kind == Mask.NAME:
        return mask_name(text)
    if kind == Mask.BIRTH:
        return BIRTH_MASK
    return value


def mask_field(f: Field, value):
    return mask(f.mask, value)
