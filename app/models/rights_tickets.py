"""来访 / 12351 tickets (工单), the dated steps of their chain, the handovers (转办 / 交办) to the
union that handles them, and the replies that come back.

A ticket and its handovers are owned by the installation that registered them; the unit a ticket
is handed to may be another installation's (the city, another county): its reply is a record of
its own (``RightsReply``, owned by the replying installation), so it travels back in a bundle
without the receiver ever changing the sender's ticket. A township that works on paper gets the
printed 转办单, and the office that issued it keys its paper answer in as a reply.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import fts
from app.db.base import Base, SyncMixin
from app.models.hardship import immutable_triggers, install_triggers


class RightsTicket(SyncMixin, Base):
    __tablename__ = "rights_tickets"
    __number_key__ = "ticket_no"  # issued on one PC: two PCs of one office may issue the same

    ticket_no: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    received_on: Mapped[date] = mapped_column(Date)
    received_time: Mapped[str | None] = mapped_column(String(5), nullable=True)  # HH:MM
    channel: Mapped[str] = mapped_column(String(20))  # rights_channel
    person_name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(1), nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    employer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    visitors: Mapped[int] = mapped_column(Integer, default=1)
    collective: Mapped[bool] = mapped_column(Boolean, default=False)  # 集体访: five or more
    category: Mapped[str] = mapped_column(String(20))  # rights_ticket_category
    sub_item: Mapped[str | None] = mapped_column(String(20), nullable=True)  # rights_ticket_category (a sub-item row)
    content: Mapped[str] = mapped_column(Text)
    complexity: Mapped[str] = mapped_column(String(8), default="normal")
    petition: Mapped[bool] = mapped_column(Boolean, default=False)  # 信访: the statutory timers
    received_by: Mapped[str | None] = mapped_column(String(50), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="registered")
    handling: Mapped[str | None] = mapped_column(String(8), nullable=True)  # direct|transfer|assign
    handled_by_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    accept_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_note: Mapped[str | None] = mapped_column(String(100), nullable=True)  # calendar not loaded
    extended_days: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    result_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    callback_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    satisfaction: Mapped[str | None] = mapped_column(String(20), nullable=True)
    callback_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # the period's figures (visitors, calls, categories) read this index alone
        Index("ix_rights_tickets_stats", "received_on", "channel", "visitors", "category",
              "collective", "deleted", "union_id"),
        Index("ix_rights_tickets_status_due_on", "status", "due_on"),
        # a name prefix (one or two characters) sorted by date, answered from the index alone
        Index("ix_rights_tickets_name_sort", "person_name", "received_on", "deleted"),
    )


fts.attach(RightsTicket.__table__)  # trigram search of names, phones and 工单号 (3+ characters)


class RightsTicketStep(SyncMixin, Base):
    """One step of a ticket's chain (受理, 转办, 办结, 回访, 归档, 退回, 延期 …): append-only."""

    __tablename__ = "rights_ticket_steps"
    __immutable__ = True

    ticket_id: Mapped[str] = mapped_column(ForeignKey("rights_tickets.id"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    acted_on: Mapped[date] = mapped_column(Date)
    opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    level_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    actor_username: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(50))
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    signer_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    data: Mapped[str] = mapped_column(Text, default="{}")


install_triggers(RightsTicketStep.__table__,
                 immutable_triggers("rights_ticket_steps", "ticket history"))


class RightsHandover(SyncMixin, Base):
    """A ticket handed (转办 / 交办) to a union with a deadline: a printed 转办单 for a union that
    works on paper, a bundle for one that runs its own installation (``via``)."""

    __tablename__ = "rights_handovers"

    ticket_id: Mapped[str] = mapped_column(ForeignKey("rights_tickets.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    mode: Mapped[str] = mapped_column(String(8))  # transfer | assign
    target_unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    handed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    requirements: Mapped[str | None] = mapped_column(Text, nullable=True)
    via: Mapped[str] = mapped_column(String(8))  # paper | bundle
    handed_by: Mapped[str] = mapped_column(String(50))
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # taken back (退回)


class RightsReply(SyncMixin, Base):
    """The handling union's answer to a handover: append-only (a correction is another reply).
    Owned by whoever enters it: the receiving installation, or the issuing office keying in a
    paper answer (``via``)."""

    __tablename__ = "rights_replies"
    __immutable__ = True

    handover_id: Mapped[str] = mapped_column(ForeignKey("rights_handovers.id"), index=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("rights_tickets.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))  # the union that answers
    replied_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(Text)
    handler: Mapped[str] = mapped_column(String(50))  # 承办人 (the signer on paper)
    via: Mapped[str] = mapped_column(String(8))  # paper | bundle
    entered_by: Mapped[str] = mapped_column(String(50))


install_triggers(RightsReply.__table__, immutable_triggers("rights_replies", "ticket replies"))
