"""走访慰问: 送温暖 campaigns and the leaders' visits to enterprises, workers and model workers in
difficulty, and front-line workers. What a visit gives is recorded in the ledger (linked by
``visit_id``), under the ledger's rules: a worker's household needs an active archive, and a
second payout to one household within one campaign asks for confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationFailed
from app.fields.hardship_relief import CAMPAIGN, VISIT
from app.models import Campaign, HardshipArchive, ReliefEntry, Unit, Visit
from app.security.roles import Perm
from app.services import records
from app.services.hardship import ledger, scope

# The ledger kind of a visit's payout, by campaign kind.
RELIEF_KIND = {"spring": "warmth", "summer": "warmth", "festival": "holiday", "study": "education",
               "other": "warmth"}


def create_campaign(session: Session, actor, values: Mapping[str, Any]) -> Campaign:
    actor.require(Perm.WRITE, "新建慰问活动")
    cleaned = records.clean_or_raise(session, CAMPAIGN, values)
    if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
        raise ValidationFailed({"ends_on": "结束日期不能早于开始日期"}, CAMPAIGN.labels)
    campaign = Campaign()
    records.apply(campaign, cleaned)
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, actor, campaign_id: str, values: Mapping[str, Any]) -> Campaign:
    actor.require(Perm.WRITE, "修改慰问活动")
    campaign = records.get_live(session, CAMPAIGN, campaign_id)
    records.apply(campaign, records.clean_or_raise(session, CAMPAIGN, values, partial=True))
    session.flush()
    return campaign


def list_campaigns(session: Session, actor, year: int | None = None) -> list[Campaign]:
    actor.require(Perm.READ, "查看慰问活动")
    q = select(Campaign).where(Campaign.deleted.is_(False))
    if year:
        q = q.where(Campaign.year == year)
    return list(session.scalars(q.order_by(Campaign.starts_on.desc(), Campaign.name)))


def _code(session: Session, table: str, raw) -> str | None:
    """A raw code-or-label as its code (input may carry 困难企业 or enterprise)."""
    return records.codebook(session).resolve(table, str(raw).strip()) if raw else None


def fill_target(session: Session, values: dict) -> dict:
    """The visited party's name, ID number and union from the archive (or the enterprise's
    union): what the visit form fills in, and what saving assumes."""
    if values.get("archive_id"):
        archive = session.get(HardshipArchive, values["archive_id"])
        if archive is None or archive.deleted:
            raise AppError("找不到该困难职工档案(可能已作废)")
        values.setdefault("target_name", archive.name)
        values.setdefault("target_id_number", archive.id_number)
        values.setdefault("unit_id", archive.union_id)
    elif _code(session, "visit_target", values.get("target_kind")) == "enterprise" and values.get("unit_id"):
        unit = session.get(Unit, values["unit_id"])
        if unit is not None:
            values.setdefault("target_name", unit.enterprise_name or unit.name)
    return values


def record_visit(session: Session, actor, values: Mapping[str, Any], *, cash: Any = 0,
                 goods: Sequence[Mapping[str, Any]] = (), fund_source: str | None = None,
                 batch: str | None = None, signed_by: str | None = None,
                 confirm: bool = False) -> tuple[Visit, list[ReliefEntry]]:
    """A visit and what it gave, as one unit of work: ``cash`` and the goods lines' values are
    amounts in 元 as typed (like every form field), ``goods`` as in ``ledger.record_relief``."""
    actor.require(Perm.WRITE, "登记走访慰问")
    values = fill_target(session, {k: v for k, v in values.items() if v not in (None, "")})
    cleaned = records.clean_or_raise(session, VISIT, values)
    if cleaned["target_kind"] == "enterprise" and not cleaned.get("unit_id"):
        raise ValidationFailed({"unit_id": "走访困难企业须选择企业所在的工会"}, VISIT.labels)
    if cleaned.get("unit_id"):
        scope.require_in_chain(session, actor, cleaned["unit_id"], "登记该工会的走访慰问")
    campaign = records.get_live(session, CAMPAIGN, cleaned["campaign_id"]) if cleaned.get("campaign_id") else None
    visit = Visit()
    records.apply(visit, cleaned)
    session.add(visit)
    session.flush()
    entries: list[ReliefEntry] = []
    if (cash not in (None, "", 0, "0")) or goods:
        if not fund_source:
            raise ValidationFailed({"fund_source": "有慰问金或慰问品时须填写资金来源"}, {"fund_source": "资金来源"})
        entries = ledger.record_relief(session, actor, {
            "paid_on": visit.visited_on,
            "kind": RELIEF_KIND.get(campaign.kind if campaign else "other", "warmth"),
            "recipient_kind": visit.target_kind, "archive_id": visit.archive_id,
            "recipient_name": visit.target_name, "recipient_id_number": visit.target_id_number,
            "unit_id": visit.unit_id, "campaign_id": visit.campaign_id, "visit_id": visit.id,
            "cash_fen": cash, "fund_source": fund_source, "batch": batch, "signed_by": signed_by,
        }, goods=goods, confirm=confirm)
    return visit, entries


def visit_entries(session: Session, actor, visit_id: str) -> list[ReliefEntry]:
    actor.require(Perm.READ, "查看走访慰问")
    return list(session.scalars(select(ReliefEntry).where(ReliefEntry.visit_id == visit_id)
                                .order_by(ReliefEntry.created_at)))
