"""What a union's page shows (基层组织 tab): the union and its officers, its members counted by
status, how it was founded (its 建会 chain, when the app recorded one), its elections and the term
now running, and its latest 会籍 changes — read in one go for the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Member, Unit
from app.models.organisation import Election, MembershipEvent, UnionFounding
from app.security.roles import Perm
from app.services.units import KIND_LABELS, holds_members, subtree_ids

RECENT = 30


@dataclass
class UnionSummary:
    unit: Unit
    kind_label: str
    parent_name: str
    holds_members: bool
    members: dict[str, int]  # by status code, of the union and the unions below it
    unions_below: int
    founding: UnionFounding | None
    elections: list[Election] = field(default_factory=list)
    events: list[MembershipEvent] = field(default_factory=list)
    member_names: dict[str, str] = field(default_factory=dict)  # events' members by id

    @property
    def active(self) -> int:
        return self.members.get("1", 0) + self.members.get("3", 0)

    @property
    def term(self) -> Election | None:
        return self.elections[0] if self.elections else None

    def term_text(self, on: date) -> str:
        e = self.term
        if e is None:
            return "尚无换届选举记录"
        state = "已届满" if e.term_ends_on < on else "届满"
        return (f"第{e.term_no}届,{e.election_on.isoformat()} 选举,任期 {e.term_years} 年,"
                f"{e.term_ends_on.isoformat()} {state}")


def summary(session: Session, actor, unit_id: str) -> UnionSummary:
    actor.require(Perm.READ, "查看基层组织")
    unit = session.get(Unit, unit_id)
    below = subtree_ids(unit_id)
    members = dict(session.execute(select(Member.status, func.count()).where(
        Member.union_id.in_(below), Member.deleted.is_(False)).group_by(Member.status)).all())
    unions_below = session.scalar(select(func.count()).select_from(Unit).where(
        Unit.id.in_(below), Unit.id != unit_id, Unit.deleted.is_(False),
        Unit.kind.in_(("grassroots", "federation")))) or 0
    founding = session.scalar(select(UnionFounding).where(
        UnionFounding.union_id == unit_id, UnionFounding.deleted.is_(False)).limit(1))
    elections = list(session.scalars(select(Election).where(
        Election.union_id == unit_id, Election.deleted.is_(False)).order_by(Election.election_on.desc())))
    events = list(session.scalars(select(MembershipEvent).where(
        MembershipEvent.union_id.in_(below), MembershipEvent.deleted.is_(False),
        MembershipEvent.event_date.is_not(None))
        .order_by(MembershipEvent.event_date.desc(), MembershipEvent.ordinal.desc()).limit(RECENT)))
    names = dict(session.execute(select(Member.id, Member.name).where(
        Member.id.in_({e.member_id for e in events}))).all()) if events else {}
    parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    return UnionSummary(unit, KIND_LABELS.get(unit.kind, unit.kind), parent.name if parent else "",
                        holds_members(unit.kind), members, unions_below, founding, elections,
                        events, names)
