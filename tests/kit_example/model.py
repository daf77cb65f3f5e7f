"""The example register's table: the sync columns come with ``SyncMixin``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin


class KitExample(SyncMixin, Base):
    __tablename__ = "kit_examples"

    held_on: Mapped[date] = mapped_column(Date, index=True)
    union_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8))
    people: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact_id_number: Mapped[str | None] = mapped_column(String(18), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.id"), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
