"""F6 工会法律援助申请表 (records-and-forms.md §A.10; 总工发〔2008〕52号 §10, §12): the applicant
(income per head of the household), an optional agent, the opposing party, the case and what is
asked, the declaration signed by the applicant (a verbal application: 口头申请, recorded and read
back), and the office's part — 受理号, the means test as the app assessed it (or its exemption for
a 农民工 claiming wages or work-injury compensation), the review, the assigned lawyer and firm,
signature, stamp and date."""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.rights import AID_CASE, MODE_CHOICES, REVIEW_CHOICES
from app.models.rights import AidCase, LawFirm, Lawyer
from app.printing.blocks import HeaderLine, Notes, PageBreak, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, qr_of
from app.printing.forms.rights_common import BLANK_DATE, choice, loader, unit_name
from app.printing.grid import Grid, Label, Opinion, Value
from app.printing.registry import FormDef
from app.validation import format_yuan

TITLE = "工会法律援助申请表"
SIZE = 10
WEIGHTS = [1.25, 1.3, 1.0, 1.25, 1.1, 1.2, 1.1, 1.3]
MATERIALS = "申请人身份证明;单位工会或乡镇(街道)工会出具的经济困难证明(免审的除外);与案件有关的证据材料"
NOTES = ["农民工请求支付劳动报酬或工伤赔偿的,免予经济困难审查。",
         "口头申请的,由接待人员当场记录,经向申请人宣读无误后由申请人签字或按手印。",
         "本表一式两份,工会法律援助机构和承办律师各存一份。"]


def _yuan(fen) -> str:
    return "" if fen is None else f"{format_yuan(fen)}元"


def build(ctx, case: AidCase) -> FormDoc:
    f = AID_CASE.field

    def v(key: str, span: int = 1, **kw):
        return Value(ctx.shown(f(key), getattr(case, key)), span=span, **kw)

    L = Label
    lawyer = ctx.session.get(Lawyer, case.lawyer_id) if case.lawyer_id else None
    firm = ctx.session.get(LawFirm, case.firm_id) if case.firm_id else None
    yes_no = (lambda b: choice(((True, "是"), (False, "否")), bool(b)))
    rows = [
        [L("申请人", span=8, size=11)],
        [L("*姓名"), v("applicant_name"), L("性别"), v("gender"), L("民族"), v("ethnicity"),
         L("出生日期"), v("birth_date")],
        [L("*身份证号"), v("id_number", 3), L("联系电话"), v("phone"), L("户籍所在地"), v("hukou")],
        [L("住址"), v("address", 3), L("工作单位"), v("employer", 3)],
        [L("工会会员"), Value(yes_no(case.is_member)), L("农民工"), Value(yes_no(case.is_migrant)),
         L("本人月收入"), Value(_yuan(case.monthly_income_fen)), L("家庭人口"),
         Value(f"{case.household_size}人" if case.household_size else "")],
        [L("家庭月收入"), Value(_yuan(case.household_income_fen), span=3), L("家庭月人均收入"),
         Value(_yuan(case.per_capita_fen), span=3)],
        [L("代理人"), v("agent_name"), L("与申请人关系"), v("agent_relation"), L("代理人电话"),
         v("agent_phone", 3)],
        [L("对方当事人", span=8, size=11)],
        [L("*单位名称"), v("opponent_name", 3), L("统一社会信用代码"), v("opponent_uscc", 3)],
        [L("地址"), v("opponent_address", 3), L("法定代表人"), v("opponent_rep"), L("电话"),
         v("opponent_phone")],
        [L("案件情况", span=8, size=11)],
        [L("*案由"), v("cause"), L("涉案金额"), Value(_yuan(case.amount_fen)), L("*申请事项"),
         v("matters", 3)],
        [L("*案情与理由"), v("facts", 7, min_height=30 * mm)],
        [L("证据清单"), v("evidence", 7, min_height=12 * mm)],
        [L("申请方式"), Value(choice(MODE_CHOICES, case.mode), span=3), L("口头申请笔录签字"),
         Value(yes_no(case.verbal_signed) if case.mode == "verbal" else "—", span=3)],
        [Opinion("申请人承诺:以上所填内容及提交的材料真实,如有虚假,愿意承担相应责任。", span=8,
                 stamp=False, signer_label="申请人签字(手印):", date_text=ctx.shown(
                     f("applied_on"), case.applied_on), min_height=24 * mm)],
    ]
    office = [
        [L("以下由工会法律援助机构填写", span=8, size=11)],
        [L("受理号"), Value(case.case_no or "", span=3), L("经济困难审查"), v("eligibility", 3)],
        [L("申请人"), v("applicant_name"), L("身份证号"), v("id_number", 3), L("案由"), v("cause")],
        [L("审查依据"), v("eligibility_text", 7)],
        [L("援助形式"), v("aid_form"), L("承办律所"), Value(firm.name if firm else "", span=3),
         L("承办律师"), Value(lawyer.name if lawyer else "")],
        [L("应提交材料"), Value(MATERIALS, span=7)],
        [Opinion("审查意见:" + choice(REVIEW_CHOICES, case.review_result) + "\n"
                 + (case.review_opinion or ""), span=8, signer_label="审批人:",
                 signer=case.reviewer or "",
                 date_text=ctx.shown(f("reviewed_on"), case.reviewed_on) or BLANK_DATE,
                 min_height=40 * mm)],
    ]
    number = case.case_no or ""
    blocks = [
        Title(f"{ctx.unit_name}{TITLE}", size=20, min_size=16),
        HeaderLine(f"申请人所属工会:{unit_name(ctx.session, case.union_id)}", "", f"受理号:{number}",
                   size=SIZE),
        Grid(WEIGHTS, rows, size=SIZE, min_row=7.5 * mm),
        PageBreak(),  # the office's part on a page of its own, whole
        Grid(WEIGHTS, office, size=SIZE, min_row=8 * mm),
        Notes(NOTES, size=9),
    ]
    return FormDoc(TITLE, blocks, number, qr_of(AID_CASE, case), record_ids=(case.id,))


def lookup(session, text: str) -> list[str]:
    from sqlalchemy import or_, select

    text = text.strip()
    return list(session.scalars(select(AidCase.id).where(
        AidCase.deleted.is_(False), or_(AidCase.id == text, AidCase.case_no == text.upper()))))


FORMS = (FormDef("legal_aid_form", TITLE, AID_CASE.key, build=build, load=loader(AidCase),
                 lookup=lookup, file_stem=batch_stem(TITLE, lambda c: c.applicant_name),
                 number_kind="法援"),)
