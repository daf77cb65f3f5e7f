"""转办 / 交办: a ticket handed to the union that handles it, and the answer coming back.

Where the union works decides how the ticket travels (``via``):
- a township, street or system union of this office's own tree works on paper: the 转办单 is
  printed (``app.printing.forms.rights_handover``) and its paper answer is keyed in here, with the
  name of whoever signed it;
- a unit of another installation (the city and its units, another county) gets the ticket in the
  next bundle: the ticket and its handover are this office's records and travel as they are; the
  receiving office answers with a ``RightsReply`` of its own, which comes back in its bundle. It
  never changes the sender's ticket (the exchange refuses that): the sender adopts the answer with
  the chain's 办结 step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import today
from app.errors import PermissionDenied, ValidationFailed
from app.fields.rights_tickets import HANDOVER, REPLY
from app.models import Unit
from app.models.rights_tickets import RightsHandover, RightsReply, RightsTicket
from app.security.roles import Perm
from app.services import records
from app.services.listing import ListQuery
from app.services.ownership import owned_here
from app.services.units import actor_unit_id, unit_chain


def via_for(session: Session, unit: Unit) -> str:
    """"paper" for a union of this installation's own tree, "bundle" for another installation's
    (one this unit does not own: at the city a county's township sits under the city in the tree)."""
    return "paper" if owned_here(session, unit.owner_unit_id) else "bundle"


def open_handover(session: Session, ticket_id: str) -> RightsHandover | None:
    """The ticket's latest handover that was not taken back."""
    H = RightsHandover
    return session.scalar(select(H).where(H.ticket_id == ticket_id, H.deleted.is_(False),
                                          H.withdrawn_on.is_(None)).order_by(H.seq.desc()).limit(1))


def latest_reply(session: Session, handover_id: str) -> RightsReply | None:
    R = RightsReply
    return session.scalar(select(R).where(R.handover_id == handover_id, R.deleted.is_(False))
                          .order_by(R.replied_on.desc(), R.created_at.desc()).limit(1))


def handovers_of(session: Session, actor, ticket_id: str) -> list[RightsHandover]:
    actor.require(Perm.READ, "查看转办记录")
    H = RightsHandover
    return list(session.scalars(select(H).where(H.ticket_id == ticket_id, H.deleted.is_(False))
                                .order_by(H.seq)))


def replies_of(session: Session, actor, ticket_id: str) -> list[RightsReply]:
    actor.require(Perm.READ, "查看办理反馈")
    R = RightsReply
    return list(session.scalars(select(R).where(R.ticket_id == ticket_id, R.deleted.is_(False))
                                .order_by(R.replied_on, R.created_at)))


def incoming(session: Session) -> ListQuery:
    """Handovers from other installations to a union of this one (the 转办件 to answer)."""
    return ListQuery.of("rights_handover", filters={"via": "bundle"},
                        unit=session.info.get("root_unit_id"))


def reply_refusal(session: Session, actor, handover: RightsHandover) -> str | None:
    """Why ``actor`` may not answer this handover (None: they may): the handling union (or a
    union above it) answers on its own installation; the issuing office keys a paper answer in."""
    if not actor.can(Perm.WRITE):
        return "反馈办理结果须由经办人办理"
    if handover.deleted or handover.withdrawn_on is not None:
        return "该转办单已收回,无需反馈"
    if actor.role == "system":
        return None
    mine = actor_unit_id(session, actor)
    ticket = session.get(RightsTicket, handover.ticket_id)
    handling = {u.id for u in unit_chain(session, handover.target_unit_id)}
    issuing = {u.id for u in unit_chain(session, ticket.union_id)} if ticket is not None else set()
    if mine in handling or mine in issuing:
        return None
    return "您不属于承办工会或转出该工单的工会,不能反馈办理结果"


def record_reply(session: Session, actor, handover_id: str, values: Mapping[str, Any]) -> RightsReply:
    """The handling union's answer: entered by that union on its own installation (it travels
    back by bundle), or a paper answer keyed in by the office that issued the 转办单."""
    handover = records.get_live(session, HANDOVER, handover_id)
    if why := reply_refusal(session, actor, handover):
        raise PermissionDenied(why)
    cleaned = records.clean_or_raise(session, REPLY, values)
    errors = {}
    if cleaned["replied_on"] > today():
        errors["replied_on"] = "日期不能晚于今天"
    elif cleaned["replied_on"] < handover.handed_on:
        errors["replied_on"] = f"反馈日期不能早于转办日期 {handover.handed_on.isoformat()}"
    if errors:
        raise ValidationFailed(errors, REPLY.labels)
    ticket = session.get(RightsTicket, handover.ticket_id)
    via = "paper" if handover.via == "paper" or owned_here(session, ticket.owner_unit_id) else "bundle"
    reply = RightsReply(handover_id=handover.id, ticket_id=handover.ticket_id,
                        unit_id=handover.target_unit_id, via=via,
                        entered_by=actor.display_name or actor.username, **cleaned)
    session.add(reply)
    session.flush()
    return reply


def check_target(session: Session, ticket: RightsTicket, target_id: str) -> Unit:
    unit = session.get(Unit, target_id) if target_id else None
    if unit is None or unit.deleted:
        raise ValidationFailed({"target_unit_id": "找不到该工会(可能已作废)"},
                               {"target_unit_id": "承办工会"})
    if unit.id in (ticket.union_id, session.info.get("root_unit_id")):
        raise ValidationFailed({"target_unit_id": "不能转办给受理该工单的工会本身"},
                               {"target_unit_id": "承办工会"})
    if unit.kind in ("grassroots", "federation"):
        raise ValidationFailed({"target_unit_id": "工单转办给乡镇(街道)、系统工会或上级、外地工会,"
                                                  "不转给基层工会"}, {"target_unit_id": "承办工会"})
    return unit


def pending_adoption(session: Session, limit: int = 200) -> list[tuple[RightsTicket, RightsReply]]:
    """Tickets still 已转办 whose handling union has answered the open handover: waiting for 办结
    (the latest answer of each)."""
    T, H, R = RightsTicket, RightsHandover, RightsReply
    rows = session.execute(
        select(T, R).join(H, (H.ticket_id == T.id) & H.withdrawn_on.is_(None) & H.deleted.is_(False))
        .join(R, (R.handover_id == H.id) & R.deleted.is_(False))
        .where(T.deleted.is_(False), T.status == "transferred")
        .order_by(T.due_on, R.replied_on.desc()).limit(limit * 3)).all()
    seen: dict[str, tuple[RightsTicket, RightsReply]] = {}
    for ticket, reply in rows:
        seen.setdefault(ticket.id, (ticket, reply))
    return list(seen.values())[:limit]


def unanswered_incoming(session: Session) -> list[RightsHandover]:
    """Handovers from other installations to our unions that we have not answered yet."""
    from app.services import listing

    q = incoming(session)
    H = RightsHandover
    conds = listing.conditions(session, HANDOVER, q)
    answered = select(RightsReply.handover_id).where(RightsReply.deleted.is_(False))
    return list(session.scalars(select(H).where(*conds, H.withdrawn_on.is_(None),
                                                H.id.not_in(answered)).order_by(H.due_on)))
