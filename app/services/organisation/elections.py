"""换届选举: a grassroots union's elections, their terms and the reminders when a term ends.

Rules from 《工会基层组织选举工作条例》 (2016): the committee's term is three or five years; an
election needs more than two thirds of those entitled to attend; the committee is elected from
more candidates than seats (差额, at least 5 % more); a candidate is elected with more than half
of the votes of those entitled to attend (应到会人数). A term ending within six months, or ended
without a new election, is a 待办.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import today
from app.fields.organisation import ELECTION
from app.kit.register import Card, Item, Register
from app.models import Unit
from app.models.organisation import Election
from app.services.units import holds_members

REMIND_MONTHS = 6
MIN_MARGIN = 0.05  # 差额率


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def derive(values: dict) -> None:
    """The term's end and the 差额; the candidate count from the list when there is one."""
    rows = [r for r in values.get("candidates_list") or () if r.get("position", "committee") == "committee"]
    if rows:
        values["candidates"] = len(rows)
    if values.get("election_on") and values.get("term_years"):
        values["term_ends_on"] = add_years(values["election_on"], values["term_years"]) - timedelta(days=1)
    if values.get("candidates") is not None and values.get("seats") is not None:
        values["margin"] = values["candidates"] - values["seats"]


def min_candidates(seats: int) -> int:
    """The fewest committee candidates for ``seats`` with a 差额率 of at least 5 %."""
    return seats + max(1, math.ceil(seats * MIN_MARGIN))


def count_errors(v: dict) -> dict[str, str]:
    """The quorum and the 差额 of an election's counts (also checked when a 建会 congress is
    recorded, before its election is registered)."""
    e = {}
    eligible, present = v.get("eligible") or 0, v.get("present") or 0
    if present > eligible:
        e["present"] = "实到会人数不能多于应到会人数"
    elif present * 3 <= eligible * 2:
        e["present"] = f"到会人数须超过应到会人数的三分之二(应到 {eligible} 人,至少 {eligible * 2 // 3 + 1} 人)"
    if v.get("seats") and v.get("candidates") is not None and v["candidates"] < min_candidates(v["seats"]):
        e["candidates"] = (f"委员候选人应多于应选名额,差额率不低于5%"
                           f"(应选 {v['seats']} 名,候选人至少 {min_candidates(v['seats'])} 名)")
    return e


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    unions = {u.id: u for u in session.scalars(select(Unit).where(
        Unit.id.in_({it.values.get("union_id") for it in items})))}
    for i, it in enumerate(items):
        v = it.values
        e = count_errors(v)
        union = unions.get(v.get("union_id"))
        if union is None or union.deleted or not holds_members(union.kind):
            e["union_id"] = "换届选举登记在基层工会下"
        eligible, present = v.get("eligible") or 0, v.get("present") or 0
        for n, row in enumerate(v.get("candidates_list") or ()):
            if row.get("votes", 0) > present:
                e[f"candidates_list[{n}].votes"] = "得票数不能多于实到会人数"
            elif row.get("elected") and row.get("votes", 0) * 2 <= eligible:
                e[f"candidates_list[{n}].elected"] = f"得票须超过应到会人数的半数({eligible // 2 + 1} 票)才能当选"
        elected = sum(1 for r in v.get("candidates_list") or () if r.get("elected") and r.get("position") == "committee")
        if elected > (v.get("seats") or 0):
            e["seats"] = f"当选委员 {elected} 名,多于应选名额"
        if e:
            out[i] = e
    return out


def _sample(session: Session, rng, values: dict) -> dict:
    """A valid election: a two-thirds quorum, a 差额 of at least 5 %."""
    union = session.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False))
                           .order_by(Unit.id).offset(rng.randint(0, 40)).limit(1))
    eligible = rng.randint(30, 400)
    seats = rng.choice((5, 7, 9))
    return {**values, "union_id": union or values.get("union_id"), "eligible": eligible,
            "present": eligible - rng.randint(0, eligible // 4), "seats": seats,
            "candidates": min_candidates(seats) + rng.randint(0, 1), "term_years": rng.choice((3, 5))}


@dataclass(frozen=True)
class TermDue:
    union_id: str
    union_name: str
    election_id: str
    term_no: int
    term_ends_on: date

    @property
    def overdue(self) -> bool:
        return self.term_ends_on < today()


def terms_due(session: Session, *, on: date | None = None, months: int = REMIND_MONTHS,
              limit: int | None = None) -> list[TermDue]:
    """Unions whose latest live election's term ends within ``months`` of ``on`` (or has ended),
    soonest first."""
    on = on or today()
    horizon = add_years(on, 0) + timedelta(days=round(months * 30.5))
    E = Election
    latest = (select(E.union_id, func.max(E.election_on).label("last"))
              .where(E.deleted.is_(False)).group_by(E.union_id).subquery())
    q = (select(E.union_id, Unit.name, E.id, E.term_no, E.term_ends_on)
         .join(latest, (latest.c.union_id == E.union_id) & (latest.c.last == E.election_on))
         .join(Unit, Unit.id == E.union_id)
         .where(E.deleted.is_(False), Unit.deleted.is_(False), E.term_ends_on <= horizon)
         .order_by(E.term_ends_on, Unit.name))
    if limit:
        q = q.limit(limit)
    return [TermDue(*row) for row in session.execute(q)]


REGISTER = Register(ELECTION, rule=_rule, derive=derive, sample=_sample, excel_key="elections",
                    search_hint="主席 / 批复文号", tag_columns=(),
                    card=Card(("基层工会意见", "上级工会批复意见"), title="基层工会换届选举情况登记表"))
