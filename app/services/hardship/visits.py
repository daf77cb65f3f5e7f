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
from app.kit.register import Item, Register
from app.models import Campaign, HardshipArchive, ReliefEntry, Unit, Visit
from app.security.roles import Perm
from app.services import records
from app.services.hardship import ledger

# The ledger kind of a visit's payout, by campaign kind.
RELIEF_KIND = {"spring": "warmth", "summer": "warmth", "festival": "holiday", "study": "education",
               "other": "warmth"}


def _campaign_in_use(session: Session, campaign: Campaign) -> None:
    if session.scalar(select(Visit.id).where(Visit.campaign_id == campaign.id,
                                             Visit.deleted.is_(False)).limit(1)) or \
            session.scalar(select(ReliefEntry.id).where(ReliefEntry.campaign_id == campaign.id).limit(1)):
        raise AppError(f"“{campaign.name}”已有走访或发放记录,不能作废")


def _campaign_sample(session: Session, rng, values: dict) -> dict:
    """A campaign named as the office names them: its year and kind (2026年元旦春节送温暖)."""
    from app.services.records import codebook

    kind = codebook(session).label("campaign_kind", values.get("kind")) if values.get("kind") else "走访慰问"
    return {**values, "name": f"{values.get('year')}年{'走访慰问' if kind == '其他' else kind}"}


# That a campaign ends on or after its start is declared on ``ends_on`` (``Field.not_before``).
CAMPAIGNS = Register(CAMPAIGN, before_void=_campaign_in_use, sample=_campaign_sample,
                     search_hint="活动名称", excel_key="campaigns")


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


def _visit_rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v = it.values
        if v.get("target_kind") == "enterprise" and not v.get("unit_id"):
            out.setdefault(i, {})["unit_id"] = "走访困难企业须选择企业所在的工会"
        if v.get("campaign_id") and it.touches("campaign_id"):
            campaign = session.get(Campaign, v["campaign_id"])
            if campaign is None or campaign.deleted:
                out.setdefault(i, {})["campaign_id"] = "找不到该慰问活动(可能已作废)"
    return out


def _visit_given(session: Session, visit: Visit) -> None:
    if session.scalar(select(ReliefEntry.id).where(ReliefEntry.visit_id == visit.id).limit(1)):
        raise AppError("该走访已登记慰问金(品),发放台账只增不改,不能作废;如有错误请对发放记录办理冲正")


VISITS = Register(VISIT, fill=fill_target, rule=_visit_rule, before_void=_visit_given,
                  search_hint="慰问对象 / 慰问领导")


def record_visit(session: Session, actor, values: Mapping[str, Any], *, cash: Any = 0,
                 goods: Sequence[Mapping[str, Any]] = (), fund_source: str | None = None,
                 batch: str | None = None, signed_by: str | None = None,
                 confirm: bool = False) -> tuple[Visit, list[ReliefEntry]]:
    """A visit and what it gave, as one unit of work: ``cash`` and the goods lines' values are
    amounts in 元 as typed (like every form field), ``goods`` as in ``ledger.record_relief``."""
    visit = records.create(session, actor, VISITS, values)
    entries: list[ReliefEntry] = []
    if (cash not in (None, "", 0, "0")) or goods:
        if not fund_source:
            raise ValidationFailed({"fund_source": "有慰问金或慰问品时须填写资金来源"}, {"fund_source": "资金来源"})
        entries = ledger.record_relief(session, actor, {
            **_payout_of(session, visit), "cash_fen": cash, "fund_source": fund_source,
            "batch": batch, "signed_by": signed_by,
        }, goods=goods, confirm=confirm)
    return visit, entries


def payout_values(session: Session, actor, visit_id: str) -> dict[str, Any]:
    """What a payout for a stored visit starts with (登记慰问金(品) on the visits list): its day,
    recipient, union, campaign and the relief kind of the campaign; empty values left out."""
    visit = records.get(session, actor, VISITS, visit_id)
    return {k: v for k, v in _payout_of(session, visit).items() if v not in (None, "")}


def _payout_of(session: Session, visit: Visit) -> dict[str, Any]:
    campaign = session.get(Campaign, visit.campaign_id) if visit.campaign_id else None
    return {"paid_on": visit.visited_on,
            "kind": RELIEF_KIND.get(campaign.kind if campaign else "other", "warmth"),
            "recipient_kind": visit.target_kind, "archive_id": visit.archive_id,
            "recipient_name": visit.target_name, "recipient_id_number": visit.target_id_number,
            "unit_id": visit.unit_id, "campaign_id": visit.campaign_id, "visit_id": visit.id}


def visit_entries(session: Session, actor, visit_id: str) -> list[ReliefEntry]:
    actor.require(Perm.READ, "查看走访慰问")
    return list(session.scalars(select(ReliefEntry).where(ReliefEntry.visit_id == visit_id)
                                .order_by(ReliefEntry.created_at)))
