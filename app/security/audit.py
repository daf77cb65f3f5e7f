"""The hash-chained, append-only audit log (等保 安全审计).

Every entry stores the hash of the previous one; the hash covers every column. Triggers refuse
UPDATE and DELETE through SQL, and ``verify`` finds an entry edited or removed around them (for
instance with a hex editor or after dropping the triggers). The chain head is also kept in
``local_state`` so that cutting entries off the end is noticed too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db.engine import dumps_compact
from app.models import AuditEntry

GENESIS = "0" * 64
HEAD_KEY = "audit_head"


def entry_hash(e: AuditEntry | dict) -> str:
    get = e.get if isinstance(e, dict) else lambda k: getattr(e, k)
    payload = [get("seq"), get("ts"), get("username"), get("role"), get("action"),
               bool(get("success")), get("object_type"), get("object_id"), get("summary"),
               get("detail"), get("device_id"), get("prev_hash")]
    return hashlib.sha256(dumps_compact(payload).encode("utf-8")).hexdigest()


def _tail(session: Session) -> tuple[int, str]:
    cached = session.info.get("audit_tail")
    if cached is not None:
        return cached
    with session.no_autoflush:
        row = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(session: Session, *, action: str, actor=None, object_type: str = "", object_id: str = "",
           summary: str = "", detail: dict | None = None, success: bool = True,
           username: str | None = None, role: str | None = None) -> AuditEntry:
    """Add one entry to the chain inside the caller's transaction."""
    actor = actor if actor is not None else session.info.get("actor")
    seq, prev = _tail(session)
    entry = AuditEntry(
        seq=seq + 1,
        ts=utcnow().isoformat(timespec="microseconds") + "Z",
        username=username or (actor.username if actor else "system"),
        role=role if role is not None else (actor.role if actor else ""),
        action=action,
        success=success,
        object_type=object_type,
        object_id=object_id or "",
        summary=summary,
        detail=dumps_compact(detail or {}),
        device_id=session.info.get("device_id") or "",
        prev_hash=prev,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.info["audit_tail"] = (entry.seq, entry.hash)
    session.execute(
        text("INSERT INTO local_state(key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": HEAD_KEY, "v": f"{entry.seq}:{entry.hash}"},
    )
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def verify(session: Session) -> VerifyResult:
    """Walk the whole chain; report the first entry that was edited, removed or reordered."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for e in rows.yield_per(2000):
        if e.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq,
                                f"第 {expected_seq} 条审计记录缺失(下一条是第 {e.seq} 条)")
        if e.prev_hash != prev_hash:
            return VerifyResult(False, checked, e.seq,
                                f"第 {e.seq} 条审计记录与前一条的链接不符(前一条被修改或删除)")
        if entry_hash(e) != e.hash:
            return VerifyResult(False, checked, e.seq, f"第 {e.seq} 条审计记录的内容被修改")
        prev_hash, expected_seq, checked = e.hash, e.seq + 1, checked + 1
        session.expunge(e)
    head = session.execute(text("SELECT value FROM local_state WHERE key = :k"),
                           {"k": HEAD_KEY}).scalar()
    if head is not None:
        head_seq, _, head_hash = head.partition(":")
        if int(head_seq) != expected_seq - 1 or head_hash != prev_hash:
            return VerifyResult(False, checked, int(head_seq),
                                f"审计记录末尾被截断:应有 {head_seq} 条,实际只有 {expected_seq - 1} 条")
    elif checked:
        return VerifyResult(False, checked, None, "审计链头记录缺失")
    return VerifyResult(True, checked)
