"""The filters of the area's lists as typed on the command line (or chosen in the UI): declared once
(``FilterOption``), parsed into the query filters of ``queries`` with a description for title rows.

Printing (batch 档案表, 签收表, 公示名单) and the Excel exports offer the same options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import AppError, InvalidInput
from app.fields.hardship import STATUS_CHOICES
from app.fields.hardship_relief import AID_STATUS_CHOICES
from app.models import Campaign, Unit
from app.services.filters import FilterOption
from app.services.hardship.queries import AidFilter, ArchiveFilter, LedgerFilter, VisitFilter
from app.services.member_lists import period_text
from app.services.units import find_unit


def campaign_choices(session: Session) -> list[tuple[str, str]]:
    """The campaigns a dialog offers for 慰问活动, the latest first: (name as typed, name); a name
    two campaigns share is offered as their ids (``campaign_of`` accepts either)."""
    rows = session.execute(select(Campaign.id, Campaign.name, Campaign.year).where(
        Campaign.deleted.is_(False)).order_by(Campaign.year.desc(), Campaign.starts_on.desc(),
                                              Campaign.name)).all()
    names = [r.name for r in rows]
    return [(r.name, r.name) if names.count(r.name) == 1 else (r.id, f"{r.name}({r.year}年,编号 {r.id[:8]})")
            for r in rows]


UNION = FilterOption("union", "--union", "只含该单位(含下级工会)的记录:单位名称、区划代码或编号",
                     metavar="单位", label="只含该单位")
CAMPAIGN = FilterOption("campaign", "--campaign", "慰问活动:名称或编号", metavar="活动", label="慰问活动",
                        choices=campaign_choices)
BATCH = FilterOption("batch", "--batch", "发放批次(与登记时一致)", metavar="批次", label="发放批次")


def _period(what: str) -> tuple[FilterOption, FilterOption]:
    return (FilterOption("from", "--from", f"{what}起", "date", "日期", label=f"{what}起"),
            FilterOption("to", "--to", f"{what}止", "date", "日期", label=f"{what}止"))


ARCHIVE_FILTERS = (
    UNION,
    FilterOption("status", "--status", "档案状态,如 已建档、公示中、草稿(名称或代码;"
                                       "“有效”为已建档,“在办”为未脱困或注销的全部)", metavar="状态",
                 label="档案状态"),
    *_period("建档日期"),
)
LEDGER_FILTERS = (UNION, CAMPAIGN, BATCH, *_period("发放日期"))
VISIT_FILTERS = (UNION, CAMPAIGN, *_period("走访日期"))
AID_FILTERS = (
    UNION,
    FilterOption("year", "--year", "金秋助学年度", "int", "年度", label="助学年度"),
    FilterOption("status", "--status", "助学申请状态,如 已申请、已批准、已发放", metavar="状态",
                 label="助学申请状态"),
    *_period("申请日期"),
)


@dataclass(frozen=True)
class Parsed:
    """A parsed selection: the filter, the period, and how to describe it in a title row."""

    filter: object
    start: date | None
    end: date | None
    text: str


def dates(options: dict) -> tuple[date | None, date | None]:
    from app.validation import DateError, parse_date

    out = []
    for key, label in (("from", "起始日期"), ("to", "截止日期")):
        raw = options.get(key)
        try:
            out.append(parse_date(raw) if raw else None)
        except DateError as exc:
            raise InvalidInput(f"{label}:{exc}") from None
    if out[0] and out[1] and out[0] > out[1]:
        raise InvalidInput("起始日期不能晚于截止日期")
    return out[0], out[1]


def _unit(session: Session, options: dict) -> Unit | None:
    return find_unit(session, options["union"]) if options.get("union") else None


def _choice(raw, choices, what: str) -> str:
    text = str(raw).strip()
    for code, label in choices:
        if text in (code, label):
            return code
    raise InvalidInput(f"“{text}”不是有效的{what}。可选:{'、'.join(label for _, label in choices)}")


def _describe(*parts) -> str:
    return " · ".join(p for p in parts if p)


def archive_filter(session: Session, options: dict) -> Parsed:
    unit = _unit(session, options)
    status = None
    if raw := options.get("status"):
        status = {"有效": "active", "active": "active", "在办": "open", "open": "open"}.get(
            str(raw).strip()) or _choice(raw, STATUS_CHOICES, "档案状态")
    start, end = dates(options)
    label = {"active": "有效档案", "open": "在办档案"}.get(status or "", dict(STATUS_CHOICES).get(status, ""))
    f = ArchiveFilter(status=status, unit_id=unit.id if unit else None, opened_from=start, opened_to=end)
    return Parsed(f, start, end, _describe(unit.name if unit else "", label and f"状态:{label}",
                                           period_text("建档日期", start, end)))


def campaign_of(session: Session, raw: str) -> Campaign:
    text = str(raw).strip()
    rows = session.scalars(select(Campaign).where(Campaign.deleted.is_(False), or_(
        Campaign.id == text, Campaign.name == text))).all()
    if not rows:
        raise AppError(f"找不到慰问活动“{text}”(写活动名称或编号)")
    if len(rows) > 1:
        raise AppError(f"有 {len(rows)} 个名为“{text}”的慰问活动,请改用编号")
    return rows[0]


def ledger_filter(session: Session, options: dict, **extra) -> Parsed:
    unit = _unit(session, options)
    campaign = campaign_of(session, options["campaign"]) if options.get("campaign") else None
    batch = str(options["batch"]).strip() if options.get("batch") else None
    start, end = dates(options)
    f = LedgerFilter(date_from=start, date_to=end, unit_id=unit.id if unit else None,
                     campaign_id=campaign.id if campaign else None, batch=batch, **extra)
    return Parsed(f, start, end, _describe(unit.name if unit else "", campaign.name if campaign else "",
                                           batch and f"批次:{batch}", period_text("发放日期", start, end)))


def visit_filter(session: Session, options: dict) -> Parsed:
    unit = _unit(session, options)
    campaign = campaign_of(session, options["campaign"]) if options.get("campaign") else None
    start, end = dates(options)
    f = VisitFilter(date_from=start, date_to=end, unit_id=unit.id if unit else None,
                    campaign_id=campaign.id if campaign else None)
    return Parsed(f, start, end, _describe(unit.name if unit else "", campaign.name if campaign else "",
                                           period_text("走访日期", start, end)))


def aid_filter(session: Session, options: dict) -> Parsed:
    """金秋助学 by year, status and 申请日期 (the period is applied by the caller's query on
    ``applied_on``; ``AidFilter`` itself filters on the decision date)."""
    unit = _unit(session, options)
    year = None
    if raw := options.get("year"):
        try:
            year = int(str(raw).strip())
        except ValueError:
            raise InvalidInput(f"年度应为整数,如 {date.today().year}") from None
    status = _choice(options["status"], AID_STATUS_CHOICES, "助学申请状态") if options.get("status") else None
    start, end = dates(options)
    f = AidFilter(year=year, status=status, unit_id=unit.id if unit else None)
    return Parsed(f, start, end, _describe(
        unit.name if unit else "", year and f"{year}年度",
        status and "状态:" + dict(AID_STATUS_CHOICES)[status], period_text("申请日期", start, end)))
