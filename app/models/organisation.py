"""基层组织建设 (seed section (七)): members' 会籍 over time, the 建会 chain of a new grassroots
union, elections (换届选举), the county's 文号 register, 模范职工之家, 职工书屋 and 工会干部培训.

A member's current union, status and 入会日期 (``members.union_id`` / ``status`` / ``joined_on``)
are derived from the member's 会籍 events and kept on the member row only so that lists of a
million members stay fast (``app.services.organisation.membership``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin
from app.models.hardship import DecimalText, immutable_triggers, install_triggers


class MembershipEvent(SyncMixin, Base):
    """One 会籍 event of a member: 入会, 转出, 转入, 保留会籍, 恢复会籍, 退会, 开除会籍, 去世.
    ``union_id`` is the union the member belongs to after it (for 转出: the union left)."""

    __tablename__ = "membership_events"
    __people__ = True  # about a person: the city does not send it down (app.sync.policy)

    member_id: Mapped[str] = mapped_column(ForeignKey("members.id"))
    ordinal: Mapped[int] = mapped_column(Integer)  # the member's events in order: 1, 2, 3 …
    kind: Mapped[str] = mapped_column(String(16))
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: 不详 (carried over)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    to_union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    to_county_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    to_place: Mapped[str | None] = mapped_column(String(100), nullable=True)
    transfer_id: Mapped[str | None] = mapped_column(ForeignKey("membership_transfers.id"), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(8), nullable=True)  # membership_reason
    doc_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_membership_events_member_id_ordinal", "member_id", "ordinal"),
        # the figures of a period read this index only (a covering index)
        Index("ix_membership_events_stats", "event_date", "kind", "union_id", "deleted"),
    )


class MembershipTransfer(SyncMixin, Base):
    """A transfer between two counties as the city forwards it (会员组织关系接转): made at the city
    from the sending county's 转出, sent down to both counties (``__recipients__``), taken in by
    the receiving county's 转入. It carries the person and the history, not references: the
    receiving county has none of the sending county's records."""

    __tablename__ = "membership_transfers"
    # a row addressed to counties goes to those counties only (app.sync.export)
    __recipients__ = ("from_county_code", "to_county_code")

    source_event_id: Mapped[str] = mapped_column(String(36), index=True)
    source_member_id: Mapped[str] = mapped_column(String(36))
    from_county_code: Mapped[str] = mapped_column(String(6))
    from_county_name: Mapped[str] = mapped_column(String(100))
    from_union_name: Mapped[str] = mapped_column(String(100))
    to_county_code: Mapped[str] = mapped_column(String(6))
    to_place: Mapped[str | None] = mapped_column(String(100), nullable=True)
    transferred_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    letter_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    ethnicity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    political_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    education: Mapped[str | None] = mapped_column(String(4), nullable=True)
    joined_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    card_no: Mapped[str | None] = mapped_column(String(30), nullable=True)
    history: Mapped[str] = mapped_column(Text, default="[]")  # [[date, kind, union name], …]
    status: Mapped[str] = mapped_column(String(12), default="forwarded")  # forwarded | received
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    received_union_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    forwarded_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class DocSeries(SyncMixin, Base):
    """A series of the county's outgoing documents (发文字号): 机关代字 + 〔year〕 + N 号, numbered
    per year and never reused, on one PC only (``owner_device_id``: app.services.organisation.documents)."""

    __tablename__ = "doc_series"

    code: Mapped[str] = mapped_column(String(20))  # 机关代字: 示工, 示工办
    name: Mapped[str] = mapped_column(String(50))
    owner_device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    owner_label: Mapped[str | None] = mapped_column(String(50), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Document(SyncMixin, Base):
    """An outgoing document of the county (发文登记): a 批复, 通知, 决定 … with its 文号."""

    __tablename__ = "documents"
    # an issued serial: two live documents sharing one are a clash queued for renumbering
    __number_key__ = "doc_no"

    series_id: Mapped[str] = mapped_column(ForeignKey("doc_series.id"), index=True)
    doc_kind: Mapped[str] = mapped_column(String(8))  # doc_kind
    title: Mapped[str] = mapped_column(String(200))
    addressee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    signed_on: Mapped[date] = mapped_column(Date)
    signer: Mapped[str | None] = mapped_column(String(50), nullable=True)
    issuer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    cc: Mapped[str | None] = mapped_column(String(200), nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    doc_no: Mapped[str | None] = mapped_column(String(60), nullable=True, index=True)
    numbered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    numbered_device: Mapped[str | None] = mapped_column(String(36), nullable=True)
    record_table: Mapped[str | None] = mapped_column(String(40), nullable=True)
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_documents_series_id_year_seq", "series_id", "year", "seq"),)


class UnionFounding(SyncMixin, Base):
    """建会: an enterprise's way to a grassroots union of its own, step by step (请示 → 批复 → 筹备组
    → 发展会员 → 会员大会 → 选举结果批复 → 女职工委员会 → 法人资格登记)."""

    __tablename__ = "union_foundings"

    enterprise_name: Mapped[str] = mapped_column(String(100))
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    union_name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    unit_nature: Mapped[str | None] = mapped_column(String(10), nullable=True)
    industry: Mapped[str | None] = mapped_column(String(10), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    worker_count: Mapped[int] = mapped_column(Integer)
    female_worker_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    migrant_worker_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    leaders: Mapped[str | None] = mapped_column(String(200), nullable=True)
    wish: Mapped[str | None] = mapped_column(Text, nullable=True)
    contact_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    applied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    approval_doc_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    approval_no: Mapped[str | None] = mapped_column(String(60), nullable=True)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    prep_leader: Mapped[str | None] = mapped_column(String(50), nullable=True)
    prep_members: Mapped[str | None] = mapped_column(String(200), nullable=True)
    recruited_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    congress_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    election_id: Mapped[str | None] = mapped_column(ForeignKey("elections.id"), nullable=True)
    results_no: Mapped[str | None] = mapped_column(String(60), nullable=True)
    union_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    founded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    women_committee: Mapped[str | None] = mapped_column(String(200), nullable=True)
    legal_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    legal_cert_no: Mapped[str | None] = mapped_column(String(50), nullable=True)
    legal_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class FoundingStep(SyncMixin, Base):
    """One step of a 建会 chain, append-only: who, when, which level, what it did."""

    __tablename__ = "union_founding_steps"
    __immutable__ = True

    founding_id: Mapped[str] = mapped_column(ForeignKey("union_foundings.id"), index=True)
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
    data: Mapped[str] = mapped_column(Text, default="{}")


install_triggers(FoundingStep.__table__, immutable_triggers("union_founding_steps", "founding steps"))


class Election(SyncMixin, Base):
    """A grassroots union's election (换届选举): the term, who could vote and who came, the
    candidates and their votes, and the approval of the results."""

    __tablename__ = "elections"

    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    term_no: Mapped[int] = mapped_column(Integer)  # 第几届
    election_on: Mapped[date] = mapped_column(Date, index=True)
    term_years: Mapped[int] = mapped_column(Integer)
    term_ends_on: Mapped[date] = mapped_column(Date, index=True)  # derived
    eligible: Mapped[int] = mapped_column(Integer)  # 应到会
    present: Mapped[int] = mapped_column(Integer)  # 实到会
    seats: Mapped[int] = mapped_column(Integer)  # 应选委员名额
    candidates: Mapped[int] = mapped_column(Integer)  # 委员候选人数
    margin: Mapped[int] = mapped_column(Integer)  # 差额 (derived)
    chair_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    vice_chairs: Mapped[str | None] = mapped_column(String(100), nullable=True)
    approval_no: Mapped[str | None] = mapped_column(String(60), nullable=True)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class ElectionCandidate(SyncMixin, Base):
    __tablename__ = "election_candidates"

    election_id: Mapped[str] = mapped_column(ForeignKey("elections.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[str] = mapped_column(String(12))  # committee | audit | women
    votes: Mapped[int] = mapped_column(Integer)
    elected: Mapped[bool] = mapped_column(Boolean, default=False)


class HomeAward(SyncMixin, Base):
    """模范职工之家 / 职工小家: application, scoring sheet, naming and the dynamic re-check."""

    __tablename__ = "home_awards"

    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    award_kind: Mapped[str] = mapped_column(String(8))  # home | small
    level: Mapped[str] = mapped_column(String(8))  # home_level
    team_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    applied_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)  # derived: the sheet's sum
    named_on: Mapped[date | None] = mapped_column(Date, index=True, nullable=True)
    naming_no: Mapped[str | None] = mapped_column(String(60), nullable=True)
    recheck_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rechecked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recheck_result: Mapped[str | None] = mapped_column(String(8), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class HomeAwardScore(SyncMixin, Base):
    __tablename__ = "home_award_scores"

    award_id: Mapped[str] = mapped_column(ForeignKey("home_awards.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(8))  # home_criterion
    points: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ReadingRoom(SyncMixin, Base):
    """职工书屋 of a union: its room, books held, level and acceptance."""

    __tablename__ = "reading_rooms"

    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(8), nullable=True)  # reading_level
    area: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)  # m²
    seats: Mapped[int | None] = mapped_column(Integer, nullable=True)
    books_held: Mapped[int] = mapped_column(Integer, default=0)
    opened_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    acceptance: Mapped[str | None] = mapped_column(String(200), nullable=True)
    keeps_loans: Mapped[bool] = mapped_column(Boolean, default=False)
    manager: Mapped[str | None] = mapped_column(String(50), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class BookDonation(SyncMixin, Base):
    """A batch of books given to a reading room (赠送图书): titles, copies, 码洋, acceptance."""

    __tablename__ = "book_donations"

    room_id: Mapped[str] = mapped_column(ForeignKey("reading_rooms.id"), index=True)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)  # the room's
    donated_on: Mapped[date] = mapped_column(Date, index=True)
    batch: Mapped[str | None] = mapped_column(String(100), nullable=True)
    donor: Mapped[str] = mapped_column(String(100))
    titles: Mapped[int] = mapped_column(Integer)  # 种
    copies: Mapped[int] = mapped_column(Integer)  # 册
    list_price_fen: Mapped[int] = mapped_column(Integer)  # 码洋
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    accepted_by: Mapped[str | None] = mapped_column(String(50), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class BookLoan(SyncMixin, Base):
    __tablename__ = "book_loans"
    __people__ = True

    room_id: Mapped[str] = mapped_column(ForeignKey("reading_rooms.id"), index=True)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)  # the room's
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    borrower: Mapped[str] = mapped_column(String(50))
    book_title: Mapped[str] = mapped_column(String(200))
    lent_on: Mapped[date] = mapped_column(Date, index=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    returned_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class TrainingSession(SyncMixin, Base):
    """工会干部培训班 or a 职工讲堂 session."""

    __tablename__ = "training_sessions"

    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)  # the organiser
    kind: Mapped[str] = mapped_column(String(8))  # training_kind
    title: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    hours: Mapped[int] = mapped_column(Integer)  # 课时
    place: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lecturer: Mapped[str | None] = mapped_column(String(100), nullable=True)
    content: Mapped[str | None] = mapped_column(Text, nullable=True)


class Trainee(SyncMixin, Base):
    """One person's attendance of a session: picked from the members (name, union filled in)."""

    __tablename__ = "trainees"
    __people__ = True

    session_id: Mapped[str] = mapped_column(ForeignKey("training_sessions.id"), index=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(50))
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    post: Mapped[str | None] = mapped_column(String(50), nullable=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)  # the session's first day
    hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    assessment: Mapped[str | None] = mapped_column(String(8), nullable=True)  # assessment
