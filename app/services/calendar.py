"""Working days on the Chinese holiday and 调休 calendar (公示 windows, leave, deadlines).

The app keeps its own table (``work_calendar_days``), seeded from the ``chinesecalendar`` package,
edited by the administrator and sent down by the city: office PCs stay on the package version they
were installed with, while each new year's schedule is published around November. A year is known
when ``work_calendar_years`` lists it; for a date in an unknown year only weekends are skipped, and
the result says so in its ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.db.bulk import Stamper
from app.db.tracking import reserve_change_seqs
from app.errors import AppError
from app.models import CalendarDay, CalendarYear
from app.models.calendar import calendar_day_id, calendar_year_id
from app.security import audit
from app.security.roles import Perm

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
_CACHE_KEY = "work_calendar"


def package_schedule() -> tuple[dict[date, tuple[bool, str]], set[int]]:
    """The holidays and 调休 working days the installed ``chinesecalendar`` knows, and its years."""
    from chinese_calendar import constants

    days = {d: (False, HOLIDAY_NAMES.get(n, n)) for d, n in constants.holidays.items()}
    days.update({d: (True, HOLIDAY_NAMES.get(n, n) + "调休") for d, n in constants.workdays.items()})
    return days, {d.year for d in days}


def ensure_seeded(session: Session, actor) -> int:
    """Load the package's years that this database has never had (first set-up, or a newer package
    after an upgrade). Years present, even edited or removed, are left alone."""
    have = set(session.scalars(select(CalendarYear.year)))
    days, years = package_schedule()
    missing = sorted(years - have)
    if not missing:
        return 0
    existing = set(session.scalars(select(CalendarDay.day).where(
        CalendarDay.day >= date(missing[0], 1, 1))))
    day_rows = [{"id": calendar_day_id(d), "day": d, "is_workday": w, "name": n, "source": "package"}
                for d, (w, n) in sorted(days.items()) if d.year in missing and d not in existing]
    year_rows = [{"id": calendar_year_id(y), "year": y, "source": "package"} for y in missing]
    stamper = Stamper(first_seq=reserve_change_seqs(session, len(day_rows) + len(year_rows)),
                      device_id=session.info.get("device_id") or "", username=actor.username,
                      owner_unit_id=None, builtin=True)
    if day_rows:
        session.execute(insert(CalendarDay), [stamper.stamp(r) for r in day_rows])
    session.execute(insert(CalendarYear), [stamper.stamp(r) for r in year_rows])
    audit.append(session, action="codes_seed", actor=actor, object_type="work_calendar_days",
                 summary=f"载入节假日安排 {missing[0]}–{missing[-1]} 年,共 {len(day_rows)} 天")
    session.info.pop(_CACHE_KEY, None)
    return len(day_rows)


class WorkCalendar:
    """The calendar as loaded from one database (cached per session)."""

    def __init__(self, days: dict[date, tuple[bool, str]], years: set[int]):
        self.days = days
        self.years = years

    @classmethod
    def load(cls, session: Session) -> WorkCalendar:
        cal = session.info.get(_CACHE_KEY)
        if cal is None:
            days = {d: (bool(w), n) for d, w, n in session.execute(
                select(CalendarDay.day, CalendarDay.is_workday, CalendarDay.name)
                .where(CalendarDay.deleted.is_(False)))}
            years = set(session.scalars(select(CalendarYear.year)
                                        .where(CalendarYear.deleted.is_(False))))
            cal = session.info[_CACHE_KEY] = cls(days, years)
        return cal

    def known(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: date) -> bool:
        if self.known(day.year) and day in self.days:
            return self.days[day][0]
        return day.weekday() < 5


@dataclass(frozen=True)
class Window:
    start: date  # the first working day counted (the requested start, or the next working day)
    end: date  # the last working day of the window
    days: int
    unknown_years: tuple[int, ...]  # years computed from weekends only

    @property
    def exact(self) -> bool:
        return not self.unknown_years

    @property
    def note(self) -> str:
        if self.exact:
            return "按国家法定节假日和调休安排计算"
        years = "、".join(str(y) for y in self.unknown_years)
        return (f"{years}年的法定节假日安排尚未载入,按周末计算(未考虑节假日和调休),"
                "请在节假日表更新后核对")


def working_day_window(session: Session, start: date, days: int) -> Window:
    """The window of ``days`` working days beginning on ``start`` (or on the first working day
    after it, when ``start`` is a holiday or weekend)."""
    if days < 1:
        raise AppError("工作日数至少为 1")
    cal = WorkCalendar.load(session)
    unknown: set[int] = set()
    day, counted, first = start, 0, None
    while True:
        if not cal.known(day.year):
            unknown.add(day.year)
        if cal.is_workday(day):
            counted += 1
            first = first or day
            if counted == days:
                return Window(first, day, days, tuple(sorted(unknown)))
        day += timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    due: date
    unknown_years: tuple[int, ...]  # years computed from weekends only

    @property
    def exact(self) -> bool:
        return not self.unknown_years


def deadline_after(session: Session, start: date, days: int, *, working: bool = True) -> Deadline:
    """The last day of a time limit of ``days`` that starts the day after ``start`` (the day of
    receipt is not counted): the ``days``-th working day after it; or, counted in calendar days
    (``working=False``), ``start + days`` moved on to the next working day when it falls on a
    weekend or holiday (as 期间 are counted when the last day is a 法定休假日)."""
    if not working:
        cal = WorkCalendar.load(session)
        due, unknown = start + timedelta(days=days), set()
        while True:
            if not cal.known(due.year):
                unknown.add(due.year)
            if cal.is_workday(due):
                return Deadline(due, tuple(sorted(unknown)))
            due += timedelta(days=1)
    window = working_day_window(session, start + timedelta(days=1), days)
    return Deadline(window.end, window.unknown_years)


def working_days_between(session: Session, start: date, end: date) -> tuple[int, tuple[int, ...]]:
    """Working days from ``start`` to ``end`` inclusive, and the years computed from weekends only."""
    cal = WorkCalendar.load(session)
    n, unknown, day = 0, set(), start
    while day <= end:
        if not cal.known(day.year):
            unknown.add(day.year)
        n += cal.is_workday(day)
        day += timedelta(days=1)
    return n, tuple(sorted(unknown))


# -- administration ------------------------------------------------------------------------------
def set_day(session: Session, actor, day: date, *, is_workday: bool, name: str = "",
            source: str = "manual") -> CalendarDay:
    """Add or change one day (a newly published holiday, or a 调休 working weekend)."""
    actor.require(Perm.MANAGE_CODES, "维护节假日表")
    row = session.get(CalendarDay, calendar_day_id(day))
    if row is None:
        row = CalendarDay(id=calendar_day_id(day), day=day, is_workday=is_workday, name=name.strip(),
                          source=source)
        session.add(row)
    else:
        row.is_workday, row.name, row.source, row.deleted = is_workday, name.strip(), source, False
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    return row


def remove_day(session: Session, actor, day: date) -> None:
    """Back to the weekend rule for that day (the row is tombstoned so the removal travels)."""
    actor.require(Perm.MANAGE_CODES, "维护节假日表")
    row = session.get(CalendarDay, calendar_day_id(day))
    if row is None or row.deleted:
        raise AppError(f"{day.isoformat()} 不在节假日表中")
    row.deleted = True
    session.flush()
    session.info.pop(_CACHE_KEY, None)


def publish_year(session: Session, actor, year: int, source: str = "manual") -> CalendarYear:
    """Declare a year's schedule complete: from now on its dates follow the table, not weekends."""
    actor.require(Perm.MANAGE_CODES, "维护节假日表")
    row = session.get(CalendarYear, calendar_year_id(year))
    if row is None:
        row = CalendarYear(id=calendar_year_id(year), year=year, source=source)
        session.add(row)
    else:
        row.deleted, row.source = False, source
    session.flush()
    session.info.pop(_CACHE_KEY, None)
    return row


def list_days(session: Session, year: int) -> list[CalendarDay]:
    return list(session.scalars(
        select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31),
                                  CalendarDay.deleted.is_(False)).order_by(CalendarDay.day)))


def known_years(session: Session) -> list[int]:
    return sorted(WorkCalendar.load(session).years)
