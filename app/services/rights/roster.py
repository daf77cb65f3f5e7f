"""值班律师排班 and 合作律所: partner firms (agreement period and fee), their lawyers, and the duty
roster by date and half-day.

The roster's rule (one function for the form, the month calendar, Excel and the CLI): no lawyer
twice at one time (the same date and half-day, within the batch or against the roster), only a
lawyer on the register whose firm's agreement covers the day, and signing out after signing in.
A slot takes the lawyer's firm, licence number and phone as they are on that day.
"""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.fields.rights import DUTY, FIRM, HALF_CHOICES, LAWYER
from app.kit.register import Item, Register
from app.models.rights import DutySlot, LawFirm, Lawyer
from app.security.roles import Perm
from app.services.rights import samples

HALVES = dict(HALF_CHOICES)


def prepare(session: Session, values: dict, record) -> None:
    """The lawyer's firm, licence number and (unless typed) phone, as on the day of duty."""
    lawyer = session.get(Lawyer, values["lawyer_id"]) if values.get("lawyer_id") else None
    if lawyer is not None:
        values["firm_id"], values["licence_no"] = lawyer.firm_id, lawyer.licence_no
        values["phone"] = values.get("phone") or lawyer.phone


def _duty_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    seen: dict[tuple, int] = {}
    keys = {(it.values.get("duty_on"), it.values.get("half"), it.values.get("lawyer_id"))
            for it in items}
    own = {it.record.id for it in items if it.record is not None}
    days = {k[0] for k in keys if k[0]}
    taken = {(r.duty_on, r.half, r.lawyer_id) for r in session.execute(
        select(DutySlot.duty_on, DutySlot.half, DutySlot.lawyer_id).where(
            DutySlot.duty_on.in_(days), DutySlot.deleted.is_(False), DutySlot.id.not_in(own)))} \
        if days else set()
    for i, it in enumerate(items):
        v, e = it.values, {}
        slot = (v.get("duty_on"), v.get("half"), v.get("lawyer_id"))
        lawyer = session.get(Lawyer, slot[2]) if slot[2] else None
        when = f"{slot[0].isoformat()}{HALVES.get(slot[1], '')}" if slot[0] else ""
        if lawyer is None or lawyer.deleted:
            e["lawyer_id"] = "找不到该律师(可能已作废)"
        elif not lawyer.active and it.touches("lawyer_id"):
            e["lawyer_id"] = f"{lawyer.name}已不在值班律师名册中"
        elif slot in taken:
            e["lawyer_id"] = f"{lawyer.name}在{when}已有值班安排,同一律师同一时段只能排一次"
        elif slot in seen:
            e["lawyer_id"] = f"与{items[seen[slot]].where or '前面'}重复:{lawyer.name}在{when}排了两次"
        else:
            seen[slot] = i
            firm = session.get(LawFirm, lawyer.firm_id)
            if firm is not None and slot[0] and not _covers(firm, slot[0]):
                e["lawyer_id"] = f"{firm.name}的合作协议期({_period(firm)})不含{slot[0].isoformat()}"
        if v.get("signed_in") and v.get("signed_out") and v["signed_out"] <= v["signed_in"]:
            e["signed_out"] = "签退时间应晚于签到时间"
        if e:
            out[i] = e
    return out


def _covers(firm: LawFirm, day: date) -> bool:
    return firm.active and (firm.agreement_from or day) <= day <= (firm.agreement_to or day)


def _period(firm: LawFirm) -> str:
    if not firm.active:
        return "已停止合作"
    a, b = firm.agreement_from, firm.agreement_to
    return f"{a.isoformat() if a else '…'} 至 {b.isoformat() if b else '…'}"


def _lawyer_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """One licence number, one lawyer."""
    out: dict[int, dict[str, str]] = {}
    own = {it.record.id for it in items if it.record is not None}
    numbers = {it.values.get("licence_no") for it in items if it.touches("licence_no")}
    taken = set(session.scalars(select(Lawyer.licence_no).where(
        Lawyer.licence_no.in_(numbers), Lawyer.deleted.is_(False), Lawyer.id.not_in(own)))) \
        if numbers else set()
    seen: set[str] = set()
    for i, it in enumerate(items):
        number = it.values.get("licence_no")
        if it.touches("licence_no") and (number in taken or number in seen):
            out[i] = {"licence_no": f"执业证号 {number} 已登记"}
        seen.add(number)
    return out


FIRMS = Register(FIRM, sample=samples.firm, search_hint="律所名称", excel_key="law_firms",
                 tag_columns=("active",))
LAWYERS = Register(LAWYER, rule=_lawyer_rule, sample=samples.lawyer, search_hint="律师姓名 / 执业证号",
                   excel_key="lawyers", tag_columns=("active",))
ROSTER = Register(DUTY, rule=_duty_rule, prepare=prepare, sample=samples.duty, excel_key="duty_roster",
                  search_hint="值班日期")


# -- the month calendar -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    id: str
    day: date
    half: str
    lawyer: str
    firm: str
    received: int
    signed: bool  # signed in


def month_slots(session: Session, actor, year: int, month: int) -> dict[tuple[date, str], list[Slot]]:
    """The month's roster by (day, half), as the calendar tab and the printed roster show it."""
    actor.require(Perm.READ, "查看值班排班")
    first = date(year, month, 1)
    last = date(year, month, cal.monthrange(year, month)[1])
    rows = session.execute(
        select(DutySlot.id, DutySlot.duty_on, DutySlot.half, Lawyer.name, LawFirm.name,
               DutySlot.received, DutySlot.signed_in)
        .join(Lawyer, Lawyer.id == DutySlot.lawyer_id).outerjoin(LawFirm, LawFirm.id == DutySlot.firm_id)
        .where(DutySlot.duty_on.between(first, last), DutySlot.deleted.is_(False))
        .order_by(DutySlot.duty_on, DutySlot.half, Lawyer.name)).all()
    out: dict[tuple[date, str], list[Slot]] = {}
    for r in rows:
        out.setdefault((r[1], r[2]), []).append(Slot(r[0], r[1], r[2], r[3], r[4] or "", r[5] or 0,
                                                     bool(r[6])))
    return out


def month_weeks(year: int, month: int) -> list[list[date | None]]:
    """The month's days as weeks Monday to Sunday (None outside the month)."""
    return [[d if d.month == month else None for d in week]
            for week in cal.Calendar(firstweekday=0).monthdatescalendar(year, month)]
