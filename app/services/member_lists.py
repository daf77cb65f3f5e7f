"""Filtered lists of members, shared by the roster and notices (printing) and the Excel export:
one filter, one query, one description of the filter for title rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.models import Member, Unit
from app.services import units
from app.services.filters import FilterOption
from app.services.records import codebook

MEMBER_FILTERS = (
    FilterOption("union", "--union", "只含该单位(含下级工会)的会员:单位名称、区划代码或编号", metavar="单位",
                 label="只含该单位"),
    FilterOption("status", "--status", "会籍状态,如 正常、保留会籍(代码或名称)", metavar="状态",
                 label="会籍状态"),
    FilterOption("from", "--from", "入会日期起", "date", "日期", label="入会日期起"),
    FilterOption("to", "--to", "入会日期止", "date", "日期", label="入会日期止"),
)


@dataclass(frozen=True)
class MemberFilter:
    union_id: str | None = None  # a union or any unit above unions: its whole subtree
    status: str | None = None  # member_status code
    joined_from: date | None = None
    joined_to: date | None = None


def parse_filter(session: Session, options: dict) -> MemberFilter:
    """A filter from text options as typed (``union``, ``status``, ``from``, ``to``)."""
    from app.validation import DateError, parse_date

    union_id = units.find_unit(session, options["union"]).id if options.get("union") else None
    status = None
    if options.get("status"):
        status = codebook(session).resolve("member_status", str(options["status"]).strip())
        if status is None:
            choices = "、".join(e.label for e in codebook(session).items("member_status"))
            raise InvalidInput(f"“{options['status']}”不是有效的会籍状态。可选:{choices}")
    dates = {}
    for key, label in (("from", "起始日期"), ("to", "截止日期")):
        raw = options.get(key)
        try:
            dates[key] = parse_date(raw) if raw else None
        except DateError as exc:
            raise InvalidInput(f"{label}:{exc}") from None
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        raise InvalidInput("起始日期不能晚于截止日期")
    return MemberFilter(union_id, status, dates["from"], dates["to"])


def subtree_ids(session: Session, unit_id: str) -> list[str]:
    """The unit and every live unit below it."""
    rows = session.execute(select(Unit.id, Unit.parent_id).where(Unit.deleted.is_(False))).all()
    children: dict[str | None, list[str]] = {}
    for uid, parent in rows:
        children.setdefault(parent, []).append(uid)
    out, stack = [], [unit_id]
    while stack:
        uid = stack.pop()
        out.append(uid)
        stack.extend(children.get(uid, ()))
    return out


def member_select(session: Session, flt: MemberFilter, columns=None):
    """SELECT of live members matching ``flt`` (with the union's name as ``union_name``), in
    union then name order."""
    cols = columns if columns is not None else (Member,)
    q = (select(*cols, Unit.name.label("union_name")).join(Unit, Unit.id == Member.union_id)
         .where(Member.deleted.is_(False)))
    if flt.union_id:
        ids = subtree_ids(session, flt.union_id)
        q = q.where(Member.union_id == flt.union_id) if len(ids) == 1 else q.where(
            Member.union_id.in_(ids))
    if flt.status:
        q = q.where(Member.status == flt.status)
    if flt.joined_from:
        q = q.where(Member.joined_on >= flt.joined_from)
    if flt.joined_to:
        q = q.where(Member.joined_on <= flt.joined_to)
    return q.order_by(Unit.sort_order, Unit.name, Member.name, Member.id)


def describe(session: Session, flt: MemberFilter) -> str:
    """"城关镇工会 · 会籍状态:正常 · 入会日期 2020-01-01 至 2020-06-30" (empty when unfiltered)."""
    parts = []
    if flt.union_id:
        unit = session.get(Unit, flt.union_id)
        parts.append(unit.name if unit else flt.union_id)
    if flt.status:
        parts.append("会籍状态:" + codebook(session).label("member_status", flt.status))
    if flt.joined_from or flt.joined_to:
        parts.append(period_text("入会日期", flt.joined_from, flt.joined_to))
    return " · ".join(parts)


def period_text(label: str, start: date | None, end: date | None) -> str:
    if start and end:
        return f"{label} {start.isoformat()} 至 {end.isoformat()}"
    if start:
        return f"{label} {start.isoformat()} 起"
    return f"{label} 截至 {end.isoformat()}" if end else ""
