"""F4 金秋助学申请表 (records-and-forms.md §A.10): the student, the parent and the parent's archive
(助学 follows the parent's 困难职工档案, or 非建档 with the cause of hardship), other aid received,
the amounts — the granted amount also in 大写, printed only if figures and words agree —, the bank
account, the opinions of the 基层工会 and of the 县总工会, the 公示 result, and the attachments
to hand in with it.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from sqlalchemy import or_, select

from app.fields.hardship_relief import STUDY_AID
from app.models import StudyAid
from app.printing.amounts import checked_total
from app.printing.blocks import HeaderLine, Notes, Title
from app.printing.document import FormDoc
from app.printing.forms import hardship_common as hc
from app.printing.forms.common import batch_stem
from app.printing.grid import Grid, Label, Opinion, Value
from app.printing.registry import FormDef
from app.services.hardship import forms
from app.validation import normalize_id_number

TITLE = "金秋助学申请表"
SIZE, LABEL_SIZE = 10.5, 9
WEIGHTS = [1.15, 1.3, 1.15, 1.1, 1.15, 1.1, 1.15, 1.3]
ATTACHMENTS = ("录取通知书复印件", "学校收费标准(缴费通知)复印件", "学生及家长身份证、户口本复印件",
               "困难证明(非建档家庭)", "银行卡复印件")
NOTES = ["已获其他部门或社会资助的、军事院校、免费师范生、定向生等不在资助范围。",
         "资助标准按当年县总工会规定执行;建档困难职工家庭与非建档家庭标准不同。"]


def _label(text: str, **kw):
    return Label(text, size=LABEL_SIZE, **kw)


def _section(text: str):
    return [Label(text, span=8, size=12)]


def build(ctx, aid: StudyAid) -> FormDoc:
    data = forms.study_aid_values(ctx.session, aid, reveal=ctx.reveal)
    f = data["fields"]

    def pair(key, span=1, text=None):
        fl = STUDY_AID.field(key)
        return [_label(("*" if fl.required else "") + fl.label),
                Value(f[key]["text_cn"] if text is None else text, span=span)]

    granted = aid.granted_fen
    words = checked_total(granted, what="批准金额").words if granted else ""
    exclusions = f["exclusions"]["text"] or "无"
    other = hc.yes_no(bool(aid.other_aid)) + (f"  {f['other_aid_text']['text']}" if aid.other_aid_text else "")
    rows = [
        _section("学生情况"),
        pair("student_name") + pair("student_gender") + pair("student_id_number", 3),
        pair("exam_no", 3) + pair("level") + pair("study_years"),
        pair("school", 3) + pair("major") + pair("tuition_fen", text=hc.yuan(aid.tuition_fen)),
        _section("家长(建档职工)情况"),
        pair("parent_name") + pair("parent_id_number", 3)
        + [_label("家庭人口"), Value(f"{data['household_size']}人" if data["household_size"] else "")],
        pair("parent_unit", 3) + [_label("困难职工档案编号"), Value(data["archive_no"], span=3)],
        pair("hardship_cause", 3) + [_label("家庭月人均收入"),
                                     Value(data["per_capita"] and data["per_capita"] + "元", span=3)],
        _section("资助情况"),
        [_label("已获其他资助"), Value(other, span=3)] + pair("exclusions", 3, exclusions),
        pair("requested_fen", text=hc.yuan(aid.requested_fen)) + pair("standard_fen", text=hc.yuan(aid.standard_fen))
        + pair("granted_fen", 3, hc.yuan(granted)),
        [_label("批准金额(大写)"), Value(words, span=7)],
        pair("account_name") + pair("bank_name") + [_label("银行卡号"), Value(f["bank_account"]["text"], span=3)],
        [Opinion("基层工会意见:\n" + (f["grassroots_opinion"]["text"] or ""), span=4, min_height=30 * mm),
         Opinion("县总工会审核意见:\n" + (f["county_opinion"]["text"] or ""), span=4, min_height=30 * mm,
                 date_text=f["decided_on"]["text_cn"] or "年    月    日")],
        pair("publicity_result", 3) + pair("applied_on", 3),
        [_label("附件"), Value(";".join(f"{i}. {a}" for i, a in enumerate(ATTACHMENTS, 1)), span=7)],
    ]
    number = ctx.office_number(aid.id)
    blocks = [
        Title(f"{ctx.unit_name}{TITLE}", size=18, subtitle=f"({aid.year}年度)"),
        HeaderLine(f"填报单位(盖章):{hc.union_name(ctx.session, aid.union_id)}", "", f"编号:{number}",
                   size=SIZE),
        Grid(WEIGHTS, rows, size=SIZE, min_row=6.5 * mm, pad_y=0.9 * mm),
        Notes(NOTES, size=8.5, copies="本表一式三份,基层工会、县总工会和财务各存一份。"),
    ]
    return FormDoc(TITLE, blocks, number, hc.qr_of(STUDY_AID, aid), record_ids=(aid.id,))


def load(session, ids: list[str]) -> list[StudyAid]:
    rows = {a.id: a for a in session.scalars(select(StudyAid).where(
        StudyAid.id.in_(ids), StudyAid.deleted.is_(False)))}
    return [rows[i] for i in ids if i in rows]


def lookup(session, text: str) -> list[str]:
    """Applications by id, by the printed number (JQ + year + id prefix), or by the student's ID
    number (the latest year first)."""
    text = text.strip()
    if text.upper().startswith("JQ") and len(text) == 14 and text[2:6].isdigit():
        prefix = text[6:].lower()
        rows = session.scalars(select(StudyAid).where(StudyAid.year == int(text[2:6]),
                                                      StudyAid.deleted.is_(False)))
        return [a.id for a in rows if a.id.replace("-", "").startswith(prefix)]
    conds = [StudyAid.id == text]
    try:
        conds.append(StudyAid.student_id_number == normalize_id_number(text))
    except ValueError:
        pass
    return list(session.scalars(select(StudyAid.id).where(StudyAid.deleted.is_(False), or_(*conds))
                                .order_by(StudyAid.year.desc()).limit(1)))


FORMS = (FormDef("study_aid_form", TITLE, STUDY_AID.key, build=build, load=load, lookup=lookup,
                 file_stem=batch_stem(TITLE, lambda aid: aid.student_name), number_kind="助学"),)
