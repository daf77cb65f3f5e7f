"""Helpers shared by record commands: ``--set 字段=值`` pairs checked against a record spec."""

from __future__ import annotations

from app.errors import AppError
from app.fields.spec import Kind, RecordSpec


def add_set_option(parser, spec: RecordSpec) -> None:
    keys = "、".join(f"{f.key}({f.label})" for f in spec.editable_fields)
    parser.add_argument("--set", action="append", default=[], metavar="字段=值",
                        help=f"字段值,可重复;字段可写英文键或中文名:{keys}")


def parse_sets(session, spec: RecordSpec, pairs: list[str]) -> dict[str, str]:
    by_label = {f.label: f.key for f in spec.fields}
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        key = by_label.get(key, key)
        if not sep or not spec.has(key):
            raise AppError(f"无法识别的字段“{pair}”,应写成 字段=值")
        f = spec.field(key)
        if f.readonly:
            raise AppError(f"{f.label}由系统计算,不能直接填写")
        values[key] = resolve_ref(session, value) if f.kind == Kind.REF else value
    return values


def resolve_ref(session, text: str) -> str:
    """A unit given by its id, region code or exact name."""
    from app.services.units import find_unit

    return find_unit(session, text).id
