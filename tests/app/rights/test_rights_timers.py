"""A ticket's time limits on the holiday / 调休 calendar, stored on every save and by the steps,
from the settings an administrator changes."""

from datetime import date

import pytest

from app.errors import PermissionDenied
from app.models.rights_tickets import RightsTicket
from tests.app.rights.helpers import act, get, new_ticket

# 2026: 国庆 and 中秋 holidays 10-01 … 10-07; Saturday 10-10 is worked in exchange (调休).
BEFORE_NATIONAL_DAY = date(2026, 9, 30)


def _ticket(county, **values):
    return get(county, RightsTicket, new_ticket(county, **values))


def test_a_limit_in_working_days_skips_the_holiday_and_counts_the_tiaoxiu_saturday(county):
    t = _ticket(county, received_on="2026-09-30", category="1", sub_item="102", complexity="normal")
    # five working days after 9-30: 10-8 (Thu), 10-9 (Fri), 10-10 (the 调休 Saturday), 10-12, 10-13
    assert (t.due_on, t.accept_due_on, t.petition, t.due_note) == (date(2026, 10, 13), None, False, None)
    hard = _ticket(county, received_on="2026-09-30", category="1", sub_item="102", complexity="hard")
    assert hard.due_on == date(2026, 10, 27)  # fifteen working days


def test_a_petition_has_the_15_day_acceptance_then_60_days_from_acceptance(county):
    t = _ticket(county, received_on="2026-09-30")  # 信访投诉
    assert t.petition and t.due_on is None  # handling is timed from acceptance
    assert t.accept_due_on == date(2026, 10, 27)  # 15 working days, across the holiday
    act(county, t.id, "accept", acted_on="2026-10-09")
    t = get(county, RightsTicket, t.id)
    # sixty working days after 10-9: the 调休 Saturday 10-10 is the first, 12-31 the sixtieth
    assert t.accepted_on == date(2026, 10, 9) and t.due_on == date(2026, 12, 31)


def test_petition_days_may_count_as_calendar_days_moved_past_a_holiday(county):
    from app.services import settings

    with county.session("admin") as s:
        settings.put(s, county.actors["admin"], "rights_petition_working_days", 0)
    t = _ticket(county, received_on="2026-09-30")
    assert t.accept_due_on == date(2026, 10, 15)  # 9-30 + 15 days, a Thursday
    t = _ticket(county, received_on="2026-09-17")
    assert t.accept_due_on == date(2026, 10, 8)  # 10-2 falls in the holiday: the next working day


def test_the_administrator_changes_a_limit_and_new_tickets_follow_it(county):
    from app.services import settings

    with county.session("clerk") as s, pytest.raises(PermissionDenied):
        settings.put(s, county.actors["clerk"], "rights_limit_normal", 3)
    with county.session("admin") as s:
        settings.put(s, county.actors["admin"], "rights_limit_normal", 3)
    t = _ticket(county, received_on="2026-09-30", category="1", sub_item="102")
    assert t.due_on == date(2026, 10, 10)  # the 调休 Saturday is the third working day


def test_an_extension_moves_the_petition_limit_once(county):
    from app.errors import AppError

    ticket_id = new_ticket(county, received_on="2026-09-30")
    act(county, ticket_id, "accept", acted_on="2026-10-09")
    with pytest.raises(PermissionDenied):  # a 审核人 decides an extension
        act(county, ticket_id, "extend", days=30, opinion="需调查取证")
    act(county, ticket_id, "extend", who="reviewer", days=30, opinion="需调查取证")
    t = get(county, RightsTicket, ticket_id)
    assert (t.extended_days, t.due_on) == (30, date(2027, 2, 11))
    assert "2027年的节假日安排尚未载入" in t.due_note  # 2027 is counted from weekends only
    with pytest.raises(AppError, match="不能再次延期"):
        act(county, ticket_id, "extend", who="reviewer", days=5, opinion="再延")


def test_only_petitions_are_extended(county):
    from app.errors import AppError

    ticket_id = new_ticket(county, category="1", sub_item="102")
    act(county, ticket_id, "accept")
    with pytest.raises(AppError, match="只有信访事项"):
        act(county, ticket_id, "extend", who="reviewer", days=5, opinion="需调查")


def test_beyond_the_known_years_the_limit_says_it_counted_weekends_only(county):
    from app.services import calendar

    with county.db.read_session() as s:
        d = calendar.deadline_after(s, date(2099, 9, 30), 5)
    assert d.due == date(2099, 10, 7) and d.unknown_years == (2099,)


def test_how_a_timer_stands(county):
    from app.services.rights import timers

    due = date(2026, 10, 13)
    with county.db.read_session() as s:
        def state(on, done=None):
            t = timers.timer(s, "handle", "办理期限", due, done, on)
            return t.state, t.text
        assert state(date(2026, 9, 30)) == ("ok", "剩 5 个工作日")
        assert state(date(2026, 10, 9)) == ("ok", "剩 3 个工作日")  # 10-10 (调休), 10-12, 10-13
        assert state(date(2026, 10, 12)) == ("near", "剩 1 个工作日")
        assert state(date(2026, 10, 13)) == ("near", "今天到期")
        assert state(date(2026, 10, 15)) == ("overdue", "已逾期 2 个工作日")
        assert state(date(2026, 10, 15), date(2026, 10, 12))[0] == "met"
        assert state(date(2026, 10, 20), date(2026, 10, 14)) == ("late", "逾期 1 个工作日完成(2026-10-14)")
