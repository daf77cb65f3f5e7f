"""Requests to the unit that owns a record (DESIGN.md §5, "who owns a record").

A record is changed only by its owning unit (``owner_unit_id``: the installation that created it,
the same on every PC of that unit). A higher union that holds a copy — the city holds every
county's — may not change it; its 作废, 合并 or 更正 becomes a ``ChangeRequest`` that travels down in
the next bundle to that unit only, waits in its queue and is applied or declined there by a person.
The ``RequestAnswer`` (owned by the answering unit) travels back, with the reason of a refusal.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin

ACTIONS = {"void": "作废", "correct": "更正", "merge": "合并(作废重复的一条)", "check": "核查"}
DECISIONS = {"applied": "已执行", "declined": "不同意"}


class ChangeRequest(SyncMixin, Base):
    __tablename__ = "change_requests"
    # exported only to the unit whose records the request names (app.sync.policy.route_column)
    __route_key__ = "target_owner_id"

    action: Mapped[str] = mapped_column(String(10))  # ACTIONS
    target_table: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    target_owner_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    target_label: Mapped[str] = mapped_column(String(200), default="")
    survivor_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # merge: stays
    changes: Mapped[str] = mapped_column(Text, default="{}")  # correct: {field: stored value}
    reason: Mapped[str] = mapped_column(Text, default="")


class RequestAnswer(SyncMixin, Base):
    """The owning unit's answer to a request; its id is the request's id, so two PCs of the unit
    answering the same request meet as two versions of one record (the conflict queue)."""

    __tablename__ = "change_request_answers"

    decision: Mapped[str] = mapped_column(String(10))  # DECISIONS
    note: Mapped[str] = mapped_column(Text, default="")
