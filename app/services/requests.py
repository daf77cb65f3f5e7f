"""Requests to a record's owning unit: the city's 作废, 合并 or 更正 of a county's record.

Only the owning unit changes a record (``app.services.ownership``; the flush hook enforces it on
every path). A user of another unit that holds a copy — the city holds every county's — files a
request through the generic service, for a record of any register: it travels down in the next
bundle to that unit only (``ChangeRequest.__route_key__``), appears in its queue, and a person
there applies it (through the same ``app.services.records`` path as a form, so every rule holds)
or declines it with a reason. The answer travels back. The requester's copy changes only when the
owner's changed record arrives, so a later edit at the owner can never bring back a record the
city had voided on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, InvalidInput, NotFound
from app.models import ChangeRequest, RequestAnswer
from app.models.requests import ACTIONS, DECISIONS
from app.security import audit
from app.services.ownership import owned_here, owner_name


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    current: str
    requested: str


@dataclass(frozen=True)
class RequestView:
    id: str
    action: str
    action_label: str
    register: str  # the register key ("member")
    title: str  # the register's name ("会员")
    target_id: str
    target_label: str
    owner_id: str  # the unit that owns the record and answers
    owner_name: str
    requester: str  # the unit that asked
    reason: str
    changes: tuple[Change, ...]
    survivor_label: str
    status: str  # "pending" | "applied" | "declined"
    note: str  # the answer's note (a refusal's reason)
    requested_at: datetime
    requested_by: str
    answered_by: str
    incoming: bool  # ours to answer

    @property
    def status_label(self) -> str:
        return DECISIONS.get(self.status, "待处理")


def _register_of_table(table: str):
    from app.fields.registry import spec_for_table
    from app.kit.register import register

    spec = spec_for_table(table)
    if spec is None:
        raise AppError(f"不能对 {table} 提出请求")
    return register(spec.key)


def _plain(value: Any):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return ",".join(map(str, value))
    return value


def request_change(session: Session, actor, key: str, record_id: str, action: str, *,
                   reason: str, changes: dict[str, Any] | None = None,
                   survivor_id: str | None = None) -> ChangeRequest:
    """Ask the unit that owns a record to void it (``void``), void it as a duplicate of
    ``survivor_id`` (``merge``), change some fields (``correct``) or check it (``check``)."""
    from app.fields.registry import describe
    from app.services.records import as_register, clean_or_raise, get_live

    reg = as_register(key)
    if action not in ACTIONS:
        raise InvalidInput(f"请求类型应为 {'、'.join(ACTIONS)}")
    actor.require(reg.write, f"请求{ACTIONS[action]}{reg.name}")
    obj = get_live(session, reg.spec, record_id)
    if owned_here(session, obj.owner_unit_id):
        raise AppError(f"该{reg.name}属于本单位,可以直接修改或作废,无需请求")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请写明请求的理由,对方据此处理")
    stored: dict[str, Any] = {}
    if action == "correct":
        cleaned = clean_or_raise(session, reg.spec, changes or {}, partial=True)
        stored = {k: _plain(v) for k, v in cleaned.items() if getattr(obj, k, None) != v}
        if not stored:
            raise InvalidInput("没有要更正的内容:请求的值与现在的相同")
    if action == "merge":
        other = get_live(session, reg.spec, survivor_id) if survivor_id else None
        if other is None or other.id == obj.id:
            raise InvalidInput("合并请求须指明保留的另一条记录")
    if session.scalar(select(ChangeRequest.id).outerjoin(RequestAnswer, RequestAnswer.id == ChangeRequest.id)
                      .where(ChangeRequest.target_id == record_id, ChangeRequest.action == action,
                             ChangeRequest.deleted.is_(False), RequestAnswer.id.is_(None))):
        raise AppError("对该记录已有同样的请求在等待对方处理")
    title, label = describe(obj)
    req = ChangeRequest(action=action, target_table=reg.spec.model.__table__.name,
                        target_id=record_id, target_owner_id=obj.owner_unit_id,
                        target_label=label[:200], survivor_id=survivor_id,
                        changes=orjson.dumps(stored).decode(), reason=reason)
    session.add(req)
    session.flush()
    audit.append(session, action="request", actor=actor, object_type=req.target_table,
                 object_id=record_id,
                 summary=f"请求{owner_name(session, obj.owner_unit_id)}{ACTIONS[action]}{title}“{label}”:{reason}")
    return req


def pending_count(session: Session) -> int:
    """Requests to this unit that no one here has answered yet."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(ChangeRequest)
                          .outerjoin(RequestAnswer, RequestAnswer.id == ChangeRequest.id)
                          .where(ChangeRequest.target_owner_id == session.info.get("root_unit_id"),
                                 ChangeRequest.deleted.is_(False), RequestAnswer.id.is_(None))) or 0


def list_requests(session: Session, actor, *, incoming: bool | None = None,
                  pending_only: bool = False) -> list[RequestView]:
    """Requests to this unit (``incoming``), those it sent, or both; newest first."""
    from app.security.roles import Perm

    actor.require(Perm.READ, "查看更正和作废请求")
    root = session.info.get("root_unit_id")
    q = (select(ChangeRequest, RequestAnswer).outerjoin(RequestAnswer, RequestAnswer.id == ChangeRequest.id)
         .where(ChangeRequest.deleted.is_(False)).order_by(ChangeRequest.created_at.desc()))
    if incoming is True:
        q = q.where(ChangeRequest.target_owner_id == root)
    elif incoming is False:
        q = q.where(ChangeRequest.target_owner_id != root)
    if pending_only:
        q = q.where(RequestAnswer.id.is_(None))
    return [_view(session, r, a) for r, a in session.execute(q)]


def view(session: Session, actor, request_id: str) -> RequestView:
    from app.security.roles import Perm

    actor.require(Perm.READ, "查看更正和作废请求")
    req = session.get(ChangeRequest, request_id)
    if req is None:
        raise NotFound("找不到该请求")
    return _view(session, req, session.get(RequestAnswer, request_id))


def _view(session: Session, req: ChangeRequest, ans: RequestAnswer | None) -> RequestView:
    from app.fields.spec import display_value
    from app.services.records import codebook

    reg = _register_of_table(req.target_table)
    spec, book = reg.spec, codebook(session)
    requested = orjson.loads(req.changes or "{}")
    cleaned, _ = spec.clean(requested, book, partial=True)
    target = session.get(spec.model, req.target_id)
    changes = tuple(Change(k, spec.field(k).label,
                           display_value(spec.field(k), getattr(target, k, None), book) if target else "",
                           display_value(spec.field(k), cleaned.get(k, v), book))
                    for k, v in requested.items() if spec.has(k))
    survivor = session.get(spec.model, req.survivor_id) if req.survivor_id else None
    return RequestView(req.id, req.action, ACTIONS.get(req.action, req.action), spec.key, reg.name,
                       req.target_id, req.target_label, req.target_owner_id,
                       owner_name(session, req.target_owner_id), owner_name(session, req.owner_unit_id),
                       req.reason, changes, spec.describe(survivor) if survivor else "",
                       ans.decision if ans else "pending", ans.note if ans else "",
                       req.created_at, req.created_by, ans.created_by if ans else "",
                       req.target_owner_id == session.info.get("root_unit_id"))


def answer(session: Session, actor, request_id: str, *, accept: bool, note: str = "") -> RequestView:
    """Apply a request to this unit's record (through the generic service: its rules and the
    form's checks hold) or decline it with a reason; the answer travels back."""
    from app.services import records

    req = session.get(ChangeRequest, request_id)
    if req is None or req.deleted:
        raise NotFound("找不到该请求")
    if not owned_here(session, req.target_owner_id):
        raise AppError("该请求是发给另一单位的,由其处理")
    if session.get(RequestAnswer, request_id) is not None:
        raise AppError("该请求已经处理过")
    reg = _register_of_table(req.target_table)
    actor.require(reg.write, f"处理{reg.name}的更正和作废请求")
    note = (note or "").strip()
    if not accept and not note:
        raise InvalidInput("不同意时请写明理由,理由会发回给对方")
    if accept:
        target = session.get(reg.spec.model, req.target_id)
        gone = target is None or target.deleted
        if req.action in ("void", "merge") and not gone:
            records.void(session, actor, reg, req.target_id)
        elif req.action == "correct":
            if gone:
                raise AppError("该记录已作废,无法更正;请选择不同意并写明情况")
            records.update(session, actor, reg, req.target_id, orjson.loads(req.changes or "{}"))
    session.add(RequestAnswer(id=req.id, decision="applied" if accept else "declined", note=note))
    session.flush()
    verb = "执行" if accept else "不同意"
    audit.append(session, action="request_answer", actor=actor, object_type=req.target_table,
                 object_id=req.target_id,
                 summary=f"{verb}{owner_name(session, req.owner_unit_id)}的{ACTIONS.get(req.action)}请求"
                         f"“{req.target_label}”" + (f":{note}" if note else ""))
    return _view(session, req, session.get(RequestAnswer, request_id))
