"""The filters of the area's lists as typed on the command line (or in a print or export dialog):
declared once (``FilterOption`` naming the field it selects on), turned into a ``ListQuery`` with
a description for title rows by ``app.kit.options.selection``.

Printing (batch 档案表, 签收表, 公示名单) and the Excel exports offer the same options.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.fields.hardship import ARCHIVE, STATUS_CHOICES
from app.fields.hardship_relief import LEDGER, STUDY_AID, VISIT
from app.kit.options import Selection, selection, standard_options
from app.models import Campaign
from app.services.filters import FilterOption

# Words for groups of archive states: 有效 (已建档), 在办 (everything not exited or cancelled).
OPEN = tuple(code for code, _ in STATUS_CHOICES if code not in ("exited", "cancelled"))
STATUS_WORDS = {"有效": ("archived",), "active": ("archived",), "在办": OPEN, "open": OPEN}


def campaign_choices(session: Session) -> list[tuple[str, str]]:
    """The campaigns a dialog offers for 慰问活动, the latest first: (name as typed, name); a name
    two campaigns share is offered as their ids (``campaign_of`` accepts either)."""
    rows = session.execute(select(Campaign.id, Campaign.name, Campaign.year).where(
        Campaign.deleted.is_(False)).order_by(Campaign.year.desc(), Campaign.starts_on.desc(),
                                              Campaign.name)).all()
    names = [r.name for r in rows]
    return [(r.name, r.name) if names.count(r.name) == 1 else (r.id, f"{r.name}({r.year}年,编号 {r.id[:8]})")
            for r in rows]


def campaign_of(session: Session, raw: str) -> Campaign:
    text = str(raw).strip()
    rows = session.scalars(select(Campaign).where(Campaign.deleted.is_(False), or_(
        Campaign.id == text, Campaign.name == text))).all()
    if not rows:
        raise AppError(f"找不到慰问活动“{text}”(写活动名称或编号)")
    if len(rows) > 1:
        raise AppError(f"有 {len(rows)} 个名为“{text}”的慰问活动,请改用编号")
    return rows[0]


CAMPAIGN = FilterOption("campaign", "--campaign", "慰问活动:名称或编号", metavar="活动", label="慰问活动",
                        choices=campaign_choices, field="campaign_id")
BATCH = FilterOption("batch", "--batch", "发放批次(与登记时一致)", metavar="批次", label="发放批次",
                     field="batch")

ARCHIVE_FILTERS = standard_options(ARCHIVE, FilterOption(
    "status", "--status", "档案状态,如 已建档、公示中、草稿(名称或代码;“有效”为已建档,“在办”为未脱困或注销的全部)",
    metavar="状态", label="档案状态", field="status", words=STATUS_WORDS))
LEDGER_FILTERS = standard_options(LEDGER, CAMPAIGN, BATCH)
VISIT_FILTERS = standard_options(VISIT, CAMPAIGN)
AID_FILTERS = standard_options(
    STUDY_AID,
    FilterOption("year", "--year", "金秋助学年度", "int", "年度", label="助学年度", field="year"),
    FilterOption("status", "--status", "助学申请状态,如 已申请、已批准、已发放", metavar="状态",
                 label="助学申请状态", field="status"))


def archive_selection(session: Session, options: dict, **filters) -> Selection:
    return selection(session, ARCHIVE.key, options, ARCHIVE_FILTERS, **filters)


def ledger_selection(session: Session, options: dict, **filters) -> Selection:
    return selection(session, LEDGER.key, options, LEDGER_FILTERS, **filters)


def visit_selection(session: Session, options: dict) -> Selection:
    return selection(session, VISIT.key, options, VISIT_FILTERS)


def aid_selection(session: Session, options: dict) -> Selection:
    return selection(session, STUDY_AID.key, options, AID_FILTERS)
