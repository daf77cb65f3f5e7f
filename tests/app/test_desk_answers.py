"""What the desk asks the core instead of deciding itself: what a user may do, the periods a
statistics tab offers, and a query as the filters a list holds (a home figure, a drill-down)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.kit.figures import area_figures, figure_query, periods
from app.models import Unit
from app.security import abilities
from app.services import codes, listing, records
from app.services.audit_view import recent_entries
from app.services.listing import ListQuery, Range

ABILITIES = ("may_read", "may_reveal", "may_export", "may_exchange", "may_resolve_conflicts",
             "may_manage_users", "may_change_settings", "may_read_audit", "may_backup")
EXPECTED = {
    "admin": {"may_read", "may_exchange", "may_manage_users", "may_change_settings",
              "may_read_audit", "may_backup"},
    "clerk": {"may_read", "may_reveal", "may_export", "may_exchange", "may_resolve_conflicts"},
    "reviewer": {"may_read", "may_reveal", "may_export"},
    "auditor": {"may_read", "may_read_audit"},
    "readonly": {"may_read"},
}


def test_periods_start_with_the_current_half_year():
    assert [p[0] for p in periods(date(2026, 12, 4))] == ["2026年下半年", "2026年", "2026年上半年", "2025年"]
    assert periods(date(2026, 12, 4))[0][1:] == (date(2026, 7, 1), date(2026, 12, 31))
    assert [p[0] for p in periods(date(2026, 3, 1))] == ["2026年上半年", "2026年", "2025年下半年", "2025年"]
    assert periods(date(2026, 3, 1))[2][1:] == (date(2025, 7, 1), date(2025, 12, 31))


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_is_offered_what_its_services_allow(actors, role):
    actor = actors[role]
    assert {name for name in ABILITIES if getattr(abilities, name)(actor)} == EXPECTED[role]


def test_an_answer_is_the_services_own_rule(db, actors):
    """Where the desk shows a button by an answer, the service behind it agrees with it."""
    with db.session(actors["admin"]) as s:
        for role, actor in actors.items():
            if abilities.may_read_audit(actor):
                recent_entries(s, actor, limit=1)
            else:
                with pytest.raises(PermissionDenied):
                    recent_entries(s, actor, limit=1)
            assert records.may_write(actor, "code_item") == (role == "admin")
            if not records.may_write(actor, "code_item"):
                with pytest.raises(PermissionDenied):
                    codes.add_item(s, actor, "member_status", "9", "测试")
    assert records.may_write(actors["admin"], "user") and not records.may_write(actors["clerk"], "user")
    assert records.may_write(actors["admin"], "unit")  # a register: its declared MANAGE_UNITS
    assert not records.may_write(actors["admin"], "member") and records.may_write(actors["clerk"], "member")


def test_a_query_as_list_filters_lists_the_same_records(db, clerk):
    """A figure's query flattened into a list's filters (period as a Range on the period field,
    unit as ``unit``) and read back as the list builds it counts the same records."""
    joined = next(f for f in area_figures("organisation") if f.key == "members_joined")
    d0, d1 = date(1950, 1, 1), date(2100, 12, 31)
    with db.read_session() as s:
        township = s.scalars(select(Unit.id).where(Unit.kind == "township", Unit.deleted.is_(False))).first()
        query = figure_query(joined, d0, d1, township)
        filters = query.as_filters()
        assert filters["event_date"] == Range(d0, d1) and filters["unit"] == township
        unit = filters.pop("unit")
        again = ListQuery.of("membership_event", filters=filters, unit=unit)
        assert listing.count(s, clerk, again) == listing.count(s, clerk, query) > 0
        everywhere = listing.count(s, clerk, figure_query(joined, d0, d1, None))
        assert everywhere > listing.count(s, clerk, query)  # the unit really narrowed it
