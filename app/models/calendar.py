"""The working-day calendar: national holidays and 调休 working weekends, by year.

Seeded from the ``chinesecalendar`` package, edited by the administrator, and sent down by the city
in bundles, so the rows travel and have the same id everywhere (UUIDv5 of the date or year). A year
counts as known only when a ``work_calendar_years`` row says so; beyond the known years working
days are computed from weekends alone, and callers say so.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, SyncMixin

CALENDAR_NAMESPACE = uuid.UUID("2b0f7f5e-8d0a-4c39-b1f6-5a0c7e9d4e21")


def calendar_day_id(day: date) -> str:
    return str(uuid.uuid5(CALENDAR_NAMESPACE, f"day:{day.isoformat()}"))


def calendar_year_id(year: int) -> str:
    return str(uuid.uuid5(CALENDAR_NAMESPACE, f"year:{year}"))


class CalendarDay(SyncMixin, Base):
    """An exception to the weekend rule: a holiday (is_workday false) on a weekday, a day of a
    holiday period, or a 调休 working Saturday/Sunday (is_workday true)."""

    __tablename__ = "work_calendar_days"

    day: Mapped[date] = mapped_column(Date)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(50), default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")  # package | manual | city

    __table_args__ = (Index("ix_work_calendar_days_day", "day", unique=True),)


class CalendarYear(SyncMixin, Base):
    """A year whose holiday schedule is complete in ``work_calendar_days``."""

    __tablename__ = "work_calendar_years"

    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="package")

    __table_args__ = (Index("ix_work_calendar_years_year", "year", unique=True),)
