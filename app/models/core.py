"""This installation's identity, its local settings, and the tree of union units."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.db.base import Base, SyncMixin


class Installation(Base):
    """One row: who this installation is. Local only, never exported as a record."""

    __tablename__ = "installation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    root_unit_id: Mapped[str] = mapped_column(String(36), ForeignKey("units.id"))
    level: Mapped[str] = mapped_column(String(10))  # "county" | "city"
    device_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Device ids this database used before a restore or copy took a new identity (DESIGN §5).
    previous_device_ids: Mapped[str] = mapped_column(Text, default="[]")
    # What the unit calls this PC ("办公室一号机"): on its key card, file names' readers and the
    # 收发记录 of its peers (two PCs of one unit are told apart by it)
    device_name: Mapped[str] = mapped_column(String(50), default="", server_default="")


class LocalState(Base):
    """Key/value store for this installation's counters and settings (not synchronised)."""

    __tablename__ = "local_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Unit(SyncMixin, Base):
    """A union organisation: the city or county federation, township / street / system unions,
    and grassroots unions (基层工会) with their enterprise."""

    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # code table unit_kind
    code: Mapped[str | None] = mapped_column(String(20), nullable=True)  # GB/T 2260 or 统计用区划代码
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    union_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    enterprise_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    unit_nature: Mapped[str | None] = mapped_column(String(10), nullable=True)
    industry: Mapped[str | None] = mapped_column(String(10), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    worker_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    female_worker_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    migrant_worker_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_member_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    chair_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    chair_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    founded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (Index("ix_units_kind_name", "kind", "name"),)
