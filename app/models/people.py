"""The union member register (会员), which hardship, honours and events refer to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin


class Member(SyncMixin, Base):
    __tablename__ = "members"
    # Bundle import: a new record with the ID number of another live record is a possible duplicate
    # person to merge by hand (app.sync.policy).
    __person_key__ = "id_number"

    name: Mapped[str] = mapped_column(String(50))
    # Precomputed for search by pinyin (张三: "zhangsan" and "zs"); kept by the service.
    name_pinyin: Mapped[str] = mapped_column(String(120), default="")
    name_initials: Mapped[str] = mapped_column(String(20), default="")
    id_number: Mapped[str] = mapped_column(String(18))
    gender: Mapped[str] = mapped_column(String(1))  # derived from the ID number
    birth_date: Mapped[date] = mapped_column(Date)  # derived from the ID number
    ethnicity: Mapped[str | None] = mapped_column(String(4), nullable=True)
    political_status: Mapped[str | None] = mapped_column(String(4), nullable=True)
    education: Mapped[str | None] = mapped_column(String(4), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # union_id, joined_on and status derive from the member's 会籍 events (membership_events)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    department: Mapped[str | None] = mapped_column(String(100), nullable=True)
    post: Mapped[str | None] = mapped_column(String(50), nullable=True)
    joined_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    card_no: Mapped[str | None] = mapped_column(String(30), nullable=True)
    status: Mapped[str] = mapped_column(String(4), default="1")  # code table member_status
    hukou_type: Mapped[str | None] = mapped_column(String(4), nullable=True)  # 户籍类型
    is_migrant_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    is_model_worker: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_members_id_number", "id_number"),
        Index("ix_members_union_id_name", "union_id", "name"),
        # Search by a name or by pinyin initials, sorted by pinyin, answered from the index alone
        # (app.services.listing): the prefix column, the sort column, the tombstone.
        Index("ix_members_name_sort", "name", "name_pinyin", "deleted"),
        Index("ix_members_initials_sort", "name_initials", "name_pinyin", "deleted"),
        Index("ix_members_name_pinyin", "name_pinyin"),
        Index("ix_members_phone", "phone"),
    )
