"""工会法律援助 cases (F6): the means test and its exemption, the case's one rule, numbering.

Eligibility (总工发〔2008〕52号 §10, §12; records-and-forms.md F6):
- the household's monthly income per head below the local standard (a setting, 元/月) passes;
- a 农民工 claiming wages (案由 劳动报酬) or work-injury compensation (工伤) is exempt from the
  means test;
- a verbal application (口头申请) is recorded on the spot and signed by the applicant.
``assess`` is the one computation: the register stores its result on every save (form, Excel,
CLI) and the form shows it live; granting aid against it needs a written reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.fields.rights import AID_CASE
from app.kit.register import Item, Numbering, Register
from app.models.rights import Lawyer
from app.services import settings
from app.services.rights import samples
from app.validation import format_yuan

EXEMPT_CAUSES = {"02": "劳动报酬", "04": "工伤"}  # rights_problem codes a 农民工 is exempt for
REASON_MIN = 4


@dataclass(frozen=True)
class Assessment:
    code: str  # eligible | exempt | over | unknown
    text: str


def per_capita(values: Mapping[str, Any]) -> int | None:
    size, income = values.get("household_size"), values.get("household_income_fen")
    if not size or income is None:
        return None
    return (income + size // 2) // size  # rounded half up to the fen


def assess(session: Session, values: Mapping[str, Any]) -> Assessment:
    """The means test for an application with these (cleaned) values, with its working."""
    cause = values.get("cause")
    if values.get("is_migrant") and cause in EXEMPT_CAUSES:
        return Assessment("exempt", f"农民工请求支付{EXEMPT_CAUSES[cause]},免予经济困难审查")
    head = per_capita(values)
    if head is None:
        return Assessment("unknown", "未填家庭人口或家庭月收入,无法审查经济困难情况")
    standard = settings.get(session, "rights_aid_income_yuan") * 100
    working = (f"家庭月收入 {format_yuan(values['household_income_fen'])} 元 ÷ {values['household_size']} 人"
               f" = 月人均 {format_yuan(head)} 元")
    if head < standard:
        return Assessment("eligible", f"{working},低于本地标准 {format_yuan(standard)} 元,符合经济困难条件")
    return Assessment("over", f"{working},不低于本地标准 {format_yuan(standard)} 元,不符合经济困难条件")


def derive(values: dict) -> None:
    """Gender, birth date (from the ID number) and income per head: shown live in the form."""
    number = values.get("id_number")
    if number and len(number) == 18:
        from datetime import date

        values["gender"] = "1" if int(number[16]) % 2 else "2"
        values["birth_date"] = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    values["per_capita_fen"] = per_capita(values)


def prepare(session: Session, values: dict, record) -> None:
    found = assess(session, values)
    values["eligibility"], values["eligibility_text"] = found.code, found.text


def fill(session: Session, values: dict) -> dict:
    """The assigned lawyer's firm."""
    if values.get("lawyer_id") and not values.get("firm_id"):
        lawyer = session.get(Lawyer, values["lawyer_id"])
        if lawyer is not None:
            values["firm_id"] = lawyer.firm_id
    return values


def case_errors(session: Session, v: Mapping[str, Any]) -> dict[str, str]:
    """What one case's values break (the rule runs it for every item of a batch)."""
    e: dict[str, str] = {}
    if v.get("mode") == "verbal" and not v.get("verbal_signed"):
        e["verbal_signed"] = "口头申请须当场记录,并由申请人签字或按手印后登记"
    granted = v.get("review_result") == "granted"
    if v.get("review_result") and not v.get("reviewed_on"):
        e["reviewed_on"] = "请填写审查日期"
    if granted and v.get("eligibility") not in ("eligible", "exempt") \
            and len((v.get("review_opinion") or "").strip()) < REASON_MIN:
        e["review_opinion"] = "经济困难审查未通过,准予援助须写明理由"
    if not granted and (v.get("lawyer_id") or v.get("assigned_on") or v.get("aid_form")):
        e["lawyer_id"] = "审查准予援助后才能指派律师、确定援助形式"
    if v.get("lawyer_id"):
        lawyer = session.get(Lawyer, v["lawyer_id"])
        if lawyer is None or lawyer.deleted:
            e["lawyer_id"] = "找不到该律师(可能已作废)"
        elif v.get("firm_id") and v["firm_id"] != lawyer.firm_id:
            e["firm_id"] = "承办律所与律师所在律所不一致"
    closing = v.get("stage") == "closed"
    if closing or v.get("closed_on") or v.get("outcome"):
        for key, message in (("closed_on", "结案须填写结案日期"), ("outcome", "结案须填写结案方式")):
            if not v.get(key):
                e[key] = message
        if not closing:
            e["stage"] = "已填写结案日期或结案方式的,办理阶段应为“已结案”"
    if (v.get("recovered_fen") or 0) > 0 and not v.get("closed_on"):
        e["recovered_fen"] = "挽回金额在结案时登记"
    return e


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    return {i: e for i, it in enumerate(items) if (e := case_errors(session, it.values))}


REGISTER = Register(
    AID_CASE, rule=_rule, derive=derive, prepare=prepare, fill=fill, sample=samples.aid_case,
    number=Numbering("case_no", "{unit_code}-法援-{year}-{seq:04d}", date_key="applied_on"),
    search_hint="受理号 / 申请人 / 对方单位", excel_key="aid_cases",
    from_member={"applicant_name": "name", "id_number": "id_number", "phone": "phone",
                 "employer": "@employer", "union_id": "union_id"},
    paper_columns=("case_no", "applied_on", "applicant_name", "employer", "cause", "amount_fen",
                   "review_result", "aid_form", "lawyer_id", "stage", "closed_on", "recovered_fen"))
