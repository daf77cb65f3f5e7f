"""权益保障 on the home page's 待办: tickets waiting on this user's step (受理, 办结, 回访, 归档 —
the step ``ticket_chain.WAITS`` names, when this user may take it), tickets near or past their time limit (受理告知 for 信访, else
办理), answers of handling unions waiting to be adopted (办结), handovers from other offices
waiting for our answer, rectifications past their deadline without a re-inspection, and legal-aid
applications waiting for review. Each opens its record."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import today
from app.models.rights import AidCase, RightsInspection
from app.models.rights_tickets import RightsTicket
from app.security.roles import Perm
from app.services.dashboard import Target, Todo
from app.services.rights import handovers, timers

LIMIT = 12


def _ticket_todo(t: RightsTicket, due, what: str, on) -> Todo:
    late = due < on
    text = f"工单{'已逾期' if late else '将到期'}({what} {due.isoformat()}):{t.ticket_no} {t.person_name}"
    return Todo(text, "urgent" if late else "warn", Target("rights", "rights_ticket", {"open": t.id}))


def due_tickets(session: Session, actor, on=None) -> list[Todo]:
    """Open tickets whose next limit falls within the warning horizon (or has passed)."""
    on = on or today()
    edge = timers.horizon(session, on)
    T = RightsTicket
    rows = session.scalars(select(T).where(T.deleted.is_(False), or_(
        (T.status == "registered") & T.petition.is_(True) & (T.accept_due_on <= edge),
        T.status.in_(timers.OPEN) & (T.due_on <= edge))).order_by(T.due_on).limit(200))
    out = []
    for t in rows:
        if t.status == "registered" and t.petition and t.accept_due_on and t.accept_due_on <= edge:
            out.append((t.accept_due_on, _ticket_todo(t, t.accept_due_on, "受理告知期限", on)))
        elif t.due_on is not None:
            out.append((t.due_on, _ticket_todo(t, t.due_on, "办理期限", on)))
    return [todo for _, todo in sorted(out, key=lambda p: p[0])]


def waiting_tickets(session: Session, actor, skip: set[str] = frozenset(), limit: int = LIMIT) -> list[Todo]:
    """Tickets whose next step this user may take, oldest first: “待受理:T… 王秀兰(自 2026年12月1日)”."""
    from app.kit.chain import refusal
    from app.kit.waiting import waiting_on
    from app.services.rights.ticket_chain import CHAIN, WAITS

    T, out = RightsTicket, []
    for t in session.scalars(select(T).where(T.deleted.is_(False), T.status.in_(tuple(WAITS)))
                             .order_by(T.received_on).limit(limit * 10)):
        if t.id in skip or refusal(session, actor, CHAIN, t, WAITS[t.status]) is not None:
            continue
        found = waiting_on(session, CHAIN, t, WAITS)
        since = f"(自 {found.since.isoformat()})" if found and found.since else ""
        out.append(Todo(f"工单待{CHAIN.step(WAITS[t.status]).label}:{t.ticket_no} {t.person_name}{since}",
                        "info", Target("rights", "rights_ticket", {"open": t.id})))
        if len(out) >= limit:
            break
    return out


def todos(session: Session, actor) -> list[Todo]:
    if not actor.can(Perm.READ):
        return []
    on = today()
    out: list[Todo] = []
    if actor.can(Perm.WRITE):
        out += due_tickets(session, actor, on)
        for ticket, reply in handovers.pending_adoption(session, LIMIT):
            out.append(Todo(f"承办工会已反馈,待办结:{ticket.ticket_no} {ticket.person_name}"
                            f"({reply.replied_on.isoformat()})", "warn",
                            Target("rights", "rights_ticket", {"open": ticket.id})))
        for h in handovers.unanswered_incoming(session):
            level = "urgent" if h.due_on < on else "warn"
            out.append(Todo(f"外单位转来工单待反馈(期限 {h.due_on.isoformat()})", level,
                            Target("rights", "rights_handover", {"open": h.id})))
        I = RightsInspection
        for row in session.scalars(select(I).where(
                I.deleted.is_(False), I.deadline < on,
                or_(I.recheck_result.is_(None), I.recheck_result != "done")).order_by(I.deadline).limit(50)):
            out.append(Todo(f"隐患整改已过期限未复查合格:{row.enterprise}(期限 {row.deadline.isoformat()})",
                            "urgent", Target("rights", "rights_inspection", {"open": row.id})))
    if actor.can(Perm.REVIEW):
        for case in session.scalars(select(AidCase).where(
                AidCase.deleted.is_(False), AidCase.review_result.is_(None)).order_by(AidCase.applied_on)
                .limit(50)):
            out.append(Todo(f"法律援助申请待审查:{case.applicant_name}({case.case_no})", "warn",
                            Target("rights", "rights_aid_case", {"open": case.id})))
    if actor.can(Perm.WRITE) or actor.can(Perm.REVIEW):
        named = {t.target.filters.get("open") for t in out if t.target is not None}
        out += waiting_tickets(session, actor, named)
    if len(out) > LIMIT:
        rest = len(out) - LIMIT
        out = out[:LIMIT] + [Todo(f"权益保障另有 {rest} 项待办,见“权益保障与法律援助”各页", "info",
                                  Target("rights", "rights_ticket", {"status": timers.OPEN}))]
    return out
