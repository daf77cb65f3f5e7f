"""Helpers shared by record commands: ``--set 字段=值`` pairs checked against a record spec."""

from __future__ import annotations

from app.errors import InvalidInput
from app.fields.spec import Kind, RecordSpec


def field_names(spec: RecordSpec) -> str:
    """The fields ``--set`` takes: English key and Chinese label."""
    return "、".join(f"{f.key}({f.label})" for f in spec.editable_fields)


def add_set_option(parser, spec: RecordSpec | None = None) -> None:
    keys = f":{field_names(spec)}" if spec is not None else "(record fields KIND 列出)"
    parser.add_argument("--set", action="append", default=[], metavar="字段=值",
                        help=f"字段值,可重复;字段可写英文键或中文名{keys}")


def pairs(spec: RecordSpec, items: list[str], what: str = "--set") -> dict[str, str]:
    """``字段=值`` pairs by field key (a field named by its key or its Chinese label)."""
    by_label = {f.label: f.key for f in spec.fields}
    values: dict[str, str] = {}
    for pair in items:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInput(f"“{pair}”应写成 字段=值(例如 {what} 姓名=张三)")
        key = by_label.get(name, name)
        if not spec.has(key):
            raise InvalidInput(f"没有字段“{name}”。{spec.title}可填写的字段:{field_names(spec)}")
        values[key] = value
    return values


def parse_sets(session, spec: RecordSpec, items: list[str]) -> dict[str, str]:
    """``--set`` values for a new or changed record; a reference is named by the referenced
    record's name (a unit also by its region code) and given as its id."""
    from app.kit.options import ref_id

    values = pairs(spec, items)
    for key, value in values.items():
        f = spec.field(key)
        if f.readonly:
            raise InvalidInput(f"{f.label}由系统计算,不能直接填写")
        if f.kind == Kind.REF and value.strip():
            values[key] = ref_id(session, f.ref, value.strip())[0]
    return values


def resolve_ref(session, text: str) -> str:
    """A unit given by its id, region code or exact name."""
    from app.services.units import find_unit

    return find_unit(session, text).id
