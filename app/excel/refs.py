"""Reference columns (a member's union, a payout's household and campaign) resolved through the
spec they refer to: the referenced register declares how a spreadsheet names its records
(``Register.named_by``: a unit by its name or region code, a member by ID number or 会员证号, an
archive by 档案编号 or the head's ID number; by default its display key).

- An export writes the first of those keys that names that record alone — passing over a number
  the export masks — or else its id, so that importing the export finds the same record.
- An import accepts any of them (an ID number in any accepted form) or the record's id, among live
  records the field allows (``ref_filter``), and reports a text that names no record, or several,
  on its row. A text naming no record may name another row of the same file when the spec refers
  to itself (a unit's parent defined on another row): a ``BatchRef`` to that row.
- A template lists the names as a drop-down, unless they are masked numbers or too many to pick.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy import select

from app.fields.spec import Field, Kind, RecordSpec, clean_value
from app.kit.batch_order import BatchRef

CHUNK = 500  # values in one IN (...)
CACHE = 50_000  # names kept per column while an export streams
LIST_MAX = 2_000  # a drop-down of more names is no help: the column is typed instead


def name_fields(spec_key: str) -> tuple[Field, ...]:
    """The fields a spreadsheet names a record of ``spec_key`` by, in the order an export tries them."""
    from app.fields.registry import spec
    from app.kit.register import find

    s, reg = spec(spec_key), find(spec_key)
    return tuple(s.field(k) for k in (reg.name_keys if reg is not None else (s.display_key,)))


def how_named(f: Field) -> str:
    """"单位的单位名称或区划代码": what a reference column takes (填写说明, messages)."""
    from app.fields.registry import spec

    return f"{spec(f.ref).title}的" + "或".join(k.label for k in name_fields(f.ref))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while part := list(islice(it, size)):
        yield part


def _table(spec_key: str):
    from app.fields.registry import spec

    return spec(spec_key).model.__table__


def _live(f: Field, t) -> list:
    conds = [t.c.deleted.is_(False)] if "deleted" in t.c else []
    return conds + [t.c[key].in_(allowed) for key, allowed in (f.ref_filter or {}).items()]


# -- export ---------------------------------------------------------------------------------------
def named_rows(session, fields: list[Field], rows: Iterable, *, reveal: bool,
               chunk: int = 2000) -> Iterator:
    """``rows`` (values in ``fields`` order) with each reference id replaced by the name an import
    reads back, looked up for a chunk of rows at a time (a streamed export stays streamed)."""
    cols = [(i, f) for i, f in enumerate(fields) if f.kind == Kind.REF and f.ref]
    if not cols:
        yield from rows
        return
    caches: dict[int, dict] = {i: {} for i, _ in cols}
    for part in _chunks(rows, chunk):
        for i, f in cols:
            cache = caches[i]
            if len(cache) > CACHE:
                cache.clear()
            cache.update(_names(session, f, {r[i] for r in part if r[i]} - cache.keys(), reveal))
        for r in part:
            r = list(r)
            for i, _ in cols:
                if r[i]:
                    r[i] = caches[i].get(r[i], r[i])
            yield r


def _names(session, f: Field, ids: set, reveal: bool) -> dict[str, str]:
    """{id: the text naming it}: the first key that names only this record among those ``f`` may
    point at; the id when every key is shared with another record; a voided record (which no text
    finds again) by its first key, so that history still reads."""
    from app.fields.masking import mask_field

    keys, t = name_fields(f.ref), _table(f.ref)
    texts: dict[str, list[str]] = {}
    for part in _chunks(sorted(ids), CHUNK):
        for rid, *values in session.execute(select(t.c.id, *[t.c[k.key] for k in keys])
                                            .where(t.c.id.in_(part))):
            filled = [(k, str(v)) for k, v in zip(keys, values) if v not in (None, "")]
            texts[rid] = [v for k, v in filled if reveal or not k.mask] or \
                [mask_field(k, v) for k, v in filled[:1]]
    found = matches(session, f, {text for shown in texts.values() for text in shown})
    out = {}
    for rid, shown in texts.items():
        unique = next((text for text in shown if found[text] == {rid}), None)
        shared = any(found[text] - {rid} for text in shown)
        out[rid] = unique or (rid if shared or not shown else shown[0])
    return out


# -- import ---------------------------------------------------------------------------------------
def _normalised(keys: tuple[Field, ...], text: str) -> dict[str, object]:
    """The stored value ``text`` stands for in each key column (an ID number upgraded, upper-case X)."""
    out = {}
    for k in keys:
        try:
            value = clean_value(k, text)
        except ValueError:
            continue
        if value is not None:
            out[k.key] = value
    return out


def matches(session, f: Field, texts: Iterable[str]) -> dict[str, set[str]]:
    """The ids of the live records (that ``f`` allows) each text names, by id or by a name key."""
    keys, t = name_fields(f.ref), _table(f.ref)
    found: dict[str, set[str]] = {text: set() for text in texts}
    wanted: dict[str, dict[object, set[str]]] = {"id": {text: {text} for text in found}}
    for text in found:
        for key, value in _normalised(keys, text).items():
            wanted.setdefault(key, {}).setdefault(value, set()).add(text)
    live = _live(f, t)
    for key, by_value in wanted.items():
        for part in _chunks(by_value, CHUNK):
            for rid, value in session.execute(select(t.c.id, t.c[key]).where(*live, t.c[key].in_(part))):
                for text in by_value.get(value, ()):
                    found[text].add(rid)
    return found


def link(session, spec: RecordSpec, rows: list[tuple[int, dict, dict]]) -> None:
    """Resolve the reference columns of cleaned rows (row number, values, errors) in place: the id
    of the one record a text names, or a ``BatchRef`` to the one row of the file it names (a spec
    that refers to itself), else an error on that column."""
    own = _file_names(spec, rows)
    for f in (f for f in spec.editable_fields if f.kind == Kind.REF and f.ref):
        texts = {str(v[f.key]) for _, v, e in rows if v.get(f.key) and f.key not in e}
        if not texts:
            continue
        found = matches(session, f, texts)
        for row_no, values, errors in rows:
            text = str(values.get(f.key) or "")
            if not text or f.key in errors:
                continue
            ids = found[text]
            inside = _rows_named(spec, own, text) if own and not ids else []
            if len(ids) == 1:
                values[f.key] = next(iter(ids))
            elif len(inside) == 1:
                values[f.key] = BatchRef(inside[0])
            elif ids or inside:
                where = "本文件中有多行" if inside else "有多个"
                errors[f.key] = f"{where}名为“{text}”的{_title(f)},请改填能区分它们的{_keys_or_id(f)}"
            else:
                errors[f.key] = f"找不到{_title(f)}“{text}”(填写{how_named(f)},须与系统中的一致)"


def _file_names(spec: RecordSpec, rows) -> dict[tuple[str, object], list[int]]:
    """Rows of the file by each (key, value) they can be named by, for a spec naming itself."""
    if not any(f.kind == Kind.REF and f.ref == spec.key for f in spec.editable_fields):
        return {}
    out: dict[tuple[str, object], list[int]] = {}
    for row_no, values, _ in rows:
        for k in name_fields(spec.key):
            if values.get(k.key) is not None:
                out.setdefault((k.key, values[k.key]), []).append(row_no)
    return out


def _rows_named(spec: RecordSpec, own: dict, text: str) -> list[int]:
    found = {n: None for key, value in _normalised(name_fields(spec.key), text).items()
             for n in own.get((key, value), ())}
    return list(found)


def _title(f: Field) -> str:
    from app.fields.registry import spec

    return spec(f.ref).title


def _keys_or_id(f: Field) -> str:
    return "、".join(k.label for k in name_fields(f.ref)) + "或记录编号"


# -- templates ------------------------------------------------------------------------------------
def choices(session, f: Field) -> list[str] | None:
    """The names a template's drop-down offers for a reference column (None: typed instead)."""
    key, t = name_fields(f.ref)[0], _table(f.ref)
    if key.mask:
        return None  # ID numbers are personal data: a template carries none
    col = t.c[key.key]
    names = list(session.scalars(select(col).where(*_live(f, t), col.is_not(None)).distinct()
                                 .order_by(col).limit(LIST_MAX + 1)))
    return [str(n) for n in names] if len(names) <= LIST_MAX else None
