"""List queries for the area's pages, exports, printing and the records behind each statistic.

Each ``*Filter`` is a plain dataclass (JSON-friendly through ``as_dict``); ``*_select`` returns a
SQLAlchemy ``Select`` so a lazy table can page it (keyset or LIMIT), and ``list_*`` runs it.
``records_behind(ListQuery)`` opens the records a statistic counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError
from app.models import (HardshipArchive, HardshipReview, HelpPlan, ReliefEntry, StudyAid, Unit,
                        Visit)
from app.security.roles import Perm
from app.services.hardship.scope import subtree_ids
from app.validation import to_halfwidth


class _Filter:
    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in asdict(self).items() if v not in (None, False, ())}

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        names = {f.name: f for f in fields(cls)}
        out = {}
        for k, v in data.items():
            if k not in names:
                raise AppError(f"未知的筛选条件 {k}")
            if isinstance(v, str) and "date" in str(names[k].type) and len(v) == 10 and v[4] == "-":
                v = date.fromisoformat(v)
            out[k] = v
        return cls(**out)


@dataclass(frozen=True)
class ArchiveFilter(_Filter):
    status: str | None = None  # one status, or "active" (已建档) / "open" (not closed)
    category: str | None = None
    cause: str | None = None  # main or minor cause
    township_id: str | None = None  # the grassroots union's parent
    union_id: str | None = None
    unit_id: str | None = None  # any unit: its whole subtree
    year: int | None = None  # 建档年度, or 申请年度 before approval
    stale: bool = False  # 已建档, no 年审 and no change for a year
    never_helped: bool = False  # 已建档 and nothing in the ledger
    text: str | None = None  # name, pinyin initials, ID number or archive number (prefix)
    opened_from: date | None = None  # archived_on in range
    opened_to: date | None = None
    rechecked_from: date | None = None  # a 年审 in range
    rechecked_to: date | None = None
    closed_from: date | None = None
    closed_to: date | None = None
    helped_from: date | None = None  # net relief received in range
    helped_to: date | None = None
    as_of: date | None = None  # reference day for ``stale`` (default today)


@dataclass(frozen=True)
class LedgerFilter(_Filter):
    date_from: date | None = None
    date_to: date | None = None
    unit_id: str | None = None
    kind: str | None = None
    recipient_kind: str | None = None
    archive_id: str | None = None
    campaign_id: str | None = None
    fund_source: str | None = None
    batch: str | None = None
    goods_kind: str | None = None
    goods_unit: str | None = None
    with_cash: bool = False
    reversals: str = "include"  # include | exclude | only
    text: str | None = None


@dataclass(frozen=True)
class VisitFilter(_Filter):
    date_from: date | None = None
    date_to: date | None = None
    unit_id: str | None = None
    target_kind: str | None = None
    campaign_id: str | None = None
    leader_level: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class AidFilter(_Filter):
    year: int | None = None
    status: str | None = None  # applied | approved | rejected | paid | granted (approved or paid)
    decided_from: date | None = None
    decided_to: date | None = None
    unit_id: str | None = None
    level: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class PlanFilter(_Filter):
    status: str | None = None
    due_by: date | None = None
    archive_id: str | None = None
    unit_id: str | None = None


def _between(col, lo, hi):
    conds = []
    if lo is not None:
        conds.append(col >= lo)
    if hi is not None:
        conds.append(col <= hi)
    return conds


def _text(text: str | None) -> str:
    return to_halfwidth(text or "").strip()


def archives_select(f: ArchiveFilter):
    A = HardshipArchive
    q = select(A).where(A.deleted.is_(False))
    if f.status == "active":
        q = q.where(A.status == "archived")
    elif f.status == "open":
        q = q.where(A.status.notin_(("exited", "cancelled")))
    elif f.status:
        q = q.where(A.status == f.status)
    if f.category:
        q = q.where(A.category == f.category)
    if f.cause:
        q = q.where(or_(A.main_cause == f.cause, ("," + A.minor_causes + ",").like(f"%,{f.cause},%")))
    if f.union_id:
        q = q.where(A.union_id == f.union_id)
    if f.township_id:
        q = q.where(A.union_id.in_(select(Unit.id).where(Unit.parent_id == f.township_id)))
    if f.unit_id:
        q = q.where(A.union_id.in_(subtree_ids(f.unit_id)))
    if f.year:
        when = func.coalesce(A.archived_on, A.applied_on, func.date(A.created_at))
        q = q.where(func.substr(when, 1, 4) == str(f.year))
    if f.stale:
        cutoff = (f.as_of or today()) - timedelta(days=365)
        q = q.where(A.status == "archived",
                    func.coalesce(A.last_recheck_on, A.archived_on) < cutoff,
                    func.date(A.updated_at) < cutoff.isoformat())
    if f.never_helped:
        q = q.where(A.status == "archived",
                    ~exists().where(ReliefEntry.archive_id == A.id))
    if t := _text(f.text):
        low = t.lower()
        conds = [A.name.like(f"{t}%"), A.archive_no.like(f"{t}%")]
        if low.isascii() and low.isalpha():
            conds.append(A.name_initials.like(f"{low}%"))
        if any(c.isdigit() for c in t):
            conds.append(A.id_number.like(f"{t.upper()}%"))
        q = q.where(or_(*conds))
    q = q.where(*_between(A.archived_on, f.opened_from, f.opened_to))
    q = q.where(*_between(A.closed_on, f.closed_from, f.closed_to))
    if f.rechecked_from or f.rechecked_to:
        R = HardshipReview
        q = q.where(exists().where(R.archive_id == A.id, R.action == "annual",
                                   *_between(R.acted_on, f.rechecked_from, f.rechecked_to)))
    if f.helped_from or f.helped_to:
        L = ReliefEntry
        net = (select(L.archive_id).where(L.recipient_kind == "worker", L.archive_id.is_not(None),
                                          *_between(L.paid_on, f.helped_from, f.helped_to))
               .group_by(L.archive_id).having(or_(func.sum(L.cash_fen + L.goods_value_fen) > 0,
                                                  func.sum(L.goods_qty) > 0)))
        q = q.where(A.id.in_(net))
    return q.order_by(A.name, A.id)


def ledger_select(f: LedgerFilter):
    L = ReliefEntry
    q = select(L).where(*_between(L.paid_on, f.date_from, f.date_to))
    for col, value in ((L.kind, f.kind), (L.recipient_kind, f.recipient_kind),
                       (L.archive_id, f.archive_id), (L.campaign_id, f.campaign_id),
                       (L.fund_source, f.fund_source), (L.batch, f.batch),
                       (L.goods_kind, f.goods_kind), (L.goods_unit, f.goods_unit)):
        if value:
            q = q.where(col == value)
    if f.unit_id:
        q = q.where(L.unit_id.in_(subtree_ids(f.unit_id)))
    if f.with_cash:
        q = q.where(L.cash_fen != 0)
    if f.reversals == "exclude":
        reversed_ids = select(L.reverses_id).where(L.reverses_id.is_not(None))
        q = q.where(L.reverses_id.is_(None), L.id.notin_(reversed_ids))
    elif f.reversals == "only":
        q = q.where(L.reverses_id.is_not(None))
    if t := _text(f.text):
        q = q.where(or_(L.recipient_name.like(f"{t}%"), L.recipient_id_number.like(f"{t.upper()}%")))
    return q.order_by(L.paid_on, L.created_at, L.id)


def visits_select(f: VisitFilter):
    V = Visit
    q = select(V).where(V.deleted.is_(False), *_between(V.visited_on, f.date_from, f.date_to))
    for col, value in ((V.target_kind, f.target_kind), (V.campaign_id, f.campaign_id),
                       (V.leader_level, f.leader_level)):
        if value:
            q = q.where(col == value)
    if f.unit_id:
        q = q.where(V.unit_id.in_(subtree_ids(f.unit_id)))
    if t := _text(f.text):
        q = q.where(or_(V.target_name.like(f"{t}%"), V.leader_name.like(f"{t}%")))
    return q.order_by(V.visited_on, V.id)


def aid_select(f: AidFilter):
    S = StudyAid
    q = select(S).where(S.deleted.is_(False), *_between(S.decided_on, f.decided_from, f.decided_to))
    if f.year:
        q = q.where(S.year == f.year)
    if f.status == "granted":
        q = q.where(S.status.in_(("approved", "paid")))
    elif f.status:
        q = q.where(S.status == f.status)
    if f.level:
        q = q.where(S.level == f.level)
    if f.unit_id:
        q = q.where(S.union_id.in_(subtree_ids(f.unit_id)))
    if t := _text(f.text):
        q = q.where(or_(S.student_name.like(f"{t}%"), S.parent_name.like(f"{t}%"),
                        S.student_id_number.like(f"{t.upper()}%")))
    return q.order_by(S.year.desc(), S.student_name, S.id)


def plans_select(f: PlanFilter):
    P = HelpPlan
    q = select(P).where(P.deleted.is_(False))
    if f.status:
        q = q.where(P.status == f.status)
    if f.due_by:
        q = q.where(P.next_review_on <= f.due_by)
    if f.archive_id:
        q = q.where(P.archive_id == f.archive_id)
    if f.unit_id:
        q = q.where(P.archive_id.in_(select(HardshipArchive.id).where(
            HardshipArchive.union_id.in_(subtree_ids(f.unit_id)))))
    return q.order_by(P.next_review_on, P.id)


_SELECTS = {"archives": (ArchiveFilter, archives_select), "ledger": (LedgerFilter, ledger_select),
            "visits": (VisitFilter, visits_select), "aid": (AidFilter, aid_select),
            "plans": (PlanFilter, plans_select)}


@dataclass(frozen=True)
class ListQuery:
    """Which list, with which filter: how a statistic points at the records behind it."""

    kind: str  # archives | ledger | visits | aid | plans
    filters: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "filters": self.filters}

    def select(self):
        cls, build = _SELECTS[self.kind]
        return build(cls.from_dict(self.filters))


def query_of(kind: str, f: _Filter) -> ListQuery:
    return ListQuery(kind, f.as_dict())


def _run(session: Session, actor, q, limit: int | None, offset: int) -> list:
    actor.require(Perm.READ, "查看困难职工帮扶记录")
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return list(session.scalars(q))


def count(session: Session, actor, q) -> int:
    actor.require(Perm.READ, "查看困难职工帮扶记录")
    return session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0


def list_archives(session: Session, actor, f: ArchiveFilter = ArchiveFilter(), *,
                  limit: int | None = 200, offset: int = 0) -> list[HardshipArchive]:
    return _run(session, actor, archives_select(f), limit, offset)


def list_ledger(session: Session, actor, f: LedgerFilter = LedgerFilter(), *,
                limit: int | None = 200, offset: int = 0) -> list[ReliefEntry]:
    return _run(session, actor, ledger_select(f), limit, offset)


def list_visits(session: Session, actor, f: VisitFilter = VisitFilter(), *,
                limit: int | None = 200, offset: int = 0) -> list[Visit]:
    return _run(session, actor, visits_select(f), limit, offset)


def list_aid(session: Session, actor, f: AidFilter = AidFilter(), *,
             limit: int | None = 200, offset: int = 0) -> list[StudyAid]:
    return _run(session, actor, aid_select(f), limit, offset)


def list_plans(session: Session, actor, f: PlanFilter = PlanFilter(), *,
               limit: int | None = 200, offset: int = 0) -> list[HelpPlan]:
    return _run(session, actor, plans_select(f), limit, offset)


def records_behind(session: Session, actor, query: ListQuery, *, limit: int | None = 200,
                   offset: int = 0) -> list:
    return _run(session, actor, query.select(), limit, offset)
