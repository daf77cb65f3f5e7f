"""来访 / 12351 tickets on the area kit: numbering (the region code + 诉求 + year + serial),
derived values (集体访 at five visitors or more, 信访 from the category, gender from an ID number),
the stored time limits (``timers.deadlines``), and the one rule every path runs (the form, Excel,
the CLI, the demo): the sub-item belongs to the chosen category, and nothing is dated ahead.
Registration is the generic create; everything after it is the chain (``ticket_chain``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import AppError
from app.fields.rights_tickets import TICKET
from app.kit.register import Item, Numbering, Register
from app.models.rights_tickets import RightsTicket
from app.services import records
from app.services.rights import samples, timers

COLLECTIVE_VISITORS = 5  # 集体访: five people or more
OPEN_STATUSES = ("registered", "accepted")


def derive(values: dict) -> None:
    """集体访, 信访 and (from an ID number) gender: pure, so the form shows them as typed."""
    values["collective"] = (values.get("visitors") or 0) >= COLLECTIVE_VISITORS
    values["petition"] = timers.is_petition(values)
    number = values.get("id_number")
    if number and len(number) == 18:
        values["gender"] = "1" if int(number[16]) % 2 else "2"


def prepare(session: Session, values: dict, record) -> None:
    """The receiving union (this office when none is named) and the stored time limits."""
    if not values.get("union_id"):
        values["union_id"] = session.info.get("root_unit_id")
    found = timers.deadlines(session, values)
    values["accept_due_on"], values["due_on"] = found["accept_due_on"], found["due_on"]
    values["due_note"] = found["due_note"] or None


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    book = records.codebook(session)
    parents = {e.code: e.parent for e in book.items("rights_ticket_category", active_only=False)}
    out: dict[int, dict[str, str]] = {}
    for i, it in enumerate(items):
        v, errors = it.values, {}
        if v.get("category") and parents.get(v["category"]):
            errors["category"] = "请选择五大类之一,子项填在“诉求子项”"
        elif v.get("sub_item") and parents.get(v["sub_item"]) != v.get("category"):
            category = book.label("rights_ticket_category", v.get("category"))
            errors["sub_item"] = f"诉求子项不属于“{category}”,请重新选择"
        if it.touches("received_on") and v.get("received_on") and v["received_on"] > today():
            errors["received_on"] = "登记日期不能晚于今天"
        if errors:
            out[i] = errors
    return out


def _locked(ticket: RightsTicket) -> str | None:
    if ticket.status in OPEN_STATUSES or ticket.status == "transferred":
        return None
    return f"工单{_status_label(ticket.status)},登记内容不能再修改或作废(如需重办请“退回重办”)"


def _status_label(status: str) -> str:
    from app.fields.rights_tickets import STATUS_CHOICES

    return dict(STATUS_CHOICES).get(status, status)


def _before_void(session: Session, ticket: RightsTicket) -> None:
    if ticket.status != "registered":
        raise AppError("工单已受理,不能作废;不属于受理范围的请由审核人办理“不予受理”")


def lookup(session: Session, text: str) -> list[str]:
    """Tickets by 工单号 (whole, or its serial tail as printed on a 转办单)."""
    T = RightsTicket
    text = text.strip().upper()
    return list(session.scalars(select(T.id).where(T.deleted.is_(False), T.ticket_no == text)))


REGISTER = Register(
    TICKET, title="来访和12351工单", rule=_rule, derive=derive, prepare=prepare,
    initial={"status": "registered"}, number=Numbering("ticket_no", "{unit_code}-诉求-{year}-{seq:04d}",
                                                       date_key="received_on"),
    locked=_locked, before_void=_before_void, sample=samples.ticket, lookup=lookup,
    lookup_hint="工单号", search_hint="工单号 / 姓名 / 电话", excel_key="tickets",
    from_member={"person_name": "name", "id_number": "id_number", "phone": "phone", "employer": "@employer"},
    paper_columns=("ticket_no", "received_on", "channel", "person_name", "employer", "visitors",
                   "category", "handling", "handled_by_unit_id", "due_on", "status"))
