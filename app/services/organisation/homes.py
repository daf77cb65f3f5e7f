"""模范职工之家 / 职工小家 with "动态评估管理": an application with its scoring sheet (criteria ×
points; each criterion's full marks are in its code-table label, "组织建设(20分)"), the naming
and its 文号, and the re-check every three years [K] — a 待办 when its year comes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.fields.organisation import HOME_AWARD
from app.kit.register import Card, Item, Register
from app.models import Unit
from app.models.organisation import HomeAward
from app.services.units import holds_members

RECHECK_YEARS = 3  # [K] configurable practice: a named home is re-checked every three years
_FULL = re.compile(r"(\d+)\s*分")


def full_marks(label: str) -> int | None:
    """A criterion's full marks from its label ("组织建设(20分)" → 20)."""
    m = _FULL.search(label or "")
    return int(m[1]) if m else None


def derive(values: dict) -> None:
    rows = values.get("scores")
    if rows:
        values["score"] = sum(r.get("points") or 0 for r in rows)
    if values.get("named_on") and not values.get("recheck_year"):
        values["recheck_year"] = values["named_on"].year + RECHECK_YEARS


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    from app.services.records import codebook

    book = codebook(session)
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v, e = it.values, {}
        union = session.get(Unit, v.get("union_id") or "")
        if union is None or union.deleted or not holds_members(union.kind):
            e["union_id"] = "职工之家由基层工会申报"
        if v.get("award_kind") == "small" and not v.get("team_name"):
            e["team_name"] = "模范职工小家须填写所在车间或班组"
        if v.get("named_on") and not v.get("naming_no"):
            e["naming_no"] = "已命名的须填写命名文号"
        if v.get("naming_no") and not v.get("named_on"):
            e["named_on"] = "填了命名文号,请填写命名日期"
        if v.get("rechecked_on") and not v.get("recheck_result"):
            e["recheck_result"] = "请填写复查结论"
        if v.get("recheck_year") and v.get("named_on") and v["recheck_year"] <= v["named_on"].year:
            e["recheck_year"] = "复查年度应在命名之后"
        seen = set()
        for n, row in enumerate(v.get("scores") or ()):
            top = full_marks(book.label("home_criterion", row.get("criterion")))
            if row.get("criterion") in seen:
                e[f"scores[{n}].criterion"] = "评分项目重复"
            elif top is not None and (row.get("points") or 0) > top:
                e[f"scores[{n}].points"] = f"该项满分 {top} 分"
            seen.add(row.get("criterion"))
        if e:
            out[i] = e
    return out


def _sample(session: Session, rng, values: dict) -> dict:
    union = session.scalar(select(Unit.id).where(Unit.kind == "grassroots", Unit.deleted.is_(False))
                           .order_by(Unit.id).offset(rng.randint(0, 40)).limit(1))
    out = {**values, "union_id": union or values.get("union_id"), "rechecked_on": None,
           "recheck_result": None, "recheck_year": None}
    if out.get("award_kind") == "small" and not out.get("team_name"):
        out["team_name"] = rng.choice(("一车间", "二车间", "装配班组", "质检班组"))
    if rng.random() < 0.6 and out.get("applied_on"):
        named = date.fromisoformat(out["applied_on"]) if isinstance(out["applied_on"], str) else out["applied_on"]
        out["named_on"], out["naming_no"] = named.isoformat(), f"工〔{named.year}〕{rng.randint(1, 60)}号"
        out["recheck_year"] = str(named.year + RECHECK_YEARS)
    else:
        out["named_on"] = out["naming_no"] = None
    return out


@dataclass(frozen=True)
class RecheckDue:
    award_id: str
    union_name: str
    kind: str
    recheck_year: int


def rechecks_due(session: Session, *, on: date | None = None, limit: int | None = None) -> list[RecheckDue]:
    """Named homes whose re-check year has come and that have not been re-checked since."""
    year = (on or today()).year
    H = HomeAward
    q = (select(H.id, Unit.name, H.award_kind, H.recheck_year).join(Unit, Unit.id == H.union_id)
         .where(H.deleted.is_(False), H.named_on.is_not(None), H.recheck_year <= year,
                H.rechecked_on.is_(None)).order_by(H.recheck_year, Unit.name))
    if limit:
        q = q.limit(limit)
    return [RecheckDue(*row) for row in session.execute(q)]


REGISTER = Register(HOME_AWARD, rule=_rule, derive=derive, sample=_sample, excel_key="home_awards",
                    tag_columns=(), search_hint="命名文号",
                    card=Card(("基层工会意见", "上级工会考核意见", "县总工会命名意见"),
                              title="模范职工之家(小家)申报表"))
