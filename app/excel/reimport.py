"""Recognising the rows of a re-imported sheet: a row whose person key (``__person_key__`` of the
register's model, the ID number of a member — the key the bundle exchange also matches people by,
``app.sync.policy``) names a live record is that record, not a new one.

A recognised row whose columns all hold what the record holds is *unchanged* (counted, not
written). One that differs is an *update*: offered, with the per-field difference, only in the
explicit 更新已有记录 mode (``check_file(..., update=True)``); otherwise refused, naming the
columns that differ, so an export imported again never makes a second record of the same person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.sync.policy import person_key


@dataclass
class Match:
    record_id: str
    name: str
    values: dict  # the columns to set, cleaned
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)
    error: str = ""  # the key names several live records


def match_rows(session, spec, rows: list[tuple[int, dict]], columns: frozenset[str], *,
               reveal: bool) -> dict[int, Match]:
    """{sheet row: Match} for the rows whose person key names a live record. ``columns`` are the
    field keys the sheet has: only those are compared (a column left out changes nothing)."""
    key = person_key(spec.model.__table__.name)
    if key is None or key not in columns:
        return {}
    wanted = {v[key] for _, v in rows if v.get(key)}
    model = spec.model
    holders: dict[str, list] = {}
    values = sorted(wanted)
    for k in range(0, len(values), 500):
        for obj in session.scalars(select(model).where(getattr(model, key).in_(values[k:k + 500]),
                                                       model.deleted.is_(False))):
            holders.setdefault(getattr(obj, key), []).append(obj)
    compared = [f for f in spec.editable_fields if f.key in columns and f.key != key]
    out: dict[int, Match] = {}
    for row_no, cleaned in rows:
        found = holders.get(cleaned.get(key) or "")
        if not found:
            continue
        if len(found) > 1:
            out[row_no] = Match("", "", {}, error=f"本县已有 {len(found)} 条该{spec.field(key).label}"
                                                  f"的{spec.title}记录,请先在程序中合并")
            continue
        obj = found[0]
        sets = {f.key: cleaned.get(f.key) for f in compared if cleaned.get(f.key) != getattr(obj, f.key)}
        out[row_no] = Match(obj.id, spec.describe(obj), sets,
                            [(f.label, _text(session, f, getattr(obj, f.key), reveal),
                              _text(session, f, sets[f.key], reveal)) for f in compared if f.key in sets])
    return out


def _text(session, f, value, reveal: bool) -> str:
    """A value as the import report shows it: code labels, a reference's name, masked numbers."""
    from app.fields.masking import mask_field
    from app.fields.spec import Kind, display_value
    from app.services.records import codebook

    if value is None or value == "":
        return "(空)"
    if f.kind == Kind.REF:
        from app.fields.registry import spec as spec_of

        target = spec_of(f.ref)
        obj = session.get(target.model, value)
        return target.describe(obj) if obj is not None else str(value)
    if f.mask and not reveal:
        value = mask_field(f, value)
    return display_value(f, value, codebook(session))


def changed_message(spec, m: Match) -> str:
    """Why a changed row is refused outside the 更新已有记录 mode."""
    return (f"已有该{spec.title}记录({m.name}),本行与其不同的列:"
            + "、".join(label for label, _, _ in m.changes)
            + "。要用本表修改已有记录,请选择“更新已有记录”方式导入")
