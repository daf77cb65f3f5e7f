"""权益保障与法律援助, the registers beside the tickets: 普法 events, legal consultations, labour
safety inspections, partner law firms and their lawyers, the duty roster, and legal-aid cases
(F6). The tickets (来访 / 12351) and their chain are ``app.models.rights_tickets``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin


class RightsEvent(SyncMixin, Base):
    """One 普法 event (counted in 场): a lecture, a consultation stand, 送法进企业 or online."""

    __tablename__ = "rights_events"

    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(100))
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    theme: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(20))  # rights_event_form
    audience: Mapped[int] = mapped_column(Integer, default=0)  # 人次
    consulted: Mapped[int] = mapped_column(Integer, default=0)  # 人次 consulted at the event
    materials: Mapped[int] = mapped_column(Integer, default=0)  # 份
    speaker: Mapped[str | None] = mapped_column(String(100), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_rights_events_held_on_form", "held_on", "form"),)


class RightsConsultation(SyncMixin, Base):
    """One legal consultation (来访 / 电话 / 线上): who asked, about what, the answer, who gave it."""

    __tablename__ = "rights_consultations"

    consulted_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))  # rights_consult_channel
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    person_name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    employer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    problem: Mapped[str] = mapped_column(String(20))  # rights_problem
    summary: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    answerer_kind: Mapped[str] = mapped_column(String(12))  # staff | lawyer
    answerer_name: Mapped[str] = mapped_column(String(50))
    lawyer_id: Mapped[str | None] = mapped_column(ForeignKey("rights_lawyers.id"), nullable=True)
    referred: Mapped[bool] = mapped_column(Boolean, default=False)  # 转法律援助

    __table_args__ = (Index("ix_rights_consultations_consulted_on", "consulted_on"),
                      Index("ix_rights_consultations_id_number", "id_number"))


class RightsInspection(SyncMixin, Base):
    """A 工会劳动保护监督检查 of one enterprise, its hazards, the rectification demanded with its
    deadline, and the re-inspection."""

    __tablename__ = "rights_inspections"

    inspected_on: Mapped[date] = mapped_column(Date)
    enterprise: Mapped[str] = mapped_column(String(100))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    inspectors: Mapped[str] = mapped_column(String(200))
    hazard_count: Mapped[int] = mapped_column(Integer, default=0)
    hazards: Mapped[str | None] = mapped_column(Text, nullable=True)
    demands: Mapped[str | None] = mapped_column(Text, nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    recheck_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recheck_result: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_rights_inspections_inspected_on", "inspected_on"),
                      Index("ix_rights_inspections_deadline", "deadline", "recheck_result"))


class LawFirm(SyncMixin, Base):
    """A partner law firm: the cooperation agreement's period and fee."""

    __tablename__ = "rights_firms"

    name: Mapped[str] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    head: Mapped[str | None] = mapped_column(String(50), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    agreement_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    agreement_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    fee_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)  # per year
    fee_note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Lawyer(SyncMixin, Base):
    """A lawyer of a partner firm who takes duty at the union's reception."""

    __tablename__ = "rights_lawyers"

    name: Mapped[str] = mapped_column(String(50))
    firm_id: Mapped[str] = mapped_column(ForeignKey("rights_firms.id"), index=True)
    licence_no: Mapped[str] = mapped_column(String(17))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    specialty: Mapped[str | None] = mapped_column(String(100), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DutySlot(SyncMixin, Base):
    """One half-day of the duty roster: the lawyer (firm, licence and phone as on that day),
    signed in and out, people received."""

    __tablename__ = "rights_duty_slots"

    duty_on: Mapped[date] = mapped_column(Date)
    half: Mapped[str] = mapped_column(String(2))  # am | pm
    lawyer_id: Mapped[str] = mapped_column(ForeignKey("rights_lawyers.id"))
    firm_id: Mapped[str | None] = mapped_column(ForeignKey("rights_firms.id"), nullable=True)
    licence_no: Mapped[str | None] = mapped_column(String(17), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    place: Mapped[str | None] = mapped_column(String(100), nullable=True)
    signed_in: Mapped[str | None] = mapped_column(String(5), nullable=True)  # HH:MM
    signed_out: Mapped[str | None] = mapped_column(String(5), nullable=True)
    received: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_rights_duty_slots_duty_on_half", "duty_on", "half"),
                      Index("ix_rights_duty_slots_lawyer_id_duty_on", "lawyer_id", "duty_on"))


class AidCase(SyncMixin, Base):
    """A 工会法律援助 case from the application (F6) to its close: the means test (or its
    exemption), the review, the assigned lawyer, the stage, the outcome and the amount recovered."""

    __tablename__ = "rights_aid_cases"
    __number_key__ = "case_no"  # the 受理号 is issued on one PC: two PCs may issue the same

    case_no: Mapped[str | None] = mapped_column(String(24), nullable=True, index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(8), default="written")  # written | verbal
    verbal_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str | None] = mapped_column(String(1), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    ethnicity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    hukou: Mapped[str | None] = mapped_column(String(100), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    employer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    is_member: Mapped[bool] = mapped_column(Boolean, default=False)
    is_migrant: Mapped[bool] = mapped_column(Boolean, default=False)
    monthly_income_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    household_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    household_income_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    per_capita_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    agent_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    agent_relation: Mapped[str | None] = mapped_column(String(20), nullable=True)
    agent_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    opponent_name: Mapped[str] = mapped_column(String(100))
    opponent_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    opponent_address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    opponent_rep: Mapped[str | None] = mapped_column(String(50), nullable=True)
    opponent_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cause: Mapped[str] = mapped_column(String(20))  # rights_problem (案由)
    amount_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 涉案金额
    matters: Mapped[str] = mapped_column(String(40))  # rights_aid_form codes (申请事项)
    facts: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    eligibility: Mapped[str | None] = mapped_column(String(12), nullable=True)
    eligibility_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    review_result: Mapped[str | None] = mapped_column(String(8), nullable=True)  # granted | refused
    review_opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(50), nullable=True)
    aid_form: Mapped[str | None] = mapped_column(String(20), nullable=True)  # rights_aid_form
    firm_id: Mapped[str | None] = mapped_column(ForeignKey("rights_firms.id"), nullable=True)
    lawyer_id: Mapped[str | None] = mapped_column(ForeignKey("rights_lawyers.id"), nullable=True)
    assigned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    stage: Mapped[str] = mapped_column(String(20), default="applied")  # rights_aid_stage
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)  # rights_aid_outcome
    recovered_fen: Mapped[int] = mapped_column(Integer, default=0)
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("rights_tickets.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_rights_aid_cases_applied_on", "applied_on", "review_result"),
                      Index("ix_rights_aid_cases_closed_on", "closed_on"))
