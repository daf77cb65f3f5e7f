"""The home page's key figures and to-do items.

Each work area contributes by appending a provider to ``FIGURES`` or ``TODOS``: a function
``(session, actor) -> list[Figure]`` (or ``list[Todo]``). A figure names the list behind it
(``Target``), so the home page can open exactly the records it counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.clock import today, utcnow
from app.security.roles import Perm
from app.services.listing import Range


@dataclass(frozen=True)
class Target:
    """Where a figure or to-do leads: a page, a tab of it, and the list filters to apply."""

    page: str
    tab: str = ""
    filters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    unit: str
    group: str  # the area the figure belongs to (a heading on the home page)
    target: Target | None = None
    note: str = ""


@dataclass(frozen=True)
class Todo:
    text: str
    level: str = "info"  # "info" | "warn" | "urgent"
    target: Target | None = None


def organisation_figures(session: Session, actor) -> list[Figure]:
    from app.models import Member, Unit
    from app.services.members import ACTIVE_STATUSES

    if not actor.can(Perm.READ):
        return []
    kinds = dict(session.execute(select(Unit.kind, func.count()).where(Unit.deleted.is_(False))
                                 .group_by(Unit.kind)).all())
    start, end = year_bounds(today().year)
    registered, new_this_year, migrant, female = session.execute(
        select(func.count(), func.sum(case((Member.joined_on >= start, 1), else_=0)),
               func.sum(case((Member.is_migrant_worker.is_(True), 1), else_=0)),
               func.sum(case((Member.gender == "2", 1), else_=0)))
        .where(Member.deleted.is_(False), Member.status.in_(ACTIVE_STATUSES))).one()
    org = "基层组织建设"
    members = Target("organisation", "member", {"status": ACTIVE_STATUSES})
    return [
        Figure("乡镇(街道)工会", kinds.get("township", 0) + kinds.get("street", 0), "个", org,
               Target("organisation", "unit", {"kind": ("street", "township")})),
        Figure("系统(产业)工会", kinds.get("system", 0), "个", org,
               Target("organisation", "unit", {"kind": ("system",)})),
        Figure("基层工会", kinds.get("grassroots", 0) + kinds.get("federation", 0), "个", org,
               Target("organisation", "unit", {"kind": ("federation", "grassroots")})),
        Figure("在册会员", registered or 0, "人", org, members, "会籍正常或保留会籍"),
        Figure(f"{start.year}年新入会", new_this_year or 0, "人", org,
               Target("organisation", "member",
                      {"status": ACTIVE_STATUSES, "joined_on": Range(start, end)})),
        Figure("农民工会员", migrant or 0, "人", org,
               Target("organisation", "member", {"status": ACTIVE_STATUSES,
                                                 "is_migrant_worker": True})),
        Figure("女会员", female or 0, "人", org,
               Target("organisation", "member", {"status": ACTIVE_STATUSES, "gender": "2"})),
    ]


def account_todos(session: Session, actor) -> list[Todo]:
    from app.models import User

    if not actor.can(Perm.MANAGE_USERS):
        return []
    now = utcnow()
    locked = session.scalar(select(func.count()).select_from(User).where(
        User.active.is_(True), User.locked_until.is_not(None), User.locked_until > now)) or 0
    out = []
    if locked:
        out.append(Todo(f"{locked} 个账户因密码输错被锁定,可在“系统管理 › 用户”中解锁", "warn",
                        Target("system", "users")))
    return out


def hardship_figures(session: Session, actor) -> list[Figure]:
    from app.services.hardship.dashboard import figures as provide

    return provide(session, actor)


def hardship_todos(session: Session, actor) -> list[Todo]:
    from app.services.hardship.dashboard import todos as provide

    return provide(session, actor)


def exchange_todos(session: Session, actor) -> list[Todo]:
    """数据交换: data waiting for a trusted office, and the open conflict queue."""
    from app.sync.conflicts import open_count

    out = []
    if actor.can(Perm.SYNC):
        from app.sync.service import peers_to_send

        names = peers_to_send(session)
        if names:
            who = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            out.append(Todo(f"有新数据尚未发送给{who}:可在“数据交换 › 导出”中导出数据包", "info",
                            Target("exchange", "export")))
    if actor.can(Perm.SYNC) or actor.can(Perm.WRITE):
        n = open_count(session)
        if n:
            out.append(Todo(f"{n:,} 项数据交换冲突或疑似重复人员待处理", "warn",
                            Target("exchange", "conflicts")))
    return out


FIGURES: list[Callable[[Session, Any], list[Figure]]] = [organisation_figures, hardship_figures]
TODOS: list[Callable[[Session, Any], list[Todo]]] = [hardship_todos, account_todos, exchange_todos]


def figures(session: Session, actor) -> list[Figure]:
    return [f for provider in FIGURES for f in provider(session, actor)]


def todos(session: Session, actor) -> list[Todo]:
    return [t for provider in TODOS for t in provider(session, actor)]


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
