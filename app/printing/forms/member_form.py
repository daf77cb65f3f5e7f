"""F7 工会会员登记表 (入会申请书): one member on one A4 page.

Fields and labels come from the member RecordSpec; the layout follows the standard pair
《入会申请书》/《工会会员登记表》 (records-and-forms.md §A.10 F7): identity with 户籍类型, work, 会籍
and its latest changes, the member's declaration and signature, the 工会小组 and 基层工会
opinions with signature, date and stamp, and the 信息采集员's signature its 填表说明 asks for.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from sqlalchemy import select

from app.fields.members import MEMBER
from app.models import Member, Unit
from app.printing.blocks import HeaderLine, Notes, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, field_rows, qr_of
from app.printing.grid import Grid, Label, Opinion, Photo, Value
from app.printing.registry import FormDef
from app.validation import format_cn_date

TITLE = "工会会员登记表"
WEIGHTS = [1.25, 1.45, 0.95, 1.25, 0.95, 1.75, 1.2]
LAYOUT = (
    ("name", "gender", "birth_date", Photo(5)),
    ("ethnicity", "political_status", "education"),
    (("id_number", 3), "phone"),
    ("hukou_type", "is_migrant_worker", "is_model_worker"),
    ("joined_on", "status", "card_no"),
    (("union_id", 3), ("department", 2)),
    (Label("工作单位"), Value("", span=3), "post"),  # the enterprise, from the union
)
WORKPLACE = 6  # the row of 工作单位
HISTORY_ROWS = 3  # the latest 会籍 events the page has room for
DECLARATION = ("入会申请(本人声明):\n本人承认《中国工会章程》,自愿加入中国工会,遵守工会章程,"
               "执行工会决议,按期交纳会费,积极参加工会活动,履行会员义务。")
NOTES = [
    "本表由会员本人填写或由信息采集员核实后代填;本人不能到场签字的,电话、短信或微信确认后在备注栏注明,信息采集员签字。",
    "公民身份号码须为18位;户籍类型按户口簿填写(非农业、农业、农转居、居民户口);日期按“2020年7月10日”格式填写。",
    "打*号的项目为必填项目,上报时须加盖公章;会籍变动记录为最近三条。本表一式两份,基层工会和上级工会各存一份。",
]


def _cn_date(text: str | None) -> str:
    """A history date as the 填表说明 asks (2020年7月10日); a date it cannot read stays as given."""
    try:
        return format_cn_date(date.fromisoformat(text or ""))
    except ValueError:
        return text or ""


def history_rows(ctx, member: Member) -> list[list]:
    """The latest 会籍 events as rows of the grid (date, change, union, note), under a caption
    that spans them on the left."""
    from app.services.organisation.transfers import history

    events = history(ctx.session, ctx.actor, member.id)[-HISTORY_ROWS:]
    rows = [[Label("会籍变动记录", rowspan=len(events) + 1), Label("日期"), Label("变动"),
             Label("基层工会", span=2), Label("说明", span=2)]]
    for e in events:
        rows.append([Value(_cn_date(e["date"]), size=10.5), Value(e["kind"], size=10.5),  # a union's
                     Value(e["union"], span=2, size=10.5, min_fit=6.5),  # name on one line, so
                     Value(e["note"], span=2, size=10.5, min_fit=6.5)])  # three events keep F7 on a page
    return rows


def build(ctx, item) -> FormDoc:
    member, union = item
    rows = field_rows(ctx, MEMBER, member, LAYOUT, {"union_id": union.name})
    rows[WORKPLACE][1] = Value(union.enterprise_name or "", span=3)
    rows += history_rows(ctx, member)
    rows.append([Label("备注"), Value(member.notes or "", span=6)])
    rows.append([Opinion(DECLARATION, span=7, stamp=False, signer_label="申请人签字:",
                         min_height=16 * mm)])
    rows.append([Opinion("工会小组意见:", span=3, stamp=False, signer_label="组长签字:"),
                 Opinion("基层工会审批意见:", span=4)])
    rows.append([Label("信息采集员"), Value(""), Label("采集日期"), Value("年    月    日", span=4,
                                                                         align="right")])
    number = ctx.office_number(member.id)
    blocks = [
        Title(f"{TITLE}(入会申请书)"),
        HeaderLine("填报单位(盖章):", "填表日期:    年    月    日", f"编号:{number}"),
        Grid(WEIGHTS, rows, min_row=7 * mm, size=11),  # the 会籍 history and stamp room on one page
        Notes(NOTES, size=8.5),
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
