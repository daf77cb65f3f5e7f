"""The generic record service: get, create, update, void, and the batch pair check_many / add_many
over any register (``app.kit.register``), with the register's hooks — permissions, the unit scope
a user may act in, one rule function per record, derived values and numbering. Plus the helpers
every area service shares: load a live record, check input against its spec, apply it, reveal a
masked value (audited).

Order of a save: fill (values from other records) → clean (the spec) → initial values → derive →
prepare (session-aware derived values) → the rule → the unit scope → numbering → write. A batch
(Excel import) runs the same steps over all rows, with one rule call for the batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationFailed
from app.fields.codes import CodeBook
from app.fields.spec import RecordSpec
from app.kit import children
from app.kit.batch_order import BatchRef, generations, has_refs, position
from app.security import audit
from app.security.roles import Perm


def codebook(session: Session) -> CodeBook:
    """The session's CodeBook, loaded once per unit of work."""
    book = session.info.get("codebook")
    if book is None:
        book = session.info["codebook"] = CodeBook.load(session)
    return book


def get_live(session: Session, spec: RecordSpec, record_id: str):
    obj = session.get(spec.model, record_id)
    if obj is None or getattr(obj, "deleted", False):
        raise NotFound(f"找不到该{spec.title}记录(可能已作废)")
    return obj


def clean_or_raise(session: Session, spec: RecordSpec, values: Mapping[str, Any], *,
                   partial: bool = False, draft: bool = False) -> dict[str, Any]:
    cleaned, errors = spec.clean(values, codebook(session), partial=partial, draft=draft)
    if errors:
        raise ValidationFailed(errors, spec.labels)
    return cleaned


def apply(obj, cleaned: Mapping[str, Any]) -> None:
    for key, value in cleaned.items():
        setattr(obj, key, value)


# -- the generic service --------------------------------------------------------------------------
def as_register(key_or_register):
    """The register a key names (or the register itself)."""
    from app.kit.register import Register, register

    return key_or_register if isinstance(key_or_register, Register) else register(key_or_register)


def get(session: Session, actor, key, record_id: str):
    reg = as_register(key)
    actor.require(reg.read, f"查看{reg.name}")
    return get_live(session, reg.spec, record_id)


# The permission that changes a record type that is not a register (WRITE when not named here):
# their services require the same (app.security.users, app.services.codes).
WRITE_PERMISSIONS: dict[str, Perm] = {"user": Perm.MANAGE_USERS, "code_item": Perm.MANAGE_CODES}


def may_write(actor, key: str) -> bool:
    """Whether the user may change records of ``key``: a register's declared permission, or the
    one its service requires."""
    from app.kit.register import find

    reg = find(key)
    return actor.can(reg.write if reg is not None else WRITE_PERMISSIONS.get(key, Perm.WRITE))


def child_rows(session: Session, actor, key, record_id: str, child_key: str) -> list[dict[str, Any]]:
    """A record's live sub-table rows (家庭成员, 刚性支出) as its form edits them: the editable
    values and the row's id (kept for the update), in the child spec's order."""
    from sqlalchemy import select

    from app.fields.registry import spec as spec_by_key

    reg = as_register(key)
    get(session, actor, reg, record_id)  # the parent's read permission, and that it is live
    child = next(c for c in reg.spec.children if c.key == child_key)
    spec = spec_by_key(child.spec_key)
    table = spec.model.__table__
    rows = session.scalars(select(spec.model).where(
        table.c[child.parent_key] == record_id, table.c.deleted.is_(False))
        .order_by(table.c[spec.default_sort], table.c.id))
    return [{"id": r.id, **{f.key: getattr(r, f.key, None) for f in spec.editable_fields}}
            for r in rows]


def stored_values(spec: RecordSpec, obj) -> dict[str, Any]:
    return {f.key: getattr(obj, f.key, None) for f in spec.fields}


def _non_blank(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "")}


def filled(session: Session, reg, values: Mapping[str, Any]) -> dict[str, Any]:
    """Raw input as a save reads it: blanks dropped, then what the register fills in from other
    records (``fill``: the archive's head into a visit)."""
    raw = _non_blank(values)
    return reg.fill(session, raw) if reg.fill is not None else raw


def _new_values(session: Session, reg, cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """A new record's values: the register's initial values, the spec's defaults, then what was
    typed, then what derives from them."""
    full = {f.key: f.default for f in reg.spec.fields if f.default is not None and f.readonly}
    full.update(reg.initial)
    full.update(cleaned)
    _derive(session, reg, full, None)
    return full


def _derive(session: Session, reg, values: dict, record) -> None:
    if reg.derive is not None:
        reg.derive(values)
    if reg.prepare is not None:
        with session.no_autoflush:
            reg.prepare(session, values, record)


def check_items(session: Session, reg, items: list) -> dict[int, dict[str, str]]:
    """The spec's declared date orders and the register's rule over a batch: errors by item
    index (nothing written)."""
    found = {i: e for i, it in enumerate(items) if (e := reg.spec.order_errors(it.values))}
    if reg.rule is not None and items:
        with session.no_autoflush:
            for i, e in (reg.rule(session, items) or {}).items():
                if e:
                    found[i] = {**found.get(i, {}), **e}
    return found


def _raise_first(reg, errors: dict[int, dict[str, str]]) -> None:
    if errors:
        raise ValidationFailed(errors[min(errors)], reg.spec.labels)


def unit_of(session: Session, reg, values: Mapping[str, Any]) -> str | None:
    """The union a record belongs to: its ``spec.unit_key`` field, or the register's ``unit_of``
    (a help plan belongs to its archive's union)."""
    if reg.spec.unit_key:
        return values.get(reg.spec.unit_key)
    return reg.unit_of(session, values) if reg.unit_of is not None else None


def _scope(session: Session, actor, reg, *unit_ids: str | None) -> list:
    """Refuse a user whose unit is not the record's union or above it, and a union another unit
    owns (the city does not register a county's members); the unit chains checked."""
    from app.services.units import require_in_chain

    chains = []
    for unit_id in dict.fromkeys(u for u in unit_ids if u):
        chain = require_in_chain(session, actor, unit_id, f"处理该单位的{reg.name}")
        require_unit_owned(session, reg, chain[0])
        chains.append(chain)
    return chains


def require_unit_owned(session: Session, reg, unit) -> None:
    """Records under a union another unit owns are that unit's to register and change."""
    from app.services.ownership import OwnedElsewhere, owned_here, owner_name

    if unit is not None and not owned_here(session, unit.owner_unit_id):
        owner = owner_name(session, unit.owner_unit_id)
        raise OwnedElsewhere(f"“{unit.name}”属于{owner},其{reg.name}只能由{owner}登记和修改;"
                             "如需更正或作废,可以向其提出请求", unit.owner_unit_id)


def _require_owner(session: Session, reg, record_id: str) -> None:
    """The record's own unit changes it (checked before an area's own path too)."""
    from app.fields.registry import describe
    from app.services.ownership import require_owned

    obj = session.get(reg.spec.model, record_id)
    if obj is not None:
        title, label = describe(obj)
        require_owned(session, obj.owner_unit_id, f"{title}“{label}”")


def create(session: Session, actor, key, values: Mapping[str, Any]):
    """A new record of the register ``key`` from raw values (a form, the CLI)."""
    from app.kit.register import Item

    reg = as_register(key)
    if reg.create is not None:
        if reg.spec.unit_key and isinstance(unit := values.get(reg.spec.unit_key), str):
            from app.models import Unit

            require_unit_owned(session, reg, session.get(Unit, unit))
        return reg.create(session, actor, values)
    if not reg.creatable:
        raise AppError(f"{reg.name}不能直接新增")
    actor.require(reg.write, f"新增{reg.name}")
    head, rows = children.split(reg.spec, values)
    cleaned = clean_or_raise(session, reg.spec, filled(session, reg, head))
    cleaned.update(children.clean(session, reg.spec, rows))
    full = _new_values(session, reg, cleaned)
    _raise_first(reg, check_items(session, reg, [Item(full, None, frozenset(cleaned))]))
    _scope(session, actor, reg, unit_of(session, reg, full))
    if reg.number is not None and not full.get(reg.number.key):
        from app.kit.numbering import next_numbers

        full[reg.number.key] = next_numbers(session, reg, [full])[0]
    obj = reg.spec.model()
    apply(obj, _own(reg, full))
    session.add(obj)
    session.flush()
    children.write(session, reg.spec, obj, full)
    _written(session, actor, reg, [obj.id])
    return obj


def _own(reg, values: Mapping[str, Any]) -> dict[str, Any]:
    """The record's own values, without its sub-tables' rows."""
    subs = children.keys(reg.spec)
    return {k: v for k, v in values.items() if k not in subs}


def _written(session: Session, actor, reg, ids: list[str]) -> None:
    """The register's ``written`` hook, after records were created, changed or voided."""
    if reg.written is not None and ids:
        reg.written(session, actor, ids)


def update(session: Session, actor, key, record_id: str, values: Mapping[str, Any]):
    """Change some fields of a record (the keys present in ``values``)."""
    reg = as_register(key)
    _require_owner(session, reg, record_id)
    if reg.update is not None:
        return reg.update(session, actor, record_id, values)
    _may_update(actor, reg)
    obj = get_live(session, reg.spec, record_id)
    item = _changed_item(session, reg, obj, values)
    _raise_first(reg, check_items(session, reg, [item]))
    _scope(session, actor, reg, unit_of(session, reg, stored_values(reg.spec, obj)),
           unit_of(session, reg, item.values))
    _write_change(session, reg, obj, item)
    _written(session, actor, reg, [obj.id])
    return obj


def _write_change(session: Session, reg, obj, item) -> None:
    """Store what ``item`` changes on ``obj``: its own columns, then its sub-tables' rows."""
    apply(obj, {k: v for k, v in _own(reg, item.values).items() if getattr(obj, k, None) != v})
    session.flush()
    subs = children.keys(reg.spec)
    if subs & item.changed:
        children.write(session, reg.spec, obj, {k: item.values[k] for k in subs & item.changed})


def _may_update(actor, reg) -> None:
    if not reg.editable:
        raise AppError(f"{reg.name}登记后不能修改")
    actor.require(reg.write, f"修改{reg.name}")


def _changed_item(session: Session, reg, obj, values: Mapping[str, Any], where: str = "",
                  *, cleaned: bool = False, unlocked: bool = False):
    """The rule's view of ``obj`` with ``values`` (raw, or already ``cleaned``) applied; a record
    the register locks is refused unless the caller checked that itself (``unlocked``)."""
    from app.kit.register import Item

    if not unlocked and reg.locked is not None and (why := reg.locked(obj)):
        raise AppError(f"{where}:{why}" if where else why)
    if not cleaned:
        raw, rows = children.split(reg.spec, values)
        if reg.fill is not None:
            raw = reg.fill(session, raw)
        values = clean_or_raise(session, reg.spec, raw, partial=True)
        values.update(children.clean(session, reg.spec, rows))
    _refuse_set_once(reg.spec, obj, values)
    full = stored_values(reg.spec, obj) | children.stored(session, reg.spec, obj.id) | dict(values)
    _derive(session, reg, full, obj)
    return Item(full, obj, frozenset(values), where)


def update_many(session: Session, actor, key, changes: Sequence[tuple[str, Mapping[str, Any]]], *,
                source: str, row_numbers: Sequence[int] | None = None, check_only: bool = False
                ) -> dict[int, dict[str, str]] | int:
    """Change many records at once (an Excel import in 更新已有记录 mode): ``changes`` are
    (record id, cleaned values to set). The register's rule runs once over the whole batch, the
    unit scope per record; with ``check_only`` the errors by index are returned and nothing is
    written, else the first error is raised and every change is written in the caller's
    transaction, each change audited with its before and after, and the batch with its source."""
    reg = as_register(key)
    _may_update(actor, reg)
    for rid, _ in changes:
        _require_owner(session, reg, rid)
    objs = [get_live(session, reg.spec, rid) for rid, _ in changes]
    errors: dict[int, dict[str, str]] = {}
    items = []
    for i, (obj, (_, values)) in enumerate(zip(objs, changes)):
        if reg.locked is not None and (why := reg.locked(obj)):
            errors[i] = {"": why}
            values = {}
        items.append(_changed_item(session, reg, obj, values, batch_position(i, row_numbers),
                                   cleaned=True, unlocked=True))
    for i, e in check_items(session, reg, items).items():
        errors[i] = {**errors.get(i, {}), **e}
    for i, (obj, item) in enumerate(zip(objs, items)):
        try:
            _scope(session, actor, reg, unit_of(session, reg, stored_values(reg.spec, obj)),
                   unit_of(session, reg, item.values))
        except AppError as exc:
            errors.setdefault(i, {})[reg.spec.unit_key or ""] = exc.message
    if check_only:
        return errors
    _raise_first(reg, errors)
    for obj, item in zip(objs, items):  # each change is audited with its before and after
        _write_change(session, reg, obj, item)
    _written(session, actor, reg, [o.id for o in objs])
    audit.append(session, action="update", actor=actor, object_type=reg.spec.model.__table__.name,
                 summary=f"批量修改{reg.name} {len(objs):,} 条(来源:{source})",
                 detail={"count": len(objs), "source": source, "ids": [o.id for o in objs][:500]})
    return len(objs)


def _refuse_set_once(spec: RecordSpec, obj, cleaned: Mapping[str, Any]) -> None:
    """A field given when the record was made (``Field.set_once``) keeps its value on an edit."""
    errors = {f.key: f.set_once for f in spec.fields
              if f.set_once and f.key in cleaned and cleaned[f.key] != getattr(obj, f.key, None)}
    if errors:
        raise ValidationFailed(errors, spec.labels)


def void(session: Session, actor, key, record_id: str) -> None:
    """作废: the record leaves lists and figures; the row stays (it may have left the machine)."""
    reg = as_register(key)
    _require_owner(session, reg, record_id)
    if reg.void is not None:
        return reg.void(session, actor, record_id)
    if not reg.voidable:
        raise AppError(f"{reg.name}不能作废")
    actor.require(reg.write, f"作废{reg.name}")
    obj = get_live(session, reg.spec, record_id)
    if reg.locked is not None and (why := reg.locked(obj)):
        raise AppError(why)
    _scope(session, actor, reg, unit_of(session, reg, stored_values(reg.spec, obj)))
    if reg.before_void is not None:
        reg.before_void(session, obj)
    obj.deleted = True
    session.flush()
    _written(session, actor, reg, [obj.id])
    return None


@dataclass(frozen=True)
class Ownership:
    """Who may change a record, as a form or list shows it: here, or only its owning unit (then
    this user may file a request, when allowed to change such records at all)."""

    owned: bool
    owner_name: str
    may_request: bool
    waiting: tuple[str, ...] = ()  # requests to the owner not answered yet ("作废", "更正")

    @property
    def notice(self) -> str:
        if self.owned:
            return ""
        text = f"本记录属于{self.owner_name},只有该单位能修改或作废。"
        if self.may_request:
            text += "可以提出更正或作废请求,随下一个数据包发给该单位,由其处理后结果发回。"
        if self.waiting:
            text += f"已有{'、'.join(self.waiting)}请求在等待{self.owner_name}处理。"
        return text


def ownership(session: Session, actor, key, record_id: str) -> Ownership:
    from sqlalchemy import select

    from app.models import ChangeRequest, RequestAnswer
    from app.models.requests import ACTIONS
    from app.services.ownership import owned_here, owner_name

    reg = as_register(key)
    obj = get(session, actor, reg, record_id)
    if owned_here(session, obj.owner_unit_id):
        return Ownership(True, "", False)
    waiting = session.scalars(select(ChangeRequest.action).outerjoin(
        RequestAnswer, RequestAnswer.id == ChangeRequest.id).where(
        ChangeRequest.target_id == record_id, ChangeRequest.deleted.is_(False),
        RequestAnswer.id.is_(None)))
    return Ownership(False, owner_name(session, obj.owner_unit_id), actor.can(reg.write),
                     tuple(ACTIONS.get(a, a) for a in waiting))


def find_ids(session: Session, key, text: str, *, limit: int = 5) -> list[str]:
    """Live records of the register a typed key names: its record id (or the first 8+ characters
    the lists show), its name, the exact value of a search field (an ID number in any accepted
    form), or the register's own ``lookup``."""
    import re

    from sqlalchemy import or_, select

    from app.fields.spec import Kind

    reg = as_register(key)
    text = text.strip()
    table = reg.spec.model.__table__
    live = [table.c.deleted.is_(False)] if "deleted" in table.c else []
    if re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f-]{0,27})?", text):  # a record id, whole or its start
        found = list(session.scalars(select(table.c.id).where(*live, table.c.id.like(f"{text}%")).limit(limit)))
        if found:
            return found
    if reg.lookup is not None:
        return reg.lookup(session, text)[:limit]
    conds = [table.c.id == text, table.c[reg.spec.display_key] == text]
    for f in reg.spec.fields:
        if f.search and f.key in table.c:
            value = text
            if f.kind == Kind.ID_NUMBER:
                from app.validation.idcard import normalize_id_number

                try:
                    value = normalize_id_number(text)
                except ValueError:
                    continue
            conds.append(table.c[f.key] == value)
    return list(session.scalars(select(table.c.id).where(*live, or_(*conds)).limit(limit)))


def resolve_id(session: Session, key, text: str) -> str:
    """The one live record a typed key names (``find_ids``), or a message saying why not."""
    reg = as_register(key)
    found = find_ids(session, reg, text)
    if not found:
        raise NotFound(f"找不到{reg.name}“{text.strip()}”(可写{reg.lookup_hint})")
    if len(found) > 1:
        raise AppError(f"“{text.strip()}”对应 {len(found)} 条{reg.name}记录,请改用记录编号"
                       f"(record search {reg.key} 可查)")
    return found[0]


# -- many at once (Excel import) -------------------------------------------------------------------
def batch_position(i: int, row_numbers: Sequence[int] | None) -> str:
    """How a message names the ``i``-th row of a batch: the sheet row Excel shows when the batch
    came from a file (the number the import report uses), else its place in the batch."""
    return position(row_numbers[i] if row_numbers is not None else i, row_numbers)


def _batch(session: Session, actor, reg, rows: list[dict[str, Any]],
           wheres: list[str], checked: bool = False) -> tuple[list, dict[int, dict[str, str]]]:
    from app.kit.register import Item

    items = [Item(_new_values(session, reg, dict(row)), None, frozenset(row), where)
             for row, where in zip(rows, wheres)]
    if checked:  # the rule and the scope passed on this very state of the database
        return items, {}
    errors = check_items(session, reg, items)
    where = reg.spec.unit_key or ""
    refused: dict[str | None, str] = {}  # by unit: many rows of a file share one union
    held = []  # the chains checked stay loaded: the next union's township is not read again
    for i, item in enumerate(items):
        unit = unit_of(session, reg, item.values)
        if unit not in refused:
            try:
                held += _scope(session, actor, reg, unit)
                refused[unit] = ""
            except AppError as exc:
                refused[unit] = exc.message
        if refused[unit]:
            errors.setdefault(i, {})[where] = refused[unit]
    return items, errors


def _write_batch(session: Session, actor, reg, rows: list[dict[str, Any]], row_numbers, *,
                 strict: bool, checked: bool = False) -> tuple[set[str], dict[int, dict[str, str]]]:
    """Check and insert the rows generation by generation (``BatchRef`` values become the ids
    written before them): (ids written, errors by index); ``strict`` raises the first error."""
    errors: dict[int, dict[str, str]] = {}
    ids: dict[int, str] = {}  # by the row's number (its index when there are no numbers)
    numbers = row_numbers if row_numbers is not None else range(len(rows))
    stamper = None
    for generation in generations(rows, row_numbers, errors):
        values = [{k: ids[v.row] if isinstance(v, BatchRef) else v for k, v in rows[i].items()}
                  for i in generation]
        items, found = _batch(session, actor, reg, values,
                              [batch_position(i, row_numbers) for i in generation], checked)
        if strict:
            _raise_first(reg, found)
        errors.update({generation[n]: e for n, e in found.items()})
        good = [(i, it) for n, (i, it) in enumerate(zip(generation, items)) if n not in found]
        if good:
            if stamper is None:
                stamper = _stamper(session, actor, len(rows))
            new = _insert(session, reg, [it for _, it in good], stamper)
            ids.update(zip((numbers[i] for i, _ in good), new))
    if strict:
        _raise_first(reg, errors)
    _written(session, actor, reg, list(ids.values()))
    return set(ids.values()), errors


def _stamper(session: Session, actor, n: int):
    from app.db.bulk import Stamper
    from app.db.tracking import reserve_change_seqs

    return Stamper(first_seq=reserve_change_seqs(session, n), username=actor.username,
                   device_id=session.info.get("device_id") or "",
                   owner_unit_id=session.info.get("root_unit_id"))


def _insert(session: Session, reg, items: list, stamper) -> list[str]:
    """Number, stamp and insert new records in bulk; their ids."""
    from sqlalchemy import insert

    from app.db.base import new_id_in

    if reg.number is not None:
        from app.kit.numbering import next_numbers

        missing = [it.values for it in items if not it.values.get(reg.number.key)]
        for values, number in zip(missing, next_numbers(session, reg, missing)):
            values[reg.number.key] = number
    table = reg.spec.model.__table__
    keys = [f.key for f in reg.spec.fields if f.key in table.c]
    keys += sorted({k for it in items for k in it.values if k in table.c and k not in keys})
    out = []
    for it in items:
        row = {k: it.values.get(k) for k in keys}
        for f in reg.spec.fields:  # defaults the ORM would otherwise fill in
            if f.key in row and row[f.key] is None and f.default is not None:
                row[f.key] = f.default
        row["id"] = it.values.get("id") or new_id_in(session)
        out.append(stamper.stamp(row))
    session.execute(insert(table), out)  # Core: twice the rows a second of the ORM's bulk insert
    return [row["id"] for row in out]


def check_many(session: Session, actor, key, rows: list[dict[str, Any]], *,
               row_numbers: Sequence[int] | None = None) -> dict[int, dict[str, str]]:
    """The checks of ``create`` for a batch of cleaned rows (spec-cleaned, as an Excel import has
    them): errors by row index. Writes nothing: rows that name other rows (``BatchRef``) are
    written in a savepoint that is then rolled back, so ``session`` must be a writable one."""
    reg = as_register(key)
    actor.require(reg.write, f"导入{reg.name}")
    if not has_refs(rows):
        return _batch(session, actor, reg, rows, [batch_position(i, row_numbers)
                                                  for i in range(len(rows))])[1]
    point = session.begin_nested()
    try:
        written, errors = _write_batch(session, actor, reg, rows, row_numbers, strict=False)
    finally:
        point.rollback()
    for obj in [o for o in session.identity_map.values() if isinstance(o, reg.spec.model)]:
        if obj.id in written:  # loaded by a rule from a row that is undone again
            session.expunge(obj)
    return errors


def add_many(session: Session, actor, key, rows: list[dict[str, Any]], *, source: str,
             row_numbers: Sequence[int] | None = None, checked: bool = False) -> int:
    """Create many records in the caller's transaction: checked again (the database may have
    changed since the rows were checked) unless ``checked`` says it has not, stamped and inserted
    in bulk, audited as one entry."""
    reg = as_register(key)
    actor.require(reg.write, f"导入{reg.name}")
    if not rows:
        return 0
    n = len(_write_batch(session, actor, reg, rows, row_numbers, strict=True, checked=checked)[0])
    audit.append(session, action="import", actor=actor, object_type=reg.spec.model.__table__.name,
                 summary=f"批量登记{reg.name} {n:,} 条(来源:{source})",
                 detail={"count": n, "source": source})
    return n


# -- reveals ----------------------------------------------------------------------------------------
def reveal(session: Session, actor, spec: RecordSpec, record_id: str, field_key: str,
           reason: str = "") -> Any:
    """The full value of a masked field. Needs the REVEAL permission; every reveal is logged."""
    f = spec.field(field_key)
    actor.require(Perm.REVEAL, f"查看完整的{f.label}")
    obj = get_live(session, spec, record_id)
    audit.append(session, action="reveal", actor=actor, object_type=spec.model.__table__.name,
                 object_id=record_id,
                 summary=f"查看{spec.title}“{spec.describe(obj)}”的完整{f.label}"
                         + (f"(事由:{reason})" if reason else ""))
    return getattr(obj, field_key)


def reveal_entered(session: Session, actor, spec: RecordSpec, field_key: str, value: Any) -> Any:
    """A masked value that a new record's form holds without knowing the record it came from:
    shown in full only with the REVEAL permission, and logged like any reveal."""
    from app.fields.masking import mask_field

    f = spec.field(field_key)
    actor.require(Perm.REVEAL, f"查看完整的{f.label}")
    audit.append(session, action="reveal", actor=actor, object_type=spec.model.__table__.name,
                 summary=f"查看新增{spec.title}中带入的完整{f.label}“{mask_field(f, value)}”")
    return value
