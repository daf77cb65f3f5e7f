"""Stamp and audit every change to a travelling record, on flush.

For each new or changed ``SyncMixin`` row: a fresh local change sequence number, revision + 1, the
version-vector entry of this device, who and when; then one audit entry with the fields before and
after (sensitive values masked). Hard deletes of such rows are refused: use ``tombstone``.
Imports from bundles set ``session.info["preserve_meta"]`` to keep the sender's stamps (only the
local change sequence is assigned) and audit the import as one entry.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.base import SyncMixin, is_synced, new_id_in
from app.db.engine import AppSession, dumps_compact


def reserve_change_seqs(session: Session, n: int) -> int:
    """Reserve ``n`` consecutive change sequence numbers; returns the first."""
    last = session.execute(
        text("INSERT INTO local_state(key, value) VALUES ('change_seq', :n) "
             "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + :n "
             "RETURNING CAST(value AS INTEGER)"),
        {"n": n},
    ).scalar_one()
    return last - n + 1


def parse_vv(vv_json: str | None) -> dict[str, int]:
    """A stored version vector; one an earlier version stored unreadable (not JSON, not an object
    of device → counter) reads as empty, so an edit or an export of that row does not fail (the
    start-up repairs such rows once: ``app.sync.repair``)."""
    try:
        vv = json.loads(vv_json) if vv_json else {}
    except (ValueError, TypeError):
        return {}
    if type(vv) is not dict or not all(type(c) is int and c >= 0 for c in vv.values()):
        return {}
    return vv


def bump_vv(vv_json: str | None, device_id: str, seq: int) -> str:
    vv = parse_vv(vv_json)
    vv[device_id] = seq
    return dumps_compact(vv)


def tombstone(obj: SyncMixin) -> None:
    """Mark a record deleted (作废). The row stays, so the deletion can travel to other offices."""
    obj.deleted = True


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _changes(obj, is_new: bool) -> tuple[dict, dict]:
    """(before, after) of the user-visible columns that changed."""
    from app.fields.registry import mask_for_audit

    state = inspect(obj)
    table = obj.__table__.name
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in SyncMixin.META_COLUMNS and key != "deleted":
            continue
        hist = state.attrs[key].history
        if is_new:
            value = getattr(obj, key)
            if value is not None:
                after[key] = mask_for_audit(table, key, _plain(value))
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old == new:
                continue
            before[key] = mask_for_audit(table, key, _plain(old))
            after[key] = mask_for_audit(table, key, _plain(new))
    return before, after


def _require_owned(session: Session, dirty: list, root: str) -> None:
    """Only the owning unit changes a record (every path: a form, a workflow step, a script); a
    higher union that holds a copy asks the owner instead (``app.services.requests``)."""
    from app.fields.registry import describe
    from app.services.ownership import require_owned

    for obj in dirty:
        if obj.owner_unit_id not in (None, root):
            title, label = describe(obj)
            require_owned(session, obj.owner_unit_id, f"{title}“{label}”")


@event.listens_for(AppSession, "before_flush")
def _stamp_and_audit(session: Session, _flush_context, _instances) -> None:
    for obj in session.deleted:
        if is_synced(obj):
            raise RuntimeError(f"{type(obj).__name__} rows are tombstoned, never deleted")
    new = [o for o in session.new if is_synced(o)]
    dirty = [o for o in session.dirty if is_synced(o) and session.is_modified(o)]
    if not new and not dirty:
        return
    preserve = session.info.get("preserve_meta", False)
    actor = session.info.get("actor")
    if actor is None and not preserve:
        raise RuntimeError("a change without an acting user cannot be audited")
    device = session.info.get("device_id") or ""
    root = session.info.get("root_unit_id")
    if not preserve and root:
        _require_owned(session, dirty, root)
    first = reserve_change_seqs(session, len(new) + len(dirty))
    now = utcnow()
    new_ids = {id(o) for o in new}
    from app.fields.registry import describe
    from app.security import audit

    for offset, obj in enumerate(new + dirty):
        seq = first + offset
        is_new = id(obj) in new_ids
        if is_new and obj.id is None:
            obj.id = new_id_in(session)
        obj.change_seq = seq
        if preserve:
            continue
        before, after = _changes(obj, is_new)
        if not is_new and not before and not after:
            continue
        if is_new:
            obj.created_at = now
            obj.created_by = actor.username
            obj.revision = 1
            if obj.owner_unit_id is None and not getattr(obj, "_builtin", False):
                obj.owner_unit_id = root if root else getattr(obj, "id", None)
        else:
            obj.revision = (obj.revision or 0) + 1
            # which fields this change set, so bundles can merge edits of different fields
            from app.sync.fieldversions import record as record_dots

            record_dots(session, obj.__table__.name, obj.id, after.keys(), device, seq)
        obj.updated_at = now
        obj.updated_by = actor.username
        obj.vv = bump_vv(obj.vv, device, seq)
        if is_new:
            action = "create"
        elif after.get("deleted") is True:
            action = "delete"
        else:
            action = "update"
        title, label = describe(obj)
        verb = {"create": "新增", "update": "修改", "delete": "作废"}[action]
        audit.append(session, action=action, actor=actor, object_type=obj.__table__.name,
                     object_id=obj.id, summary=f"{verb}{title}:{label}",
                     detail={"before": before, "after": after} if before else {"after": after})
