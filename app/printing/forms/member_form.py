"""F7 工会会员登记表 (with the 入会申请 declaration): one member on one A4 page.

Fields and labels come from the member RecordSpec; the layout follows the standard pair
《入会申请书》/《工会会员登记表》 (records-and-forms.md §A.10 F7): identity, work, 会籍, the member's
declaration and signature, then the 工会小组 and 基层工会 opinions with signature, date and stamp.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from sqlalchemy import select

from app.fields.members import MEMBER
from app.models import Member, Unit
from app.printing.blocks import HeaderLine, Notes, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, field_rows, qr_of
from app.printing.grid import Grid, Label, Opinion, Photo, Value
from app.printing.registry import FormDef

TITLE = "工会会员登记表"
WEIGHTS = [1.15, 1.4, 1.05, 1.2, 1.05, 1.45, 1.3]
LAYOUT = (
    ("name", "gender", "birth_date", Photo(4)),
    ("ethnicity", "political_status", "education"),
    (("id_number", 3), "phone"),
    ("status", "is_migrant_worker", "is_model_worker"),
    (("union_id", 3), ("department", 2)),
    (Label("工作单位"), Value("", span=3), "post"),  # the enterprise, from the union
    ("joined_on", ("card_no", 4)),
)
DECLARATION = ("入会申请(本人声明):\n本人承认《中国工会章程》,自愿加入中国工会,遵守工会章程,"
               "执行工会决议,按期交纳会费,积极参加工会活动,履行会员义务。")
NOTES = [
    "本表由会员本人填写,或由信息采集员核实后代填;本人不能到场签字的,经电话、短信或微信确认后在备注栏注明。",
    "公民身份号码必须为18位(15位旧号码已按规则升级)。日期按“2020年7月10日”的格式填写。",
    "注:打*号的项目为必填项目,上报时每张表格都必须加盖公章。",
]


def build(ctx, item) -> FormDoc:
    member, union = item
    rows = field_rows(ctx, MEMBER, member, LAYOUT, {"union_id": union.name})
    rows[5][1] = Value(union.enterprise_name or "", span=3)
    rows.append([Label("备注"), Value(member.notes or "", span=6, min_height=14 * mm)])
    rows.append([Opinion(DECLARATION, span=7, stamp=False, signer_label="申请人签字:",
                         min_height=30 * mm)])
    rows.append([Opinion("工会小组意见:", span=3, stamp=False, signer_label="组长签字:"),
                 Opinion("基层工会审批意见:", span=4)])
    number = ctx.office_number(member.id)
    blocks = [
        Title(TITLE),
        HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
        Grid(WEIGHTS, rows, min_row=10 * mm),
        Notes(NOTES, copies="本表一式两份,基层工会和上级工会各存一份。"),
    ]
    return FormDoc(TITLE, blocks, number, qr_of(MEMBER, member), record_ids=(member.id,))


def load(session, ids: list[str]) -> list[tuple[Member, Unit]]:
    rows = session.execute(select(Member, Unit).join(Unit, Unit.id == Member.union_id)
                           .where(Member.id.in_(ids), Member.deleted.is_(False))).all()
    by_id = {m.id: (m, u) for m, u in rows}
    return [by_id[i] for i in ids if i in by_id]


def lookup(session, text: str) -> list[str]:
    """Live members whose id, 会员证号 or 身份证号 is ``text`` (the same keys as ``member show``)."""
    from app.services.members import lookup_ids

    return lookup_ids(session, text)


FORMS = (FormDef("member_form", TITLE, "member", build=build, load=load, lookup=lookup,
                 file_stem=batch_stem(TITLE, lambda item: item[0].name), number_kind="会员"),)
