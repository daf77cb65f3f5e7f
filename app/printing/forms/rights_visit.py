"""F10 职工来访登记表 (records-and-forms.md §A.10; structure after 《信访工作条例》 2022): one ticket
on one A4 page — when and how it came in, the person (ID and phone masked unless the role may
reveal), the number of visitors with the 集体访 mark, the category, the main request, the handling
(直接答复 / 转办 / 交办 with the handling union), its time limits as the app computed them on the
holiday calendar, the result and the call-back, and the signatures of the visitor and the
receiving officer. A 12351 call prints on the same sheet with its channel ticked."""

from __future__ import annotations

from reportlab.lib.units import mm

from app.fields.rights_tickets import HANDLING_CHOICES, TICKET
from app.models.rights_tickets import RightsTicket
from app.printing.blocks import HeaderLine, Notes, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, qr_of
from app.printing.forms.rights_common import BLANK_DATE, category_text, choice, loader, lookup_ticket, unit_name
from app.printing.grid import Grid, Label, Opinion, Value
from app.printing.registry import FormDef

TITLE = "职工来访登记表"
HANDLING = (*HANDLING_CHOICES, ("rejected", "不予受理"))
SIZE = 10.5
WEIGHTS = [1.35, 1.4, 1.0, 1.0, 1.2, 1.3, 1.1, 1.2]
NOTES = ["来访人数 5 人及以上的为集体访,须在“来访人数”栏标明并及时报告。",
         "信访事项自登记之日起 15 日内告知是否受理,自受理之日起 60 日内办结(可延长 30 日);"
         "期限按系统设置和国家节假日、调休安排计算。",
         "本表由接待人填写,来访人核对无误后签字;来电工单由接听人填写,不需来电人签字。"]


def _f(ctx, ticket, key: str) -> str:
    return ctx.shown(TICKET.field(key), getattr(ticket, key))


def _time(ctx, ticket) -> str:
    return _f(ctx, ticket, "received_on") + (f" {ticket.received_time}" if ticket.received_time else "")


def _limits(ctx, ticket) -> str:
    if ticket.status == "rejected":
        return f"受理告知期限 {_f(ctx, ticket, 'accept_due_on')},已于{_f(ctx, ticket, 'result_on')}告知不予受理"
    parts = []
    if ticket.petition:
        parts.append(f"受理告知期限 {_f(ctx, ticket, 'accept_due_on') or '—'}")
    parts.append(f"办理期限 {_f(ctx, ticket, 'due_on') or '受理后计算'}")
    if ticket.extended_days:
        parts.append(f"已延长 {ticket.extended_days} 日")
    return ";".join(parts) + (f"({ticket.due_note})" if ticket.due_note else "")


def build(ctx, ticket: RightsTicket) -> FormDoc:
    L = Label
    visitors = f"{ticket.visitors}人" + ("(集体访)" if ticket.collective else "")
    rows = [
        [L("来访(来电)时间"), Value(_time(ctx, ticket), span=3), L("渠道"),
         Value(ctx.codes.label("rights_channel", ticket.channel)), L("来访人数"), Value(visitors)],
        [L("姓名"), Value(ticket.person_name), L("性别"), Value(_f(ctx, ticket, "gender")),
         L("身份证号"), Value(_f(ctx, ticket, "id_number"), span=3)],
        [L("联系电话"), Value(_f(ctx, ticket, "phone")), L("工作单位"),
         Value(ticket.employer or "", span=5)],
        [L("住址"), Value(ticket.address or "", span=7)],
        [L("反映问题类别"), Value(category_text(ctx, ticket), span=3), L("复杂程度"),
         Value(_f(ctx, ticket, "complexity")), L("接待人"), Value(ticket.received_by or "")],
        [L("主要诉求"), Value(ticket.content, span=7, min_height=32 * mm)],
        [L("处理意见"), Value(choice(HANDLING, "rejected" if ticket.status == "rejected"
                                   else ticket.handling), span=7)],
        [L("转办(交办)单位"), Value(unit_name(ctx.session, ticket.handled_by_unit_id), span=3),
         L("办理时限"), Value(_limits(ctx, ticket), span=3)],
        [L("办理结果"), Value(ticket.result or "", span=7, min_height=24 * mm)],
        [L("回访时间"), Value(_f(ctx, ticket, "callback_on"), span=3), L("满意度"),
         Value(_f(ctx, ticket, "satisfaction"), span=3)],
        [Opinion("来访人确认:以上记录与本人反映的情况一致。", span=4, stamp=False,
                 signer_label="来访人签字:", date_text=BLANK_DATE, min_height=26 * mm),
         Opinion("接待人意见:", span=4, stamp=False, signer_label="接待人签字:",
                 signer=ticket.received_by or "", date_text=_f(ctx, ticket, "received_on"),
                 min_height=26 * mm)],
    ]
    number = ticket.ticket_no or ""
    blocks = [
        Title(f"{ctx.unit_name}{TITLE}", size=20),
        HeaderLine(f"接待单位:{unit_name(ctx.session, ticket.union_id)}", "", f"编号:{number}", size=SIZE),
        Grid(WEIGHTS, rows, size=SIZE, min_row=8.5 * mm),
        Notes(NOTES, size=9),
    ]
    return FormDoc(TITLE, blocks, number, qr_of(TICKET, ticket), record_ids=(ticket.id,))


FORMS = (FormDef("visit_form", TITLE, TICKET.key, build=build, load=loader(RightsTicket),
                 lookup=lookup_ticket, file_stem=batch_stem(TITLE, lambda t: t.person_name),
                 number_kind="诉求"),)
