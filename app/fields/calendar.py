"""The working-day calendar (the administrator's 节假日 page)."""

from __future__ import annotations

from app.fields.spec import Field, Kind, RecordSpec
from app.models import CalendarDay, CalendarYear

SOURCE_CHOICES = (("package", "内置(chinesecalendar)"), ("manual", "手工维护"), ("city", "市总下发"))

CALENDAR_DAY = RecordSpec(
    key="calendar_day",
    title="节假日调休",
    model=CalendarDay,
    display_key="day",
    default_sort="day",
    fields=(
        Field("day", "日期", Kind.DATE, required=True, width=11),
        Field("is_workday", "上班", Kind.BOOL, required=True, width=6,
              help="“是”为调休上班的周末;“否”为放假"),
        Field("name", "节日", max_len=50, width=12),
        Field("source", "来源", Kind.CODE, choices=SOURCE_CHOICES, readonly=True, width=12),
    ),
)

CALENDAR_YEAR = RecordSpec(
    key="calendar_year",
    title="已发布节假日年度",
    model=CalendarYear,
    display_key="year",
    default_sort="year",
    fields=(
        Field("year", "年度", Kind.YEAR, required=True, min_value=2000, max_value=2100, width=6),
        Field("source", "来源", Kind.CODE, choices=SOURCE_CHOICES, readonly=True, width=12),
    ),
)

SPECS = (CALENDAR_DAY, CALENDAR_YEAR)
