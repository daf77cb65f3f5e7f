"""困难职工帮扶: the household archive (困难职工档案) with its family members, rigid expenses,
attachments and review history, and the yearly eligibility parameters of each county.

The archive follows the national 困难职工档案表 field by field (records-and-forms.md §A.6), so an
archive can be re-keyed into the national aid system without re-interpretation. Workflow columns
(status, investigation, 民政核对, 公示, approval, closing) hold the latest state; every step is also
an immutable row of ``hardship_reviews``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import DDL, Boolean, Date, ForeignKey, Index, Integer, String, Text, TypeDecorator, event, text
from sqlalchemy.orm import Mapped, mapped_column

import app.db.immutable  # noqa: F401  (registers the append-only guard)
from app.db.base import Base, SyncMixin


class DecimalText(TypeDecorator):
    """An exact decimal stored as canonical text (SQLite has no decimal type, and SQLAlchemy's
    Numeric would go through float)."""

    impl = String(20)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def immutable_triggers(table: str, what: str) -> tuple[str, str]:
    """SQL triggers that refuse UPDATE and DELETE on an append-only table."""
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END",
    )


def install_triggers(table, statements) -> None:
    for sql in statements:
        event.listen(table, "after_create", DDL(sql))


class HardshipArchive(SyncMixin, Base):
    """One household (户主 + family members)."""

    __tablename__ = "hardship_archives"
    __number_key__ = "archive_no"  # an issued serial: two live archives sharing one are a clash
    # the household head's ID number: the same person's archive arriving from another PC or
    # county is a possible duplicate (精准识别; app.sync, app.services.duplicates)
    __person_key__ = "id_number"

    # -- identity and workflow --------------------------------------------------------------
    archive_no: Mapped[str | None] = mapped_column(String(20), nullable=True)
    national_no: Mapped[str | None] = mapped_column(String(30), nullable=True)  # 全国系统职工编号
    status: Mapped[str] = mapped_column(String(16), default="draft")
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    is_migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str | None] = mapped_column(String(2), nullable=True)
    proposed_category: Mapped[str | None] = mapped_column(String(2), nullable=True)
    category_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    category_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    per_capita_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    eligibility_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    params_id: Mapped[str | None] = mapped_column(ForeignKey("hardship_params.id"), nullable=True)

    # -- person ------------------------------------------------------------------------------
    name: Mapped[str] = mapped_column(String(50))
    name_pinyin: Mapped[str] = mapped_column(String(120), default="")
    name_initials: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18))
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    political_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    health_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    disability_category: Mapped[str | None] = mapped_column(String(4), nullable=True)
    disability_grade: Mapped[str | None] = mapped_column(String(4), nullable=True)
    work_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    model_worker_type: Mapped[str | None] = mapped_column(String(4), nullable=True)
    housing_type: Mapped[str | None] = mapped_column(String(4), nullable=True)
    housing_area: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    housing_area_band: Mapped[str | None] = mapped_column(String(4), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    other_contact: Mapped[str | None] = mapped_column(String(50), nullable=True)
    postcode: Mapped[str | None] = mapped_column(String(6), nullable=True)
    work_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    industry: Mapped[str | None] = mapped_column(String(10), nullable=True)
    marital_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    hukou_type: Mapped[str | None] = mapped_column(String(4), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    employer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    unit_nature: Mapped[str | None] = mapped_column(String(10), nullable=True)
    enterprise_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    single_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    contract_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_term: Mapped[str | None] = mapped_column(String(4), nullable=True)

    # -- economics ----------------------------------------------------------------------------
    monthly_income_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    other_annual_income_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    family_annual_income_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    household_size: Mapped[int] = mapped_column(Integer, default=1)
    rigid_expense_fen: Mapped[int] = mapped_column(Integer, default=0)
    hukou_region: Mapped[str | None] = mapped_column(String(6), nullable=True)
    medical_insurance: Mapped[str | None] = mapped_column(String(4), nullable=True)
    self_help: Mapped[bool] = mapped_column(Boolean, default=False)
    zero_employment: Mapped[bool] = mapped_column(Boolean, default=False)
    accident_event: Mapped[bool] = mapped_column(Boolean, default=False)
    accident_costs_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    accident_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    exclusions: Mapped[str | None] = mapped_column(String(60), nullable=True)

    # -- causes, 解困脱困 ---------------------------------------------------------------------
    main_cause: Mapped[str | None] = mapped_column(String(4), nullable=True)
    minor_causes: Mapped[str | None] = mapped_column(String(20), nullable=True)
    cause_other_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    relief_target: Mapped[bool] = mapped_column(Boolean, default=False)
    relief_target_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    key_group: Mapped[str | None] = mapped_column(String(4), nullable=True)
    four_batches: Mapped[str | None] = mapped_column(String(20), nullable=True)

    # -- bank -----------------------------------------------------------------------------------
    bank_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    bank_branch: Mapped[str | None] = mapped_column(String(100), nullable=True)
    bank_account: Mapped[str | None] = mapped_column(String(30), nullable=True)

    # -- application and sign-off -------------------------------------------------------------
    application_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    applied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    prepared_by: Mapped[str | None] = mapped_column(String(50), nullable=True)  # 建档人
    reviewer_name: Mapped[str | None] = mapped_column(String(50), nullable=True)  # 审核人
    entered_by: Mapped[str | None] = mapped_column(String(64), nullable=True)  # 录入人 (user)
    applied_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_edited_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    # -- 初审: 入户调查 ---------------------------------------------------------------------------
    investigator_1: Mapped[str | None] = mapped_column(String(50), nullable=True)
    investigator_2: Mapped[str | None] = mapped_column(String(50), nullable=True)
    investigated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    investigation_findings: Mapped[str | None] = mapped_column(Text, nullable=True)
    authorization_signed: Mapped[bool] = mapped_column(Boolean, default=False)

    # -- 帮扶中心审核: 民政核对 ---------------------------------------------------------------------
    civil_check_batch: Mapped[str | None] = mapped_column(String(50), nullable=True)
    civil_check_sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    civil_check_result: Mapped[str | None] = mapped_column(String(10), nullable=True)
    civil_check_result_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    # -- 公示 -------------------------------------------------------------------------------------
    publicity_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    publicity_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publicity_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    publicity_place: Mapped[str | None] = mapped_column(String(100), nullable=True)
    publicity_note: Mapped[str | None] = mapped_column(String(200), nullable=True)
    publicity_result: Mapped[str | None] = mapped_column(String(200), nullable=True)

    # -- 建档, 年审, 脱困/注销 ------------------------------------------------------------------------
    archived_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_recheck_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str | None] = mapped_column(String(4), nullable=True)
    close_note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        # not unique: two PCs of one county may approve under the same serial between exchanges;
        # the import queues the clash (app.sync.numbers) and 重新编号 settles it
        Index("ix_hardship_archives_archive_no", "archive_no",
              sqlite_where=text("archive_no IS NOT NULL")),
        Index("ix_hardship_archives_id_number", "id_number"),
        Index("ix_hardship_archives_status", "status"),
        Index("ix_hardship_archives_name", "name"),
        Index("ix_hardship_archives_name_initials", "name_initials"),
        Index("ix_hardship_archives_archived_on", "archived_on"),
    )


class HardshipFamilyMember(SyncMixin, Base):
    """A row of the archive's family table (every column of the national form)."""

    __tablename__ = "hardship_family_members"

    archive_id: Mapped[str] = mapped_column(ForeignKey("hardship_archives.id"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(4))
    ethnicity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    id_number: Mapped[str] = mapped_column(String(18))
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    political_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    monthly_income_fen: Mapped[int] = mapped_column(Integer, default=0)
    model_worker_type: Mapped[str | None] = mapped_column(String(4), nullable=True)
    health_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    disability_category: Mapped[str | None] = mapped_column(String(4), nullable=True)
    disability_grade: Mapped[str | None] = mapped_column(String(4), nullable=True)
    medical_insurance: Mapped[str | None] = mapped_column(String(4), nullable=True)
    marital_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    hukou_type: Mapped[str | None] = mapped_column(String(4), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    identity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    education: Mapped[str | None] = mapped_column(String(4), nullable=True)
    enrolled_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    study_years: Mapped[int | None] = mapped_column(Integer, nullable=True)
    work_or_school: Mapped[str | None] = mapped_column(String(100), nullable=True)
    unit_nature: Mapped[str | None] = mapped_column(String(10), nullable=True)
    enterprise_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    industry: Mapped[str | None] = mapped_column(String(10), nullable=True)
    work_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    contract_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_term: Mapped[str | None] = mapped_column(String(4), nullable=True)
    notes: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (Index("ix_hardship_family_members_id_number", "id_number"),)


class HardshipExpense(SyncMixin, Base):
    """One 刚性支出 item of the household's year (deducted only when the year's parameters allow
    the item)."""

    __tablename__ = "hardship_expenses"

    archive_id: Mapped[str] = mapped_column(ForeignKey("hardship_archives.id"), index=True)
    item: Mapped[str] = mapped_column(String(4))
    amount_fen: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)


class HardshipAttachment(SyncMixin, Base):
    """A document of the archive, by content hash (the bytes live in ``attachment_blobs``)."""

    __tablename__ = "hardship_attachments"
    __blob_column__ = "sha256"  # bundles carry the blob with the row

    archive_id: Mapped[str] = mapped_column(ForeignKey("hardship_archives.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(50))


class HardshipReview(SyncMixin, Base):
    """One step of an archive's history (申请, 初审, 复审, 审核, 公示, 异议, 审批, 退回, 年审, 脱困,
    注销, 改定类别). Append-only: who, when, which level's opinion, and the paper signer."""

    __tablename__ = "hardship_reviews"
    __immutable__ = True

    archive_id: Mapped[str] = mapped_column(ForeignKey("hardship_archives.id"), index=True)
    step_no: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    acted_on: Mapped[date] = mapped_column(Date)
    opinion: Mapped[str | None] = mapped_column(Text, nullable=True)
    level_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    actor_username: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(50))
    actor_role: Mapped[str] = mapped_column(String(16))
    actor_unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    signer_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    data: Mapped[str] = mapped_column(Text, default="{}")  # step details as canonical JSON

    __table_args__ = (Index("ix_hardship_reviews_action_acted_on", "action", "acted_on"),)


install_triggers(HardshipReview.__table__, immutable_triggers("hardship_reviews", "review history"))


class HardshipParams(SyncMixin, Base):
    """The eligibility and relief parameters of one county for one year (a new year is a new
    version; edits within a year are audited)."""

    __tablename__ = "hardship_params"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    dibao_monthly_fen: Mapped[int] = mapped_column(Integer)
    rigid_items: Mapped[str | None] = mapped_column(String(60), nullable=True)
    accident_ratio_pct: Mapped[int] = mapped_column(Integer, default=80)
    exclusions: Mapped[str | None] = mapped_column(String(60), nullable=True)
    min_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    yearly_cap_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publicity_days: Mapped[int] = mapped_column(Integer, default=5)
    study_univ_archived_fen: Mapped[int] = mapped_column(Integer, default=0)
    study_high_archived_fen: Mapped[int] = mapped_column(Integer, default=0)
    study_univ_other_fen: Mapped[int] = mapped_column(Integer, default=0)
    study_high_other_fen: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_hardship_params_unit_id_year", "unit_id", "year"),)
