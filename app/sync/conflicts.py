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
# a number clash says which number: table -> label (default: KIND_LABELS["number"])
NUMBER_LABELS = {"documents": "文号重复", "form_numbers": "表格编号重复"}
# how a table's number is issued again: (module, function(session, actor, row_id, reason) -> (old, new));
# a register numbered by its ``Numbering`` (tickets, legal-aid cases) is renumbered by the kit
RENUMBER = {"hardship_archives": ("app.services.hardship.workflow", "renumber"),
            "documents": ("app.services.organisation.documents", "renumber"),
            "form_numbers": ("app.services.form_numbers", "renumber")}


def kind_label(c) -> str:
    if c.kind == "number":
        return NUMBER_LABELS.get(c.table_name, KIND_LABELS["number"])
    return KIND_LABELS.get(c.kind, c.kind)


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
    current: str = ""  # the record's value now (an edit conflict: it may have moved on)


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
    owner_id: str | None = None  # the unit that owns the record (a county, at the city)
    owner_name: str = ""
    owned_here: bool = True  # False: only the owner decides; its decision closes this here
    sides: tuple[str, str] = ("本机", "对方")  # which unit and PC each version came from
    current_vv: str = ""  # the record's version the view showed (``resolve_edit(seen=…)``)
    moved: bool = False  # the record changed after the conflict was queued
    resolution: str = ""


def list_conflicts(session, actor, *, status: str | None = "open") -> list[SyncConflict]:
    actor.require(Perm.READ, "查看冲突")
    q = select(SyncConflict).order_by(SyncConflict.detected_at.desc())
    if status:
        q = q.where(SyncConflict.status == status)
    return list(session.scalars(q))


def open_count(session) -> int:
    """The open items this installation can act on: conflicts and clashes of its own records (a
    county's are the county's to decide), possible duplicates, alarms, and requests to it."""
    from sqlalchemy import func, or_

    from app.services.requests import pending_count

    owner = func.coalesce(func.json_extract(SyncConflict.remote_version, "$.owner_unit_id"), "")
    mine = or_(SyncConflict.kind.notin_(("edit", "number")),
               owner.in_(("", session.info.get("root_unit_id") or "")))
    return (session.scalar(select(func.count()).select_from(SyncConflict)
                           .where(SyncConflict.status == "open", mine)) or 0) + pending_count(session)


def _stored(session, table: str, row_id: str | None) -> dict:
    """A record as the database holds it (the form conflicts keep their versions in)."""
    if not row_id:
        return {}
    row = session.connection().exec_driver_sql(
        f"SELECT * FROM {table} WHERE id = ?", (row_id,)).mappings().fetchone()
    return dict(row) if row else {}


def detail(session, actor, conflict_id: str, *, devices: dict | None = None) -> ConflictView:
    """One item of the queue side by side; ``devices``: device id → who (``device_names``), for
    many items at once."""
    from app.services.ownership import owned_here, owner_name
    from app.sync.decisions import base_of
    from app.sync.merge import compare

    actor.require(Perm.READ, "查看冲突")
    c = _get(session, conflict_id)
    spec = spec_for_table(c.table_name)
    local, remote = orjson.loads(c.local_version), orjson.loads(c.remote_version)
    current = _stored(session, c.table_name, c.row_id) if c.kind == "edit" else {}
    if c.kind in ("duplicate", "number"):  # the record already here, as stored now
        local = _stored(session, c.table_name, c.other_row_id)
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
    fields = set(orjson.loads(c.fields or "[]"))
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
        disputed = key in fields if c.kind == "edit" else local.get(key) != remote.get(key)
        diffs.append(FieldDiff(key, label, show(local.get(key)), show(remote.get(key)),
                               disputed, key in protected, show(current.get(key))))
    owner = remote.get("owner_unit_id") or local.get("owner_unit_id")
    moved = bool(current) and c.status == "open" and compare(
        orjson.loads(current.get("vv") or "{}"), base_of(local, remote)) != "eq"
    who = devices if devices is not None else device_names(session)
    if c.kind == "duplicate":  # the record already here and the new one: each by its owning unit
        mine = local.get("owner_unit_id")
        sides = (owner_name(session, mine) if mine else "本机", c.peer_name or "对方")
    else:
        sides = _sides(local, remote, who, c.peer_name)
    return ConflictView(c.id, c.kind, kind_label(c), c.table_name,
                        spec.title if spec else "打印表格编号" if c.table_name == "form_numbers"
                        else c.table_name, c.row_id, c.label, c.detected_at,
                        c.peer_name, c.status, c.winner, diffs, owner,
                        owner_name(session, owner) if owner else "", owned_here(session, owner),
                        sides, current.get("vv") or "", moved,
                        c.resolution)


def request_view(r) -> ConflictView:
    """A request to or from this unit (``app.services.requests.RequestView``) as an item of the
    queue: the record's current values beside those asked for."""
    if r.action == "correct":
        fields = [FieldDiff(c.key, c.label, c.current, c.requested, True, False) for c in r.changes]
    elif r.action == "check":
        fields = []
    else:
        fields = [FieldDiff("deleted", "已作废", "否", "是", True, True)]
    note = f"理由:{r.reason}" + (f";保留“{r.survivor_label}”" if r.survivor_label else "")
    if r.status != "pending":
        note += f"。{r.owner_name}{r.status_label}" + (f":{r.note}" if r.note else "")
    kind, label = (("request", f"{r.requester}请求{r.action_label}") if r.incoming
                   else ("request_out", f"请{r.owner_name}{r.action_label}"))
    return ConflictView(r.id, kind, label, r.register, r.title, r.target_id, r.target_label,
                        r.requested_at, r.requester, "open" if r.status == "pending" else "resolved",
                        "", fields, r.owner_id, r.owner_name, r.incoming,
                        ("现在的值", "请求的值"), "", False, note)


def device_names(session) -> dict[str, str]:
    """Device id → the unit and PC it belongs to, from the trusted cards (and this PC)."""
    from app.models import Installation, SyncPeer

    out = {}
    for p in session.scalars(select(SyncPeer)):
        who = p.unit_name + (f"({p.device_name})" if p.device_name else "")
        for dev in [p.device_id, *orjson.loads(p.known_devices or "[]")]:
            if dev:
                out[dev] = who
    inst = session.scalar(select(Installation))
    if inst is not None:
        for dev in [inst.device_id, *orjson.loads(inst.previous_device_ids or "[]")]:
            out[dev] = "本机"
    return out


def _sides(local: dict, remote: dict, names: dict[str, str], peer: str) -> tuple[str, str]:
    """Who made each version: the devices whose changes one version has and the other lacks."""
    def who(a: dict, b: dict, fallback: str) -> str:
        va, vb = orjson.loads(a.get("vv") or "{}"), orjson.loads(b.get("vv") or "{}")
        found = sorted({names.get(d, "") for d, n in va.items() if n > vb.get(d, 0)} - {""})
        return "、".join(found) or fallback
    return who(local, remote, "本机"), who(remote, local, peer or "对方")


def _get(session, conflict_id: str) -> SyncConflict:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFound("找不到该冲突记录")
    return c


def _close(session, actor, c: SyncConflict, resolution: str) -> None:
    c.status, c.resolved_by, c.resolved_at, c.resolution = "resolved", actor.username, utcnow(), resolution
    audit.append(session, action="conflict_resolve", actor=actor, object_type=c.table_name,
                 object_id=c.row_id, summary=f"处理{kind_label(c)}“{c.label}”:{resolution}")


def resolve_edit(session, actor, conflict_id: str, *, keep: str | None = None,
                 choices: dict[str, str] | None = None, seen: str | None = None) -> None:
    """``keep`` = "local" | "remote" for the disputed fields, or ``choices`` {field: "local" |
    "remote" | "current"} (fields not named keep their current value). Writes a new version that
    supersedes both, with the decided fields' dots, and a travelling note of the decision.
    ``seen``: the record's vector the view showed (``ConflictView.current_vv``); a record that
    moved on since is refused (``ConflictMoved``), so an old view never undoes a newer decision."""
    from app.db.tracking import bump_vv, reserve_change_seqs
    from app.services.ownership import owned_here, owner_name
    from app.sync import decisions, fieldversions
    from app.sync.merge import vv_max

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
    if not owned_here(session, obj.owner_unit_id):
        name = owner_name(session, obj.owner_unit_id)
        raise AppError(f"该记录属于{name},冲突由{name}处理;其处理结果随数据包到达后,此项自动消除")
    decisions.check_seen(obj.vv, *versions.values(), seen)
    disputed = orjson.loads(c.fields or "[]")
    picks = {k: keep for k in disputed} if keep else dict(choices)
    changed = False
    for key, side in picks.items():
        if key not in disputed or side not in ("local", "remote", "current"):
            raise AppError(f"无法识别的字段选择 {key}={side}")
        if side == "current":
            continue
        value = _typed(model.__table__.c[key], versions[side][key])
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    decided_on = vv_max(decisions.base_of(*versions.values()), orjson.loads(obj.vv or "{}"))
    if not changed:
        # The current values were kept: still a new version, so the decision travels
        seq = reserve_change_seqs(session, 1)
        obj.vv = bump_vv(obj.vv, session.info.get("device_id") or "", seq)
        obj.revision, obj.updated_at, obj.updated_by = obj.revision + 1, utcnow(), actor.username
    session.flush()
    device = session.info.get("device_id") or ""
    counter = orjson.loads(obj.vv)[device]
    # every decided field is stamped (a value kept as it was too): later edits elsewhere then
    # merge field by field instead of all becoming conflicts
    fieldversions.record(session, c.table_name, c.row_id, disputed, device, counter)
    what = ("保留本机版本" if keep == "local" else "保留对方版本" if keep == "remote"
            else "逐字段选择:" + "、".join(f"{k}←{SIDE_WORDS[v]}" for k, v in picks.items()))
    decisions.record(session, c.table_name, c.row_id, obj.owner_unit_id, decided_on, disputed,
                     f"{c.label}:{what}")
    _close(session, actor, c, what)


SIDE_WORDS = {"local": "本机", "remote": "对方", "current": "当前"}


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


def resolve_duplicate(session, actor, conflict_id: str, action: str, *, reason: str = "") -> str:
    """``keep_both`` (two different people), ``void_incoming`` or ``void_existing``. A record
    another unit owns is not voided here: a merge request goes to its owner (the next bundle
    takes it) and the item closes with that said. Returns what was done, in words."""
    from app.fields.registry import describe, spec_for_table
    from app.services.ownership import owned_here, owner_name

    actor.require(Perm.WRITE, "处理疑似重复人员")
    c = _get(session, conflict_id)
    if c.kind != "duplicate" or c.status != "open":
        raise AppError("该记录不是待处理的疑似重复人员")
    model = policy.model_for(c.table_name)
    labels = {"keep_both": "确认不是同一人,两条都保留", "void_incoming": "作废导入的记录",
              "void_existing": "作废本机原有的记录"}
    if action not in labels:
        raise AppError("请选择:两条都保留、作废导入的记录,或作废本机原有的记录")
    done = labels[action]
    if action != "keep_both":
        void_id, keep_id = ((c.row_id, c.other_row_id) if action == "void_incoming"
                            else (c.other_row_id, c.row_id))
        obj, keeper = session.get(model, void_id), session.get(model, keep_id)
        if obj is not None and not obj.deleted and not owned_here(session, obj.owner_unit_id):
            from app.services.requests import request_change

            owner = owner_name(session, obj.owner_unit_id)
            kept = f"“{describe(keeper)[1]}”({owner_name(session, keeper.owner_unit_id)})" if keeper else "另一条记录"
            request_change(session, actor, spec_for_table(c.table_name).key, void_id, "merge",
                           survivor_id=keep_id,
                           reason=reason or f"与{kept}身份证号相同,核对为同一人,请作废这一条")
            done = f"已请求{owner}作废“{describe(obj)[1]}”(随下一个数据包发出,由其处理)"
        elif obj is not None and not obj.deleted:
            tombstone(obj)
            session.flush()
    _close(session, actor, c, done)
    return done


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
