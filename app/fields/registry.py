"""Every record spec, found by key or by table: the specs of the areas' registers and the other
specs their manifest entries name (``app.areas``)."""

from __future__ import annotations

import importlib
from functools import cache, lru_cache

from app.fields.masking import mask
from app.fields.spec import Mask, RecordSpec


@lru_cache(maxsize=1)
def all_specs() -> tuple[RecordSpec, ...]:
    from app.areas import entries
    from app.kit.register import all_registers

    specs: dict[str, RecordSpec] = {}
    for name in entries("specs"):
        for s in importlib.import_module(name).SPECS:
            specs.setdefault(s.key, s)
    for reg in all_registers():
        if specs.setdefault(reg.key, reg.spec) is not reg.spec:
            raise RuntimeError(f"two specs are named {reg.key}")
    return tuple(specs.values())


def spec(key: str) -> RecordSpec:
    for s in all_specs():
        if s.key == key:
            return s
    raise KeyError(key)


@cache
def spec_for_table(table: str) -> RecordSpec | None:
    for s in all_specs():
        if s.model.__table__.name == table:
            return s
    return None


@cache
def sensitive_columns(table: str) -> dict[str, Mask]:
    s = spec_for_table(table)
    return {f.key: f.mask for f in s.fields if f.mask not in (Mask.NONE, Mask.NAME)} if s else {}


def mask_for_audit(table: str, column: str, value):
    """The audit log shows that an ID, phone or bank number changed, never the number itself."""
    kind = sensitive_columns(table).get(column)
    return mask(kind, value) if kind else value


def describe(obj) -> tuple[str, str]:
    """(record type title, record label) for messages: ("会员", "张三")."""
    s = spec_for_table(obj.__table__.name)
    if s is None:
        return obj.__table__.name, str(getattr(obj, "id", ""))
    return s.title, s.describe(obj)
