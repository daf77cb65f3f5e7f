"""Reading the audit log: recent entries (auditor) and one record's history (form 历史 tab)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import to_local
from app.models import AuditEntry
from app.security.roles import Perm


@dataclass(frozen=True)
class AuditRow:
    seq: int
    local_time: str
    username: str
    role: str
    action: str
    success: bool
    object_type: str
    object_id: str
    summary: str
    detail: dict


def _row(e: AuditEntry) -> AuditRow:
    ts = datetime.fromisoformat(e.ts.rstrip("Z"))
    return AuditRow(e.seq, to_local(ts).strftime("%Y-%m-%d %H:%M:%S"), e.username, e.role, e.action,
                    e.success, e.object_type, e.object_id, e.summary, json.loads(e.detail or "{}"))


def recent_entries(session: Session, actor, *, limit: int = 100, action: str | None = None,
                   before_seq: int | None = None) -> list[AuditRow]:
    """Newest first. The auditor and the administrator may read the whole log."""
    from app.security.abilities import may_read_audit

    if not may_read_audit(actor):
        actor.require(Perm.AUDIT, "查看审计日志")
    q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if action:
        q = q.where(AuditEntry.action == action)
    if before_seq:
        q = q.where(AuditEntry.seq < before_seq)
    return [_row(e) for e in session.scalars(q)]


def record_history(session: Session, actor, object_id: str) -> list[AuditRow]:
    """Every audit entry about one record, oldest first (anyone who may read the record)."""
    actor.require(Perm.READ, "查看记录历史")
    q = select(AuditEntry).where(AuditEntry.object_id == object_id).order_by(AuditEntry.seq)
    return [_row(e) for e in session.scalars(q)]
