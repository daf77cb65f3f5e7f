"""A ticket's chain, on the review-chain engine (``app.kit.chain``)::

    登记 → 受理 → 转办/交办 → 办结 → 回访 → 归档
      └→ 当场答复 (办结) ─┘            退回重办: 已转办 / 已办结 / 已回访 → 办理中
      └→ 不予受理 (审核人) → 归档       延期: 信访事项, once, by a 审核人

Who may act: a 经办人 (WRITE) of the ticket's union or a union above it — on the installation
that owns the ticket (another installation's unit answers a handover with a reply, never with a
step); 不予受理 and 延期 by a 审核人 (REVIEW); 归档 by either. 退回 by whoever may take the step
the ticket waits for. Every step writes an immutable ``rights_ticket_steps`` row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationFailed
from app.fields.rights_tickets import ACTION_CHOICES, STATUS_CHOICES, STEP_FIELDS, TICKET
from app.kit import chain
from app.kit.chain import ActionInfo, Step
from app.models.rights_tickets import RightsHandover, RightsTicket, RightsTicketStep
from app.security.roles import Perm
from app.services import records, settings
from app.services.rights import handovers, timers

W, R = Perm.WRITE, Perm.REVIEW
STRIP = ("登记", "受理", "转办/交办", "办结", "回访", "归档")
_STRIP_POS = {"registered": 0, "accepted": 1, "rejected": 1, "transferred": 2, "done": 3,
              "visited": 4, "archived": 5}
STATUS_LABELS = dict(STATUS_CHOICES)

STEPS = (
    Step("accept", "受理", ("registered",), "accepted", (W,)),
    Step("answer", "当场答复", ("registered",), "done", (W,)),
    Step("reject", "不予受理", ("registered",), "rejected", (R,)),
    Step("handover", "转办/交办", ("accepted",), "transferred", (W,)),
    Step("result", "办结", ("accepted", "transferred"), "done", (W,)),
    Step("extend", "延期", ("accepted", "transferred"), None, (R,)),
    Step("callback", "回访", ("done",), "visited", (W,)),
    Step("archive", "归档", ("visited", "rejected"), "archived", (W, R)),
)
FORWARD = {"transferred": "result", "done": "callback", "visited": "archive"}
RETURNED = {"transferred": "accepted", "done": "accepted", "visited": "accepted"}
# the step each open status waits for (a ticket 受理 may also be handed over; it waits for 办结)
WAITS = {"registered": "accept", "accepted": "result", "rejected": "archive", **FORWARD}


# the strip step each chain step takes the ticket to (the pending mark: ``strip_marks``)
STRIP_STEPS = {"accept": 1, "answer": 3, "reject": 1, "handover": 2, "result": 3, "callback": 4,
               "archive": 5}


def strip_position(status: str) -> int:
    return _STRIP_POS[status]


def strip_marks(status: str) -> tuple[int, int | None]:
    """(the last strip step done, the step the ticket waits for): the one ``waiting_text`` names."""
    from app.kit.waiting import strip_marks as marks

    return marks(CHAIN, status, _STRIP_POS[status], STRIP_STEPS, WAITS)


def _retime(session: Session, ticket: RightsTicket) -> dict:
    """The stored limits again, from the ticket as it now stands (one computation: timers)."""
    found = timers.deadlines(session, records.stored_values(TICKET, ticket))
    ticket.accept_due_on, ticket.due_on = found["accept_due_on"], found["due_on"]
    ticket.due_note = found["due_note"] or None
    return {"due_on": ticket.due_on.isoformat() if ticket.due_on else None}


def _accept(session, actor, ticket, vals, units):
    ticket.accepted_on = vals["acted_on"]
    if vals.get("complexity"):
        ticket.complexity = vals["complexity"]
    return {"accepted_on": vals["acted_on"].isoformat(), "complexity": ticket.complexity} \
        | _retime(session, ticket)


def _answer(session, actor, ticket, vals, units):
    ticket.accepted_on = ticket.accepted_on or vals["acted_on"]
    _retime(session, ticket)
    ticket.handling, ticket.result, ticket.result_on = "direct", vals["result"], vals["acted_on"]
    return {"handling": "direct"}


def _reject(session, actor, ticket, vals, units):
    ticket.result, ticket.result_on = f"不予受理:{vals['opinion']}", vals["acted_on"]
    return {}


def _handover(session, actor, ticket, vals, units):
    target = handovers.check_target(session, ticket, vals["target_unit_id"])
    due = vals.get("due_on") or ticket.due_on
    errors = {}
    if due is None:
        errors["due_on"] = "请填写反馈期限"
    elif due < vals["acted_on"]:
        errors["due_on"] = "反馈期限不能早于转办日期"
    elif ticket.due_on is not None and due > ticket.due_on:
        errors["due_on"] = f"反馈期限不能晚于工单的办理期限 {ticket.due_on.isoformat()}"
    if errors:
        raise ValidationFailed(errors, {"due_on": "反馈期限"})
    seq = (session.scalar(select(func.max(RightsHandover.seq)).where(
        RightsHandover.ticket_id == ticket.id)) or 0) + 1
    handover = RightsHandover(ticket_id=ticket.id, seq=seq, mode=vals["mode"], target_unit_id=target.id,
                              handed_on=vals["acted_on"], due_on=due,
                              requirements=vals.get("requirements"),
                              via=handovers.via_for(session, target),
                              handed_by=actor.display_name or actor.username)
    session.add(handover)
    session.flush()
    ticket.handling, ticket.handled_by_unit_id = vals["mode"], target.id
    return {"handover_id": handover.id, "target": target.name, "due_on": due.isoformat(),
            "via": handover.via}


def _result(session, actor, ticket, vals, units):
    text = vals.get("result")
    if ticket.status == "transferred":
        open_ = handovers.open_handover(session, ticket.id)
        reply = handovers.latest_reply(session, open_.id) if open_ is not None else None
        if reply is None:
            raise AppError("承办工会尚未反馈办理结果,不能办结。纸质反馈请先在“转办反馈”中录入;"
                           "由数据包转出的,待对方的数据包导入后再办结")
        if vals["acted_on"] < reply.replied_on:
            raise ValidationFailed({"acted_on": f"办结日期不能早于承办工会的反馈日期 "
                                                f"{reply.replied_on.isoformat()}"}, {"acted_on": "日期"})
        text = text or reply.result
        data = {"reply_id": reply.id}
    else:
        if not text:
            raise ValidationFailed({"result": "请填写办理结果"}, {"result": "办理结果"})
        ticket.handling = ticket.handling or "direct"
        data = {}
    ticket.result, ticket.result_on = text, vals["acted_on"]
    return data


def _extend(session, actor, ticket, vals, units):
    if not ticket.petition:
        raise AppError("只有信访事项可以延长办理期限;其他工单可改变复杂程度后重新受理")
    if ticket.extended_days:
        raise AppError(f"该信访事项已延期 {ticket.extended_days} 日,不能再次延期")
    most = settings.get(session, "rights_petition_extend_days")
    if vals["days"] > most:
        raise ValidationFailed({"days": f"最多延长 {most} 日(见系统设置)"}, {"days": "延长日数"})
    ticket.extended_days = vals["days"]
    return {"days": vals["days"]} | _retime(session, ticket)


def _callback(session, actor, ticket, vals, units):
    if ticket.result_on and vals["acted_on"] < ticket.result_on:
        raise ValidationFailed({"acted_on": "回访日期不能早于办结日期"}, {"acted_on": "日期"})
    ticket.callback_on, ticket.satisfaction = vals["acted_on"], vals["satisfaction"]
    ticket.callback_note = vals.get("opinion")
    return {"satisfaction": vals["satisfaction"]}


def _return(session, actor, ticket, vals, units):
    data: dict[str, Any] = {"returned_from": ticket.status}
    if ticket.status == "transferred" and (open_ := handovers.open_handover(session, ticket.id)):
        open_.withdrawn_on = vals["acted_on"]  # the 转办单 is taken back: handled here again
        data["withdrawn"] = open_.id
    ticket.handling = ticket.handled_by_unit_id = None
    ticket.result = ticket.result_on = None
    ticket.callback_on = ticket.satisfaction = ticket.callback_note = None
    return data


DATE_ORDER = {"handover": (("acted_on", "due_on", "反馈期限不能早于转办日期"),)}

CHAIN = chain.Chain(
    spec=TICKET, steps=tuple(replace(s, fields=STEP_FIELDS[s.key]) for s in STEPS),
    status_labels=STATUS_LABELS, step_model=RightsTicketStep, record_key="ticket_id",
    level_unit=lambda units, level: units[0], forward=FORWARD, return_status=RETURNED,
    return_fields=STEP_FIELDS["return"], return_label="退回重办",
    effects={"accept": _accept, "answer": _answer, "reject": _reject, "handover": _handover,
             "result": _result, "extend": _extend, "callback": _callback, "return": _return},
    date_order=DATE_ORDER, not_in_order=("renumber",), action_labels=dict(ACTION_CHOICES),
    start=("received_on", "登记日期"))  # 受理, 当场答复, 不予受理: not before the ticket came in


def available_actions(session: Session, actor, ticket_id: str) -> list[ActionInfo]:
    """The steps this user may take on the ticket now: the desk shows exactly these buttons."""
    ticket = records.get_live(session, TICKET, ticket_id)
    return chain.available_actions(session, actor, CHAIN, ticket)


def act(session: Session, actor, ticket_id: str, key: str,
        values: Mapping[str, Any] | None = None) -> RightsTicket:
    """Take step ``key`` (or "return") with the inputs of ``STEP_FIELDS[key]``."""
    return chain.act(session, actor, CHAIN, ticket_id, key, values)


def history(session: Session, actor, ticket_id: str) -> list[RightsTicketStep]:
    return chain.history(session, actor, CHAIN, ticket_id)


def waiting_text(session: Session, actor, ticket_id: str) -> str | None:
    """“待 示例县总工会 经办人 受理(自 2026年12月1日)”, or None when the ticket is archived."""
    from app.kit.waiting import waiting_on

    actor.require(Perm.READ, "查看工单")
    ticket = records.get_live(session, TICKET, ticket_id)
    found = waiting_on(session, CHAIN, ticket, WAITS)
    return found.text() if found else None


def step_defaults(session: Session, actor, ticket_id: str, key: str) -> dict[str, Any]:
    """What a step's dialog starts with: a handover's deadline is the ticket's own; 办结 of a
    handed-over ticket takes the handling union's latest answer."""
    ticket = records.get(session, actor, "rights_ticket", ticket_id)
    if key == "handover":
        return {"due_on": ticket.due_on}
    if key == "result" and ticket.status == "transferred":
        open_ = handovers.open_handover(session, ticket.id)
        reply = handovers.latest_reply(session, open_.id) if open_ is not None else None
        return {"result": reply.result} if reply is not None else {}
    return {}


def may_edit(session: Session, actor, ticket: RightsTicket) -> bool:
    """Whether the registration may be changed by this user now (the form's fields editable): the
    register's permission, not locked, and the user's unit at or above the ticket's union."""
    from app.kit.register import register
    from app.services.units import actor_unit_id, unit_chain

    reg = register(TICKET.key)
    if ticket.deleted or not actor.can(reg.write) or reg.locked(ticket):
        return False
    return actor.role == "system" or \
        actor_unit_id(session, actor) in {u.id for u in unit_chain(session, ticket.union_id)}
