"""What the rights forms share: loading records by id, finding a ticket by 工单号, the ticket's
category as 类别—子项, and ■/□ choices."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.models import Unit
from app.models.rights_tickets import RightsTicket

BLANK_DATE = "年    月    日"


def loader(model):
    def load(session, ids: list[str]):
        rows = {r.id: r for r in session.scalars(select(model).where(
            model.id.in_(ids), model.deleted.is_(False)))}
        return [rows[i] for i in ids if i in rows]
    return load


def lookup_ticket(session, text: str) -> list[str]:
    text = text.strip()
    return list(session.scalars(select(RightsTicket.id).where(
        RightsTicket.deleted.is_(False), or_(RightsTicket.id == text, RightsTicket.ticket_no == text.upper()))))


def unit_name(session, unit_id: str | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def category_text(ctx, ticket: RightsTicket) -> str:
    cat = ctx.codes.label("rights_ticket_category", ticket.category)
    item = ctx.codes.label("rights_ticket_category", ticket.sub_item) if ticket.sub_item else ""
    return f"{cat}—{item}" if item else cat


def choice(options, chosen) -> str:
    return "  ".join(("■" if value == chosen else "□") + label for value, label in options)
