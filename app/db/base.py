"""Declarative base and the sync-ready columns every travelling record carries (DESIGN.md §3)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.clock import utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def new_id() -> str:
    return str(uuid.uuid4())


def new_id_in(session) -> str:
    """A new record id for a row written in ``session``: random, or the next of the session's
    own ids (``session.info["new_id"]``: the demo draws them from its seeded generator, so one
    seed gives the same records)."""
    make = session.info.get("new_id")
    return make() if make is not None else new_id()


class SyncMixin:
    """Columns that let a row travel between installations in bundles.

    - ``id``: UUID text, never reused.
    - ``owner_unit_id``: the unit whose installation owns the row (NULL for built-in reference rows).
    - ``revision``: +1 on every change; ``change_seq``: this installation's change counter at the
      last change (grows on every insert, update and tombstone; incremental export reads it).
    - ``vv``: version vector ``{device_id: counter}`` as compact JSON, for conflict detection.
    - ``deleted``: tombstone; rows that may have left the machine are never hard-deleted.
    The values are maintained by ``app.db.tracking`` on flush, never by hand.
    """

    __sync__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)

    @declared_attr
    def owner_unit_id(cls) -> Mapped[str | None]:
        return mapped_column(String(36), ForeignKey("units.id"), index=True, nullable=True)

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    change_seq: Mapped[int] = mapped_column(Integer, default=0, index=True)
    vv: Mapped[str] = mapped_column(Text, default="{}")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    # Columns that are bookkeeping of this installation only: left out of content hashes and of
    # field-level diffs (the audit log records what the user changed, not our counters).
    LOCAL_COLUMNS = frozenset({"change_seq"})
    META_COLUMNS = frozenset(
        {"id", "owner_unit_id", "created_at", "created_by", "updated_at", "updated_by",
         "revision", "change_seq", "vv", "deleted"}
    )


def is_synced(obj_or_cls) -> bool:
    return getattr(obj_or_cls, "__sync__", False)


def synced_tables() -> list:
    """Every table whose rows travel, in dependency order (parents before children)."""
    return [t for t in Base.metadata.sorted_tables if "change_seq" in t.c and "vv" in t.c]
