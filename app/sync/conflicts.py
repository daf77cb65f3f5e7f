"""The conflict queue: list, show side by side, resolve.

An ``edit`` conflict is resolved by keeping one version or choosing field by field; the result is
written as a new local version (its vector dominates both, so it travels on and settles the same
conflict wherever it arrives). A ``duplicate`` is resolved by keeping both (different people) or
voiding one of the two records. An ``immutable`` alarm is acknowledged after checking. A
``number`` clash (two archives numbered alike on two PCs) is resolved by renumbering one of them,
on the PC of the unit that owns it; it closes by itself once the numbers no longer clash.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from sqlalchemy import select

from app.clock import utcnow
from app.db.tracking import tombstone
from app.errors import AppError, NotFound
from app.fields.masking import mask
from app.fields.registry import spec_for_table
from app.fields.spec import display_value
from app.models import SyncConflict
from app.security import audit
from app.security.roles import Perm
from app.sync import policy

KIND_LABELS = {"edit": "修改冲突", "duplicate": "疑似重复人员", "immutable": "不可更改记录被改动",
               "number": "档案编号重复"}
# how a table's number is issued again: (module, function(session, actor, row_id, reason) -> (old, new));
# a register numbered by its ``Numbering`` (tickets, legal-aid cases) is renumbered by the kit
RENUMBER = {"hardship_archives": ("app.services.hardship.workflow", "renumber"),
            "form_numbers": ("app.services.form_numbers", "renumber")}


def _renumberer(table: str):
    """The function that gives a record of ``table`` the next free number."""
    import importlib

    if table in RENUMBER:
        module, name = RENUMBER[table]
        return getattr(importlib.import_module(module), name)
    from app.kit.numbering import numbered_registers, renumber

    reg = numbered_registers()[table]
    return lambda session, actor, row_id, reason: renumber(session, actor, reg, row_id, reason)


def numbered_tables() -> list[str]:
    from app.kit.numbering import numbered_registers

    return [*RENUMBER, *(t for t in numbered_registers() if t not in RENUMBER)]


@dataclass(frozen=True)
class FieldDiff:
    key: str
    label: str
    local: str  # display text (masked for ID, phone, bank numbers)
    remote: str
    differs: bool
    protected: bool


@dataclass(frozen=True)
class ConflictView:
    id: str
    kind: str
    kind_label: str
    table: str
    title: str
    row_id: str
    label: str
    detected_at: object
    peer_name: str
    status: str
    winner: str
    fields: list[FieldDiff]


def list_conflicts(session, actor, *, status: str | None = "open") -> list[SyncConflict]:
    actor.require(Perm.READ, "查看冲突")
    q = select(SyncConflict).order_by(SyncConflict.detected_at.desc())
    if status:
        q = q.where(SyncConflict.status == status)
    return list(session.scalars(q))


def open_count(session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(SyncConflict)
                          .where(SyncConflict.status == "open")) or 0


def detail(session, actor, conflict_id: str) -> ConflictView:
    actor.require(Perm.READ, "查看冲突")
    c = _get(session, conflict_id)
    spec = spec_for_table(c.table_name)
    local, remote = orjson.loads(c.local_version), orjson.loads(c.remote_version)
    if c.kind in ("duplicate", "number"):  # the record already here, as stored now
        cur = session.connection().exec_driver_sql(
            f"SELECT * FROM {c.table_name} WHERE id = ?", (c.other_row_id,))
        row = cur.mappings().fetchone()
        local = dict(row) if row else {}
    from app.fields.spec import Kind
    from app.services.listing import ref_labels
    from app.services.records import codebook

    book = codebook(session)
    names: dict[str, str] = {}  # referenced records (a member's union) by name, not by id
    for f in spec.fields if spec else ():
        if f.kind == Kind.REF and f.ref:
            names.update(ref_labels(session, f.ref, {v[f.key] for v in (local, remote) if v.get(f.key)}))
    diffs = []
    keys = [f.key for f in spec.fields] if spec else [k for k in remote if k not in policy.META]
    protected = policy.protected_fields(c.table_name)
    for key in keys + ["deleted"]:
        if key not in remote and key not in local:
            continue
        f = spec.field(key) if spec and spec.has(key) else None
        label = f.label if f else ("已作废" if key == "deleted" else key)

        def show(v, f=f, key=key):
            if key == "deleted":
                return "是" if v else "否"
            if v is None:
                return ""
            text = names.get(v, str(v)) if f and f.kind == Kind.REF else \
                display_value(f, v, book) if f else str(v)
            return mask(f.mask, text) if f and f.mask and f.mask != "name" else text
        diffs.append(FieldDiff(key, label, show(local.get(key)), show(remote.get(key)),
                               local.get(key) != remote.get(key), key in protected))
    kind_label = "表格编号重复" if c.kind == "number" and c.table_name == "form_numbers" else \
        KIND_LABELS.get(c.kind, c.kind)
    return ConflictView(c.id, c.kind, kind_label, c.table_name,
                        spec.title if spec else "打印表格编号" if c.table_name == "form_numbers"
                        else c.table_name, c.row_id, c.label, c.detected_at,
                        c.peer_name, c.status, c.winner, diffs)


def _get(session, conflict_id: str) -> SyncConflict:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFound("找不到该冲突记录")
    return c


def _close(session, actor, c: SyncConflict, resolution: str) -> None:
    c.status, c.resolved_by, c.resolved_at, c.resolution = "resolved", actor.username, utcnow(), resolution
    audit.append(session, action="conflict_resolve", actor=actor, object_type=c.table_name,
                 object_id=c.row_id, summary=f"处理{KIND_LABELS.get(c.kind, c.kind)}“{c.label}”:{resolution}")


def resolve_edit(session, actor, conflict_id: str, *, keep: str | None = None,
                 choices: dict[str, str] | None = None) -> None:
    """``keep`` = "local" | "remote" for a whole version, or ``choices`` {field: "local"|"remote"}
    (fields not named keep the current value). Writes a new version that supersedes both."""
    actor.require(Perm.WRITE, "处理数据冲突")
    c = _get(session, conflict_id)
    if c.kind != "edit" or c.status != "open":
        raise AppError("该冲突不是待处理的修改冲突")
    versions = {"local": orjson.loads(c.local_version), "remote": orjson.loads(c.remote_version)}
    if keep not in (None, "local", "remote") or (keep is None and not choices):
        raise AppError("请选择保留哪个版本,或逐个字段选择")
    model = policy.model_for(c.table_name)
    obj = session.get(model, c.row_id)
    if obj is None:
        raise NotFound("该记录已不存在")
    user_cols = [k for k in versions["local"] if k not in policy.META]
    picks = {k: keep for k in user_cols} if keep else dict(choices)
    changed = False
    for key, side in picks.items():
        if key not in user_cols or side not in versions:
            raise AppError(f"无法识别的字段选择 {key}={side}")
        value = _typed(model.__table__.c[key], versions[side][key])
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if not changed:
        # The current (provisional) version was kept: still write a new version, so the decision
        # travels and settles the same conflict wherever it was queued.
        from app.db.tracking import bump_vv, reserve_change_seqs

        seq = reserve_change_seqs(session, 1)
        obj.vv = bump_vv(obj.vv, session.info.get("device_id") or "", seq)
        obj.revision, obj.updated_at, obj.updated_by = obj.revision + 1, utcnow(), actor.username
    session.flush()
    what = ("保留本机版本" if keep == "local" else "保留对方版本" if keep == "remote"
            else "逐字段选择:" + "、".join(f"{k}←{'本机' if v == 'local' else '对方'}" for k, v in picks.items()))
    _close(session, actor, c, what)


def _typed(col, value):
    from datetime import date, datetime

    from sqlalchemy import Boolean, Date, DateTime

    if value is None:
        return None
    if isinstance(col.type, Boolean):
        return bool(value)
    if isinstance(col.type, DateTime) and isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(col.type, Date) and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def resolve_duplicate(session, actor, conflict_id: str, action: str) -> None:
    """``keep_both`` (two different people), ``void_incoming`` or ``void_existing``."""
    actor.require(Perm.WRITE, "处理疑似重复人员")
    c = _get(session, conflict_id)
    if c.kind != "duplicate" or c.status != "open":
        raise AppError("该记录不是待处理的疑似重复人员")
    model = policy.model_for(c.table_name)
    labels = {"keep_both": "确认不是同一人,两条都保留", "void_incoming": "作废导入的记录",
              "void_existing": "作废本机原有的记录"}
    if action not in labels:
        raise AppError("请选择:两条都保留、作废导入的记录,或作废本机原有的记录")
    if action != "keep_both":
        obj = session.get(model, c.row_id if action == "void_incoming" else c.other_row_id)
        if obj is not None and not obj.deleted:
            tombstone(obj)
            session.flush()
    _close(session, actor, c, labels[action])


def resolve_number(session, actor, conflict_id: str, action: str) -> tuple[str, str]:
    """``renumber_incoming`` or ``renumber_existing``: the next free number for that record.
    Returns (old, new)."""
    from app.models import Unit
    from app.services.units import root_unit

    actor.require(Perm.WRITE, "处理编号重复")
    c = _get(session, conflict_id)
    if c.kind != "number" or c.status != "open":
        raise AppError("该记录不是待处理的编号重复")
    labels = {"renumber_incoming": "导入的记录", "renumber_existing": "本机原有的记录"}
    if action not in labels:
        raise AppError("请选择为导入的记录还是本机原有的记录重新编号")
    row_id = c.row_id if action == "renumber_incoming" else c.other_row_id
    obj = session.get(policy.model_for(c.table_name), row_id)
    if obj is None or obj.deleted:
        raise AppError(f"{labels[action]}已不存在(可能已作废),请选择另一份")
    owner, own = session.get(Unit, obj.owner_unit_id), root_unit(session)
    if owner is not None and own is not None and owner.code != own.code:
        raise AppError(f"该记录属于{owner.name},编号须由该单位重新编;"
                       "其新编号随数据包到达后,此项自动消除")
    number = getattr(obj, policy.number_key(c.table_name))
    old, new = _renumberer(c.table_name)(
        session, actor, row_id, f"编号 {number} 与另一台电脑编出的另一份记录重复")
    _close(session, actor, c, f"为{labels[action]}重新编号:{old} → {new}(原编号打印的表格作废)")
    settle_numbers(session.connection())
    return old, new


def settle_numbers(conn) -> int:
    """Close the open number clashes whose two records no longer share a number (renumbered or
    voided here or on another PC). ``conn``: a SQLAlchemy connection or a sqlite3 connection."""
    closed = 0
    for table in numbered_tables():
        key = policy.number_key(table)
        sql = (f"UPDATE sync_conflicts SET status = 'superseded', resolution = '编号已不再重复"
               f"(已重新编号或作废)' WHERE kind = 'number' AND status = 'open' AND table_name = "
               f"'{table}' AND NOT EXISTS (SELECT 1 FROM {table} a JOIN {table} b ON a.{key} = b.{key} "
               f"WHERE a.id = sync_conflicts.row_id AND b.id = sync_conflicts.other_row_id "
               f"AND a.deleted = 0 AND b.deleted = 0)")
        cur = conn.exec_driver_sql(sql) if hasattr(conn, "exec_driver_sql") else conn.execute(sql)
        closed += max(cur.rowcount, 0)
    return closed


def acknowledge(session, actor, conflict_id: str) -> None:
    """An integrity alarm was checked (the local record was kept)."""
    actor.require(Perm.WRITE, "处理完整性警报")
    c = _get(session, conflict_id)
    if c.status != "open":
        raise AppError("该项已处理")
    _close(session, actor, c, "已核查,保留本机记录")
