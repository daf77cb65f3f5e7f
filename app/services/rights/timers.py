"""A ticket's time limits on the holiday / 调休 calendar (``app.services.calendar``).

- Every ticket: handled within the working days its complexity allows (一般 / 难点 / 特别复杂,
  settings), counted from the day after it was registered.
- A 信访 matter (诉求类别 信访投诉) instead: the decision on acceptance (受理告知) within 15 days of
  receipt, and handling within 60 days of acceptance, extendable once by up to 30 (《信访工作条例》;
  the numbers and whether they count working or calendar days are settings).
- A handover (转办单) carries its own feedback deadline, at the latest the ticket's.

``deadlines`` is the one computation: the ticket register derives the stored dates with it on
every save (form, Excel, CLI), and the chain steps (受理, 延期) call it again. ``timers`` says how
each limit stands today, for the form's panel, the list's to-dos and the printed 登记表.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.clock import today
from app.services import calendar, settings
from app.services.rights import handovers
from app.services.rights.settings import LIMIT_KEYS

PETITION_CATEGORY = "3"  # rights_ticket_category: 信访投诉
OPEN = ("registered", "accepted", "transferred")


def is_petition(values: Mapping[str, Any]) -> bool:
    return values.get("category") == PETITION_CATEGORY


def deadlines(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """The stored limits of a ticket with these values: ``accept_due_on`` (信访 only), ``due_on``
    (a 信访 matter's only once accepted) and ``due_note`` (empty, or which years were counted from
    weekends only because their holiday schedule is not loaded)."""
    received = values.get("received_on")
    out: dict[str, Any] = {"accept_due_on": None, "due_on": None, "due_note": ""}
    if received is None:
        return out
    unknown: set[int] = set()
    if is_petition(values):
        working = bool(settings.get(session, "rights_petition_working_days"))
        d = calendar.deadline_after(session, received, settings.get(session, "rights_petition_accept_days"),
                                    working=working)
        out["accept_due_on"], unknown = d.due, unknown | set(d.unknown_years)
        if values.get("accepted_on"):
            days = settings.get(session, "rights_petition_handle_days") + (values.get("extended_days") or 0)
            d = calendar.deadline_after(session, values["accepted_on"], days, working=working)
            out["due_on"], unknown = d.due, unknown | set(d.unknown_years)
    else:
        days = settings.get(session, LIMIT_KEYS[values.get("complexity") or "normal"])
        d = calendar.deadline_after(session, received, days)
        out["due_on"], unknown = d.due, set(d.unknown_years)
    if unknown:
        years = "、".join(str(y) for y in sorted(unknown))
        out["due_note"] = f"{years}年的节假日安排尚未载入,期限按周末推算,请在节假日表更新后核对"
    return out


@dataclass(frozen=True)
class Timer:
    key: str  # accept | handle | feedback
    label: str  # 受理告知期限 / 办理期限 / 转办反馈期限
    due: date | None
    state: str  # ok | near | overdue | met | late | waiting
    text: str  # "剩 3 个工作日", "已逾期 2 个工作日", "按期完成(2026-10-09)"

    @property
    def urgent(self) -> bool:
        return self.state in ("near", "overdue")


def _left(session: Session, on: date, due: date) -> int:
    """Working days after ``on`` up to ``due`` (0: due today); negative: working days overdue."""
    if due >= on:
        return calendar.working_days_between(session, on + timedelta(days=1), due)[0]
    return -max(calendar.working_days_between(session, due + timedelta(days=1), on)[0], 1)


def timer(session: Session, key: str, label: str, due: date | None, done_on: date | None,
          on: date | None = None) -> Timer:
    """How one limit stands on ``on`` (today): met or late once done, else the working days left."""
    on = on or today()
    if due is None:
        return Timer(key, label, None, "waiting", "受理后计算" if key == "handle" else "")
    if done_on is not None:
        if done_on <= due:
            return Timer(key, label, due, "met", f"按期完成({done_on.isoformat()})")
        late = -_left(session, done_on, due)
        return Timer(key, label, due, "late", f"逾期 {late} 个工作日完成({done_on.isoformat()})")
    left = _left(session, on, due)
    if left < 0:
        return Timer(key, label, due, "overdue", f"已逾期 {-left} 个工作日")
    warn = settings.get(session, "rights_warn_days")
    state = "near" if left <= warn else "ok"
    return Timer(key, label, due, state, "今天到期" if left == 0 else f"剩 {left} 个工作日")


def timers(session: Session, ticket, on: date | None = None) -> list[Timer]:
    """The ticket's limits as they stand: 受理告知 (信访), 办理, and the open handover's feedback."""
    out = []
    closed = ticket.status not in OPEN
    if ticket.petition:
        accepted = ticket.accepted_on or (ticket.result_on if ticket.status == "rejected" else None)
        out.append(timer(session, "accept", "受理告知期限", ticket.accept_due_on, accepted, on))
    done = ticket.result_on if closed else None
    out.append(timer(session, "handle", "办理期限", ticket.due_on, done, on))
    open_ = handovers.open_handover(session, ticket.id)
    if open_ is not None:
        reply = handovers.latest_reply(session, open_.id)
        out.append(timer(session, "feedback", "转办反馈期限", open_.due_on,
                         reply.replied_on if reply else None, on))
    return out


def horizon(session: Session, on: date | None = None) -> date:
    """The last day a due date may fall on to be a to-do today: ``rights_warn_days`` working
    days ahead."""
    on = on or today()
    days = settings.get(session, "rights_warn_days")
    return calendar.deadline_after(session, on, days).due if days else on
