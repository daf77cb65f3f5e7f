"""Named list filters of the rights registers (``listing.register_filter``): tickets 在办 and
已逾期 (past the 受理告知 limit of a 信访 matter not yet accepted, or past the handling limit),
handovers answered or not, inspections whose rectification is overdue."""

from __future__ import annotations

from sqlalchemy import and_, exists, false, or_, select

from app.clock import today
from app.models.rights import RightsInspection
from app.models.rights_tickets import RightsHandover, RightsReply, RightsTicket
from app.services.listing import register_filter
from app.services.rights.timers import OPEN

T, H, I = RightsTicket, RightsHandover, RightsInspection


def _timer(value):
    if value == "open":
        return T.status.in_(OPEN)
    if value == "overdue":
        on = today()
        return and_(T.status.in_(OPEN), or_(
            and_(T.status == "registered", T.petition.is_(True), T.accept_due_on < on),
            T.due_on < on))
    return false()


def _answered(value):
    replied = exists(select(RightsReply.id).where(RightsReply.handover_id == H.id,
                                                  RightsReply.deleted.is_(False)))
    return replied if value else and_(~replied, H.withdrawn_on.is_(None))


def _rectification(value):
    late = and_(I.deadline < today(), or_(I.recheck_result.is_(None), I.recheck_result != "done"))
    return late if value else ~late


register_filter("rights_ticket", "timer", _timer)
register_filter("rights_handover", "answered", _answered)
register_filter("rights_inspection", "overdue", _rectification)
