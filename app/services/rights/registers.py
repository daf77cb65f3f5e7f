"""The plain-but-ruled registers: 普法活动 (a form's counts that cannot contradict each other),
法律咨询 (the person picked from the member register or typed; a lawyer's answer names the
lawyer), 劳动安全监督检查 (hazards need a rectification deadline; a re-inspection has a result).
One rule function each, run by the form, Excel, the CLI and the demo alike."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError
from app.fields.rights import CONSULTATION, EVENT, INSPECTION
from app.kit.register import Card, Item, Register
from app.models import Member
from app.models.rights import Lawyer
from app.services.rights import samples


def _rules(check):
    """A register rule from a per-record check: (session, values, item) -> {field: message}."""
    def rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
        return {i: e for i, it in enumerate(items) if (e := check(session, it.values, it))}
    return rule


def _not_ahead(v: dict, it: Item, key: str, what: str) -> dict[str, str]:
    if it.touches(key) and v.get(key) and v[key] > today():
        return {key: f"{what}不能晚于今天"}
    return {}


def _event(session: Session, v: dict, it: Item) -> dict[str, str]:
    e = _not_ahead(v, it, "held_on", "活动日期")
    if (v.get("consulted") or 0) > (v.get("audience") or 0):
        e["consulted"] = "现场咨询人次不能多于参与人数"
    return e


def fill_member(session: Session, values: dict) -> dict:
    """A member picked as the person consulting: name, ID number, phone and union from the
    register (typed values are kept)."""
    if values.get("member_id"):
        member = session.get(Member, values["member_id"])
        if member is None or member.deleted:
            raise AppError("找不到该会员(可能已作废)")
        values.setdefault("person_name", member.name)
        values.setdefault("id_number", member.id_number)
        values.setdefault("phone", member.phone)
        values.setdefault("union_id", member.union_id)
    return values


def _consultation(session: Session, v: dict, it: Item) -> dict[str, str]:
    e = _not_ahead(v, it, "consulted_on", "咨询日期")
    if v.get("answerer_kind") == "lawyer":
        lawyer = session.get(Lawyer, v["lawyer_id"]) if v.get("lawyer_id") else None
        if lawyer is None:
            e["lawyer_id"] = "由值班律师答复的,请选择值班律师"
        elif v.get("answerer_name") and v["answerer_name"] != lawyer.name:
            e["answerer_name"] = f"答复人应为所选值班律师 {lawyer.name}"
    elif v.get("lawyer_id"):
        e["answerer_kind"] = "选择了值班律师的,答复人类别应为“值班律师”"
    return e


def _fill_answerer(session: Session, values: dict) -> dict:
    values = fill_member(session, values)
    if values.get("lawyer_id") and not values.get("answerer_name"):
        lawyer = session.get(Lawyer, values["lawyer_id"])
        if lawyer is not None:
            values["answerer_name"] = lawyer.name
    return values


def _inspection(session: Session, v: dict, it: Item) -> dict[str, str]:
    e = _not_ahead(v, it, "inspected_on", "检查日期")
    if (v.get("hazard_count") or 0) > 0 and not v.get("deadline"):
        e["deadline"] = "发现隐患的,须规定整改期限"
    if v.get("recheck_result") and not v.get("recheck_on"):
        e["recheck_on"] = "填写复查结果的,须填写复查日期"
    e |= _not_ahead(v, it, "recheck_on", "复查日期")
    return e


EVENTS = Register(EVENT, rule=_rules(_event), sample=samples.event, search_hint="活动主题 / 地点",
                  excel_key="law_events")
CONSULTATIONS = Register(CONSULTATION, rule=_rules(_consultation), fill=_fill_answerer,
                         sample=samples.consultation, search_hint="咨询人 / 身份证号 / 电话",
                         excel_key="consultations",
                         from_member={"person_name": "name", "id_number": "id_number", "phone": "phone",
                                      "employer": "@employer", "union_id": "union_id"})
INSPECTIONS = Register(INSPECTION, rule=_rules(_inspection), sample=samples.inspection,
                       search_hint="被检查企业", excel_key="safety_checks",
                       card=Card(("被检查单位意见", "检查组意见"), title="工会劳动保护监督检查记录表"))
