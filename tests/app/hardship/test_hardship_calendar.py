"""Working days on the holiday and 调休 calendar: the app's own table, and beyond it."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.errors import PermissionDenied
from app.models import CalendarDay, CalendarYear
from app.services import calendar


def test_seeded_from_the_package_at_set_up(county):
    days, years = calendar.package_schedule()
    with county.db.read_session() as s:
        assert set(s.scalars(select(CalendarYear.year))) == years
        assert s.scalar(select(func.count()).select_from(CalendarDay)) == len(days)
        row = s.scalar(select(CalendarDay).where(CalendarDay.day == date(2024, 10, 1)))
        assert (row.is_workday, row.name, row.source) == (False, "国庆节", "package")
    with county.session("admin") as s:  # a second call adds nothing
        assert calendar.ensure_seeded(s, county.actors["admin"]) == 0


def test_window_skips_the_national_day_holiday(county):
    with county.db.read_session() as s:
        w = calendar.working_day_window(s, date(2024, 9, 30), 5)
    # 9-30 is day 1; 10-1 … 10-7 are holidays; 10-8 … 10-11 are days 2–5
    assert (w.start, w.end, w.exact) == (date(2024, 9, 30), date(2024, 10, 11), True)
    assert w.note == "按国家法定节假日和调休安排计算"


def test_a_tiaoxiu_sunday_counts_as_a_working_day(county):
    with county.db.read_session() as s:
        w = calendar.working_day_window(s, date(2024, 9, 28), 5)  # Saturday: a rest day
    # 2024-09-29 is a Sunday worked in exchange (调休): it is day 1
    assert (w.start, w.end) == (date(2024, 9, 29), date(2024, 10, 10))
    with county.db.read_session() as s:  # 9-29, 9-30, 10-8 … 10-11 and the 调休 Saturday 10-12
        assert calendar.working_days_between(s, date(2024, 9, 28), date(2024, 10, 12)) == (7, ())


def test_beyond_the_known_years_weekends_only_and_it_says_so(county):
    with county.db.read_session() as s:
        w = calendar.working_day_window(s, date(2099, 9, 30), 5)  # Wed 2099-09-30
    assert (w.start, w.end, w.exact, w.unknown_years) == (date(2099, 9, 30), date(2099, 10, 6), False, (2099,))
    assert "2099年的法定节假日安排尚未载入,按周末计算" in w.note


def test_the_administrator_publishes_a_new_year(county):
    admin = county.actors["admin"]
    with county.session("admin") as s:
        for d in range(1, 8):
            calendar.set_day(s, admin, date(2099, 10, d), is_workday=False, name="国庆节")
        calendar.set_day(s, admin, date(2099, 10, 10), is_workday=True, name="国庆节调休")
        calendar.publish_year(s, admin, 2099)
    with county.db.read_session() as s:
        w = calendar.working_day_window(s, date(2099, 9, 30), 5)
    # 9-30, then 10-8 (Thu), 10-9 (Fri), 10-10 (a 调休 Saturday), 10-12 (Mon)
    assert (w.end, w.exact) == (date(2099, 10, 12), True)
    with county.session("admin") as s:
        calendar.remove_day(s, admin, date(2099, 10, 10))
    with county.db.read_session() as s:
        assert calendar.working_day_window(s, date(2099, 9, 30), 5).end == date(2099, 10, 13)


@pytest.mark.parametrize("who", ["clerk", "reviewer", "auditor"])
def test_only_the_administrator_edits_the_calendar(county, who):
    with county.session(who) as s:
        with pytest.raises(PermissionDenied):
            calendar.set_day(s, county.actors[who], date(2099, 1, 1), is_workday=False, name="元旦")
