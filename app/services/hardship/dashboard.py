"""困难职工帮扶 on the home page: this year's figures (each opening its records) and the 待办 of
this user (reviews waiting for them, 公示 to close, 年审 due, plan reviews due, 助学 to decide)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.models import HardshipArchive, ReliefEntry, StudyAid
from app.security.roles import Perm
from app.services.dashboard import Figure, Target, Todo, year_bounds
from app.services.listing import Range
from app.validation import format_wan

GROUP = "困难职工帮扶"
IN_REVIEW = ("applied", "grassroots_ok", "township_ok", "center_ok", "publicizing", "publicized")
TODO_LIMIT = 12
TABS = {"hardship_archives": "archives", "hardship_plans": "plans", "hardship_study_aid": "aid"}


def figures(session: Session, actor) -> list[Figure]:
    if not actor.can(Perm.READ):
        return []
    A = HardshipArchive
    start, end = year_bounds(today().year)
    counts = dict(session.execute(select(A.status, func.count()).where(A.deleted.is_(False))
                                  .group_by(A.status)).all())
    paid = session.scalar(select(func.coalesce(func.sum(ReliefEntry.cash_fen + ReliefEntry.goods_value_fen), 0))
                          .where(ReliefEntry.paid_on >= start, ReliefEntry.paid_on <= end)) or 0
    grants = session.scalar(select(func.count()).select_from(StudyAid).where(
        StudyAid.deleted.is_(False), StudyAid.year == start.year,
        StudyAid.status.in_(("approved", "paid")))) or 0
    return [
        Figure("在档困难职工", counts.get("archived", 0), "户", GROUP,
               Target("hardship", "archives", {"status": "archived"}), "状态为已建档的档案"),
        Figure(f"{start.year}年救助金额", Decimal(format_wan(paid).replace(",", "")), "万元", GROUP,
               Target("hardship", "relief", {"paid_on": Range(start, end)}),
               "现金与物品折价,冲正已抵减"),
        Figure("审核中档案", sum(counts.get(s, 0) for s in IN_REVIEW), "件", GROUP,
               Target("hardship", "archives", {"status": IN_REVIEW}), "已提交、尚未党组审批"),
        Figure(f"{start.year}年金秋助学", grants, "人", GROUP,
               Target("hardship", "aid", {"year": start.year, "status": ("approved", "paid")})),
    ]


def todos(session: Session, actor) -> list[Todo]:
    from app.services.hardship.reminders import reminders

    if not actor.can(Perm.READ):
        return []
    items = reminders(session, actor, limit=200)
    out = []
    for r in items[:TODO_LIMIT]:
        urgent = r.due_on is not None and r.due_on < today()
        level = "urgent" if urgent else ("warn" if r.kind in ("review", "publicity") else "info")
        out.append(Todo(r.title, level, Target("hardship", TABS.get(r.object_type, "archives"),
                                               {"open": r.object_id})))
    if len(items) > TODO_LIMIT:
        out.append(Todo(f"困难职工帮扶另有 {len(items) - TODO_LIMIT} 项待办,见“困难职工帮扶”各页",
                        "info", Target("hardship", "archives", {"status": IN_REVIEW})))
    return out
