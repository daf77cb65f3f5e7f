"""困难职工帮扶, the help given: the append-only relief ledger (救助发放), 送温暖 campaigns and
visits, 金秋助学 applications, and 一户一策 help plans with their progress notes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin
from app.models.hardship import immutable_triggers, install_triggers


class ReliefEntry(SyncMixin, Base):
    """One payout line: cash and/or one kind of goods to one recipient.

    Append-only (``__immutable__``): an entry is never edited or tombstoned; a correction is a new
    entry with ``reverses_id`` and the negated amounts, dated like the entry it reverses so that
    any period's figures net out. The sync import treats a known id with different content as an
    integrity alarm. ``unit_id`` is the union the figures are counted under (the household's
    grassroots union, or the visited enterprise's union)."""

    __tablename__ = "hardship_ledger"
    __immutable__ = True

    paid_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))  # relief_kind
    recipient_kind: Mapped[str] = mapped_column(String(12))  # visit_target
    archive_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_archives.id"), nullable=True)
    recipient_name: Mapped[str] = mapped_column(String(100))
    recipient_id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_campaigns.id"), nullable=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_visits.id"), nullable=True)
    aid_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_study_aid.id"), nullable=True)
    cash_fen: Mapped[int] = mapped_column(Integer, default=0)
    goods_kind: Mapped[str | None] = mapped_column(String(12), nullable=True)
    goods_unit: Mapped[str | None] = mapped_column(String(12), nullable=True)
    goods_qty: Mapped[int] = mapped_column(Integer, default=0)
    goods_value_fen: Mapped[int] = mapped_column(Integer, default=0)
    fund_source: Mapped[str] = mapped_column(String(12))
    batch: Mapped[str | None] = mapped_column(String(100), nullable=True)
    paid_by: Mapped[str] = mapped_column(String(50))
    signed_by: Mapped[str | None] = mapped_column(String(50), nullable=True)
    proxy_relation: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_ledger.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # the period statistics read this index only (a covering index)
        Index("ix_hardship_ledger_stats", "paid_on", "unit_id", "kind", "recipient_kind",
              "cash_fen", "goods_kind", "goods_unit", "goods_qty", "goods_value_fen",
              "archive_id", "recipient_id_number"),
        Index("ix_hardship_ledger_archive_id_paid_on", "archive_id", "paid_on"),
        Index("ix_hardship_ledger_recipient_id_number", "recipient_id_number"),
        Index("ix_hardship_ledger_campaign_id", "campaign_id"),
        Index("ix_hardship_ledger_visit_id", "visit_id"),
        Index("ix_hardship_ledger_aid_id", "aid_id"),
        Index("ix_hardship_ledger_reverses_id", "reverses_id"),
    )


install_triggers(ReliefEntry.__table__, immutable_triggers("hardship_ledger", "relief ledger"))


class Campaign(SyncMixin, Base):
    """A 送温暖 (or other) campaign that visits and payouts belong to."""

    __tablename__ = "hardship_campaigns"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))  # campaign_kind
    year: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Visit(SyncMixin, Base):
    """A leader's visit (走访慰问) to an enterprise, a worker or model worker in difficulty, or a
    front-line worker. What was given is in the ledger (``hardship_ledger.visit_id``)."""

    __tablename__ = "hardship_visits"

    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_campaigns.id"), nullable=True,
                                                    index=True)
    visited_on: Mapped[date] = mapped_column(Date)
    leader_name: Mapped[str] = mapped_column(String(50))
    leader_title: Mapped[str | None] = mapped_column(String(100), nullable=True)
    leader_level: Mapped[str] = mapped_column(String(12))  # leader_level
    target_kind: Mapped[str] = mapped_column(String(12))  # visit_target
    archive_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_archives.id"), nullable=True,
                                                   index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    target_name: Mapped[str] = mapped_column(String(100))
    target_id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_hardship_visits_visited_on", "visited_on"),)


class StudyAid(SyncMixin, Base):
    """A 金秋助学 application (F4): the student, the parent's archive, other aid, the grant."""

    __tablename__ = "hardship_study_aid"

    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="applied")
    student_name: Mapped[str] = mapped_column(String(50))
    # the list sorts names by pinyin, as every list of people does (kept by the service)
    student_name_pinyin: Mapped[str] = mapped_column(String(120), default="", server_default="")
    student_id_number: Mapped[str] = mapped_column(String(18))
    student_gender: Mapped[str] = mapped_column(String(1))
    exam_no: Mapped[str | None] = mapped_column(String(20), nullable=True)  # 考生号
    school: Mapped[str] = mapped_column(String(100))
    major: Mapped[str | None] = mapped_column(String(100), nullable=True)
    level: Mapped[str] = mapped_column(String(4))  # study_level
    study_years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tuition_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    archive_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_archives.id"), nullable=True,
                                                   index=True)
    parent_name: Mapped[str] = mapped_column(String(50))
    parent_id_number: Mapped[str] = mapped_column(String(18))
    parent_unit: Mapped[str | None] = mapped_column(String(100), nullable=True)
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    hardship_cause: Mapped[str | None] = mapped_column(String(200), nullable=True)  # 非建档
    other_aid: Mapped[bool] = mapped_column(Boolean, default=False)
    other_aid_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    exclusions: Mapped[str | None] = mapped_column(String(20), nullable=True)
    requested_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    standard_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    granted_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    account_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    bank_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    bank_account: Mapped[str | None] = mapped_column(String(30), nullable=True)
    grassroots_opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    county_opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    publicity_result: Mapped[str | None] = mapped_column(String(200), nullable=True)
    applied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decided_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ix_hardship_study_aid_year_status", "year", "status"),
                      Index("ix_hardship_study_aid_student_id_number", "student_id_number"),
                      Index("ix_hardship_study_aid_student_name_pinyin", "student_name_pinyin"))


class HelpPlan(SyncMixin, Base):
    """一户一策: the household's responsible cadre, measures, target and outcome."""

    __tablename__ = "hardship_plans"

    archive_id: Mapped[str] = mapped_column(ForeignKey("hardship_archives.id"), index=True)
    cadre_name: Mapped[str] = mapped_column(String(50))
    cadre_unit: Mapped[str | None] = mapped_column(String(100), nullable=True)
    cadre_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    analysis: Mapped[str | None] = mapped_column(Text, nullable=True)
    measures: Mapped[str] = mapped_column(String(40))  # help_measure codes
    target_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    finished_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (Index("ix_hardship_plans_status_next_review_on", "status", "next_review_on"),)


class HelpPlanNote(SyncMixin, Base):
    """A progress note on a help plan (dated, by whom)."""

    __tablename__ = "hardship_plan_notes"

    plan_id: Mapped[str] = mapped_column(ForeignKey("hardship_plans.id"), index=True)
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(50))
