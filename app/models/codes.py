"""Code tables (字典): 民族, 政治面貌, 学历, 困难类别, … Seeded from ``resources/codes``, editable by
the administrator, and sent down by the city in bundles, so each item is a travelling record."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin

# Built-in items get the same id on every installation, so an edit made at the city and sent down
# lands on the county's copy of the same item instead of creating a twin.
CODE_NAMESPACE = uuid.UUID("6f1c1a52-3d0e-4c55-9a53-2c1e7d0b9a10")


def builtin_code_id(table: str, code: str) -> str:
    return str(uuid.uuid5(CODE_NAMESPACE, f"{table}:{code}"))


class CodeItem(SyncMixin, Base):
    __tablename__ = "code_items"

    table_key: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    parent_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("table_key", "code"),)
