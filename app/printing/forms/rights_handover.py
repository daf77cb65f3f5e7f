"""职工诉求转办(交办)单: the paper that takes a ticket to a township, street or system union that
works on paper — the ticket, what is asked, and the feedback deadline (working days on the holiday
calendar, at the latest the ticket's own) — with a 回执 below the cut line for the union's answer,
signed and stamped. Once the answer has been keyed in, a reprint carries it."""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import mm

from app.fields.rights_tickets import HANDOVER, MODE_CHOICES, TICKET
from app.models.rights_tickets import RightsHandover, RightsTicket
from app.printing.blocks import HeaderLine, Notes, Paragraph, Title
from app.printing.document import FormDoc
from app.printing.forms.common import batch_stem, qr_of
from app.printing.forms.rights_common import BLANK_DATE, category_text, choice, loader, unit_name
from app.printing.grid import Grid, Label, Opinion, Value
from app.printing.registry import FormDef
from app.services import calendar
from app.services.rights import handovers

TITLE = "职工诉求转办(交办)单"
SIZE = 10.5
WEIGHTS = [1.2, 1.5, 1.0, 1.3, 1.1, 1.5]
NOTES = ["请承办单位在反馈期限前将办理结果填入回执,经负责人签字、加盖公章后送回转办单位。",
         "反馈期限按国家法定节假日和调休安排计算;逾期未反馈的,转办单位将予以督办。",
         "本单一式两联,转办单位和承办单位各存一联。"]


def number_of(handover: RightsHandover, ticket: RightsTicket) -> str:
    return f"{ticket.ticket_no or ''}-{handover.seq}"


def _deadline(ctx, handover: RightsHandover) -> str:
    days, _ = calendar.working_days_between(ctx.session, handover.handed_on + timedelta(days=1),
                                            handover.due_on)
    return f"请于{ctx.shown(HANDOVER.field('due_on'), handover.due_on)}前反馈(自转办之日起 {days} 个工作日内)"


def build(ctx, handover: RightsHandover) -> FormDoc:
    ticket = ctx.session.get(RightsTicket, handover.ticket_id)
    shown = ctx.shown
    reply = handovers.latest_reply(ctx.session, handover.id)
    L = Label
    issuer = unit_name(ctx.session, ticket.union_id)
    rows = [
        [L("承办工会"), Value(unit_name(ctx.session, handover.target_unit_id), span=3), L("方式"),
         Value(choice(MODE_CHOICES, handover.mode))],
        [L("工单号"), Value(ticket.ticket_no or "", span=3), L("登记日期"),
         Value(shown(TICKET.field("received_on"), ticket.received_on))],
        [L("来访(来电)人"), Value(ticket.person_name), L("联系电话"),
         Value(shown(TICKET.field("phone"), ticket.phone)), L("来访人数"),
         Value(f"{ticket.visitors}人" + ("(集体访)" if ticket.collective else ""))],
        [L("工作单位"), Value(ticket.employer or "", span=3), L("诉求类别"), Value(category_text(ctx, ticket))],
        [L("主要诉求"), Value(ticket.content, span=5, min_height=30 * mm)],
        [L("办理要求"), Value(handover.requirements or "请依法依规办理,并按期反馈办理结果。", span=5,
                           min_height=16 * mm)],
        [L("反馈期限"), Value(_deadline(ctx, handover), span=5)],
        [Opinion(f"转办单位:{issuer}", span=6, signer_label="经办人:", signer=handover.handed_by,
                 date_text=shown(HANDOVER.field("handed_on"), handover.handed_on), min_height=30 * mm)],
    ]
    receipt = [
        [L("转办单编号"), Value(ctx.office_number(handover.id), span=3), L("承办人"),
         Value(reply.handler if reply else "")],
        [L("办理结果"), Value(reply.result if reply else "", span=5, min_height=34 * mm)],
        [Opinion("承办工会意见:", span=6, date_text=(shown(HANDOVER.field("handed_on"), reply.replied_on)
                                                   if reply else BLANK_DATE), min_height=32 * mm)],
    ]
    number = ctx.office_number(handover.id)
    blocks = [
        Title(f"{ctx.unit_name}{TITLE}", size=20),
        HeaderLine(f"转办单位(盖章):{issuer}", "", f"编号:{number}", size=SIZE),
        Grid(WEIGHTS, rows, size=SIZE, min_row=8.5 * mm),
        Paragraph("- - - - - - - - - - - - - - - 沿此线剪开,回执联由承办单位填写后送回 - - - - - - - - - - - - - - -",
                  size=9, indent=0, align="center"),
        Title("办理结果反馈(回执)", size=16, min_size=14),
        Grid(WEIGHTS, receipt, size=SIZE, min_row=8.5 * mm),
        Notes(NOTES, size=9),
    ]
    return FormDoc(TITLE, blocks, number, qr_of(HANDOVER, handover), record_ids=(handover.id,))


def lookup(session, text: str) -> list[str]:
    """A handover by id, or by the number on the paper (工单号-次序)."""
    from sqlalchemy import select

    text = text.strip()
    ticket_no, _, seq = text.upper().rpartition("-")
    H = RightsHandover
    if seq.isdigit():
        return list(session.scalars(select(H.id).join(RightsTicket, RightsTicket.id == H.ticket_id).where(
            H.deleted.is_(False), RightsTicket.ticket_no == ticket_no, H.seq == int(seq))))
    return list(session.scalars(select(H.id).where(H.deleted.is_(False), H.id == text)))


FORMS = (FormDef("handover_form", TITLE, HANDOVER.key, build=build, load=loader(RightsHandover),
                 lookup=lookup, file_stem=batch_stem(TITLE, lambda h: h.handed_on.isoformat()),
                 number_kind="转办"),)
