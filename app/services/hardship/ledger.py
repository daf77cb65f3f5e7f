"""救助发放: the append-only money and goods ledger.

Rules (seed section (六), DESIGN.md §3):
- 先建档,后帮扶: relief to a worker's household needs an active (已建档) archive dated on or before
  the payout. Exceptions: 意外救助 (must carry a reason and the recipient's ID number), and a
  金秋助学 grant paid from an approved application (non-archived families have their own standard).
- Entries are never edited or removed. A correction is a reversing entry (negated amounts,
  ``reverses_id``, a reason) dated like the original, so every period's figures net out.
- Warnings the caller must confirm (``confirm=True``): the household's yearly total passing the
  county's cap, and a second payout to one household within one campaign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError, NotFound, ValidationFailed
from app.fields.hardship_relief import LEDGER
from app.kit.register import Card, Register
from app.models import Campaign, HardshipArchive, ReliefEntry, StudyAid, Unit, Visit
from app.security import audit
from app.security.roles import Perm
from app.services import records
from app.services.hardship import scope
from app.services.hardship.archives import STATUS_LABELS
from app.validation import format_cn_date, format_yuan

GOODS_KEYS = ("goods_kind", "goods_unit", "goods_qty", "goods_value_fen")


class NeedsConfirmation(AppError):
    """The payout is allowed but unusual; call again with ``confirm=True`` after the user agrees."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__("请确认后再登记:" + ";".join(warnings))


@dataclass
class HouseholdLedger:
    entries: list[ReliefEntry]
    by_kind: dict[str, int] = field(default_factory=dict)  # relief_kind → net fen (cash + goods value)
    by_year: dict[int, int] = field(default_factory=dict)
    cash_fen: int = 0
    goods_value_fen: int = 0


def fill_defaults(session: Session, actor, values: dict) -> dict:
    """领取人, 身份证号 and 所属工会 from the archive (or the enterprise's union), 经办人 from the
    user: what a payout form fills in once its archive is chosen, and what saving assumes."""
    if values.get("archive_id"):
        archive = session.get(HardshipArchive, values["archive_id"])
        if archive is None or archive.deleted:
            raise NotFound("找不到该困难职工档案(可能已作废)")
        values.setdefault("recipient_name", archive.name)
        values.setdefault("recipient_id_number", archive.id_number)
        values.setdefault("unit_id", archive.union_id)
    elif records.codebook(session).resolve("visit_target", str(values.get("recipient_kind", ""))) \
            == "enterprise" and values.get("unit_id"):
        unit = session.get(Unit, values["unit_id"])
        if unit is not None:
            values.setdefault("recipient_name", unit.enterprise_name or unit.name)
    values.setdefault("paid_by", actor.display_name or actor.username)
    return values


def _household_key(line: dict) -> tuple[str, str] | None:
    if line.get("recipient_kind") not in ("worker", "model_worker", "frontline"):
        return None
    if line.get("archive_id"):
        return "archive_id", line["archive_id"]
    if line.get("recipient_id_number"):
        return "recipient_id_number", line["recipient_id_number"]
    return None


def _household_filter(key: tuple[str, str]):
    col, value = key
    if col == "archive_id":
        head = select(HardshipArchive.id_number).where(HardshipArchive.id == value).scalar_subquery()
        return or_(ReliefEntry.archive_id == value,
                   (ReliefEntry.archive_id.is_(None)) & (ReliefEntry.recipient_id_number == head))
    return ReliefEntry.recipient_id_number == value


def yearly_total(session: Session, key: tuple[str, str], year: int) -> int:
    """Net fen (cash + goods value) a household received in ``year``."""
    from datetime import date

    return session.scalar(select(func.coalesce(func.sum(ReliefEntry.cash_fen + ReliefEntry.goods_value_fen), 0))
                          .where(_household_filter(key), ReliefEntry.paid_on >= date(year, 1, 1),
                                 ReliefEntry.paid_on <= date(year, 12, 31))) or 0


def _check_line(line: dict, errors: dict, prefix: str) -> None:
    if line.get("goods_kind"):
        if not line.get("goods_unit"):
            errors[prefix + "goods_unit"] = "请填写物品的计量单位"
        if not line.get("goods_qty"):
            errors[prefix + "goods_qty"] = "请填写物品数量"
    elif line.get("goods_qty") or line.get("goods_value_fen"):
        errors[prefix + "goods_kind"] = "填了物品数量或折价,请选择物品"
    if not line.get("cash_fen") and not line.get("goods_qty"):
        errors[prefix + "cash_fen"] = "现金和物品至少填一项"


def _check_rules(session: Session, actor, line: dict) -> None:
    if line["paid_on"] > today():
        raise ValidationFailed({"paid_on": "发放日期不能晚于今天"}, LEDGER.labels)
    if line.get("unit_id"):
        scope.require_in_chain(session, actor, line["unit_id"], "登记该工会的救助发放")
    kind, target = line["kind"], line["recipient_kind"]
    if target == "enterprise" and not line.get("unit_id"):
        raise ValidationFailed({"unit_id": "慰问困难企业须选择企业所在的工会"}, LEDGER.labels)
    if target != "worker":
        return
    archive = session.get(HardshipArchive, line["archive_id"]) if line.get("archive_id") else None
    if archive is not None and archive.status == "archived" and archive.archived_on <= line["paid_on"]:
        return
    if kind == "accident":
        if not line.get("reason"):
            raise ValidationFailed({"reason": "未建档的意外救助须写明救助事由"}, LEDGER.labels)
        if not line.get("recipient_id_number"):
            raise ValidationFailed({"recipient_id_number": "未建档的意外救助须填写身份证号"}, LEDGER.labels)
        return
    if kind == "education" and line.get("aid_id"):
        return
    if archive is None:
        raise AppError("先建档,后帮扶:该职工没有有效的困难职工档案,不能发放"
                       "(意外救助除外,须写明事由)")
    if archive.status != "archived":
        raise AppError(f"先建档,后帮扶:“{archive.name}”的档案{STATUS_LABELS[archive.status]},不能发放"
                       "(意外救助除外,须写明事由)")
    raise AppError(f"先建档,后帮扶:“{archive.name}”于 {archive.archived_on.isoformat()} 建档,"
                   "发放日期不能早于建档日期")


def _warnings(session: Session, lines: list[dict]) -> list[str]:
    first, out = lines[0], []
    key = _household_key(first)
    if key is None:
        return out
    total = sum((ln.get("cash_fen") or 0) + (ln.get("goods_value_fen") or 0) for ln in lines)
    unit_id = first.get("unit_id") or session.info.get("root_unit_id")
    county = scope.county_of(scope.unit_chain(session, unit_id)) if unit_id else None
    params = scope.params_row(session, county.id, first["paid_on"].year) if county else None
    if params is not None and params.yearly_cap_fen:
        before = yearly_total(session, key, first["paid_on"].year)
        if before + total > params.yearly_cap_fen:
            out.append(f"{first['recipient_name']}一户{first['paid_on'].year}年已获救助 {format_yuan(before)} 元,"
                       f"本次 {format_yuan(total)} 元,合计 {format_yuan(before + total)} 元,"
                       f"超过年度上限 {format_yuan(params.yearly_cap_fen)} 元")
    if first.get("campaign_id"):
        rows = session.execute(
            select(ReliefEntry.paid_on, func.sum(ReliefEntry.cash_fen + ReliefEntry.goods_value_fen))
            .where(_household_filter(key), ReliefEntry.campaign_id == first["campaign_id"])
            .group_by(ReliefEntry.paid_on).order_by(ReliefEntry.paid_on)).all()
        given = [(d, v) for d, v in rows if v > 0]
        if given:
            name = session.get(Campaign, first["campaign_id"]).name
            when = "、".join(d.isoformat() for d, _ in given)
            out.append(f"{first['recipient_name']}一户在“{name}”中已于 {when} 获得慰问"
                       f" {format_yuan(sum(v for _, v in given))} 元,本次为重复慰问")
    return out


def record_relief(session: Session, actor, values: Mapping[str, Any], *,
                  goods: Sequence[Mapping[str, Any]] = (), confirm: bool = False) -> list[ReliefEntry]:
    """Record one payout: the cash and one line per kind of goods (``goods``; or the goods fields
    in ``values`` for a single line). Raises ``NeedsConfirmation`` for warnings unless confirmed."""
    actor.require(Perm.WRITE, "登记救助发放")
    values = fill_defaults(session, actor, {k: v for k, v in values.items() if v not in (None, "")})
    raws = [values] if not goods else [
        {**{k: v for k, v in values.items() if k not in GOODS_KEYS}, **g,
         "cash_fen": values.get("cash_fen", 0) if i == 0 else 0} for i, g in enumerate(goods)]
    lines, errors = [], {}
    for i, raw in enumerate(raws):
        cleaned, errs = LEDGER.clean(raw, records.codebook(session))
        prefix = f"goods[{i}]." if goods else ""
        errors.update({prefix + k: m for k, m in errs.items()})
        if not errs:
            _check_line(cleaned, errors, prefix)
        lines.append(cleaned)
    if errors:
        raise ValidationFailed(errors, LEDGER.labels)
    for ref, model, what in (("campaign_id", Campaign, "慰问活动"), ("visit_id", Visit, "走访记录"),
                             ("aid_id", StudyAid, "助学申请")):
        if lines[0].get(ref) and session.get(model, lines[0][ref]) is None:
            raise NotFound(f"找不到所选的{what}")
    if lines[0]["recipient_kind"] == "worker" and not lines[0].get("archive_id") and lines[0].get(
            "recipient_id_number"):
        linked = session.scalar(select(HardshipArchive.id).where(
            HardshipArchive.id_number == lines[0]["recipient_id_number"],
            HardshipArchive.status == "archived", HardshipArchive.deleted.is_(False)))
        for ln in lines:
            ln["archive_id"] = linked
    _check_rules(session, actor, lines[0])
    warnings = _warnings(session, lines)
    if warnings and not confirm:
        raise NeedsConfirmation(warnings)
    entries = [ReliefEntry(**ln) for ln in lines]
    session.add_all(entries)
    session.flush()
    if warnings:
        audit.append(session, action="confirm", actor=actor, object_type="hardship_ledger",
                     object_id=entries[0].id, summary="确认登记:" + ";".join(warnings))
    return entries


def reverse_entry(session: Session, actor, entry_id: str, reason: str) -> ReliefEntry:
    """冲正: a new entry with the amounts negated, dated like the original."""
    actor.require(Perm.WRITE, "冲正救助发放记录")
    entry = session.get(ReliefEntry, entry_id)
    if entry is None:
        raise NotFound("找不到该救助发放记录")
    if entry.reverses_id:
        raise AppError("这是一条冲正记录,不能再冲正;如需发放请重新登记")
    if session.scalar(select(ReliefEntry.id).where(ReliefEntry.reverses_id == entry.id)):
        raise AppError("该记录已经冲正过")
    if len((reason or "").strip()) < 2:
        raise ValidationFailed({"reason": "冲正须写明原因"}, LEDGER.labels)
    if entry.unit_id:
        scope.require_in_chain(session, actor, entry.unit_id, "冲正该工会的救助发放记录")
    copy = {c: getattr(entry, c) for c in (
        "paid_on", "kind", "recipient_kind", "archive_id", "recipient_name", "recipient_id_number",
        "unit_id", "campaign_id", "visit_id", "aid_id", "goods_kind", "goods_unit", "fund_source",
        "batch")}
    reversal = ReliefEntry(**copy, cash_fen=-entry.cash_fen, goods_qty=-entry.goods_qty,
                           goods_value_fen=-entry.goods_value_fen, reverses_id=entry.id,
                           reason=reason.strip(), paid_by=actor.display_name or actor.username,
                           note=f"冲正{format_cn_date(entry.paid_on)} {entry.recipient_name} 的发放记录")  # as on paper
    session.add(reversal)
    session.flush()
    return reversal


def _create(session: Session, actor, values: Mapping[str, Any]) -> ReliefEntry:
    """One line as a form or the command line gives it (warnings need the area's own dialog)."""
    return record_relief(session, actor, values)[0]


def paper_status(session: Session, entry: ReliefEntry) -> str:
    """What the card of a payout says above its data: a reversal is one, with its reason and the
    payout it reverses; a reversed payout says so, when and why (its amounts no longer stand)."""
    if entry.reverses_id:
        original = session.get(ReliefEntry, entry.reverses_id)
        what = (f"{format_cn_date(original.paid_on)} {original.recipient_name} 的发放"
                f"(现金 {format_yuan(original.cash_fen)} 元)") if original else "原发放记录"
        return f"【冲正记录】冲正{what};冲正原因:{entry.reason or '未写明'}"
    reversal = session.scalar(select(ReliefEntry).where(ReliefEntry.reverses_id == entry.id,
                                                        ReliefEntry.deleted.is_(False)))
    if reversal is None:
        return ""
    return (f"【已冲正】本笔发放已于{format_cn_date(reversal.created_at.date())}冲正,不再计入发放;"
            f"冲正原因:{reversal.reason or '未写明'}")


# Append-only: never edited or voided; a correction is a reversal (``reverse_entry``).
REGISTER = Register(LEDGER, create=_create, editable=False, voidable=False, importable=False,
                    tag_columns=(), search_hint="领取人 / 身份证号",
                    card=Card(status=paper_status))


def household_ledger(session: Session, actor, archive_id: str) -> HouseholdLedger:
    """Everything a household received across programmes (before and after it was archived)."""
    actor.require(Perm.READ, "查看家庭救助台账")
    entries = list(session.scalars(select(ReliefEntry).where(
        _household_filter(("archive_id", archive_id))).order_by(ReliefEntry.paid_on, ReliefEntry.created_at)))
    book = HouseholdLedger(entries)
    for e in entries:
        value = e.cash_fen + e.goods_value_fen
        book.by_kind[e.kind] = book.by_kind.get(e.kind, 0) + value
        book.by_year[e.paid_on.year] = book.by_year.get(e.paid_on.year, 0) + value
        book.cash_fen += e.cash_fen
        book.goods_value_fen += e.goods_value_fen
    return book
