"""The home page's figures count what they say, and lead to the records they count."""

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import today, utcnow
from app.models import Member, Unit, User
from app.models.organisation import MembershipEvent
from app.services import dashboard, listing
from app.services.listing import ListQuery


def _figure(figures, label_part):
    return next(f for f in figures if label_part in f.label)


def test_figures_match_the_register_and_open_their_records(db, clerk):
    with db.read_session() as s:
        figures = dashboard.figures(s, clerk)
        live = s.scalars(select(Member).where(Member.deleted.is_(False),
                                              Member.status.in_(("1", "3")))).all()
        year = today().year
        assert _figure(figures, "在册会员").value == len(live)
        new = _figure(figures, "新入会")  # each 入会 of the year, whatever became of the member since
        joins = s.scalars(select(MembershipEvent.event_date).where(
            MembershipEvent.kind == "join", MembershipEvent.deleted.is_(False))).all()
        assert new.value == sum(1 for d in joins if d and d.year == year) > 0
        assert _figure(figures, "农民工").value == sum(m.is_migrant_worker for m in live)
        grassroots = s.scalar(select(func.count()).select_from(Unit).where(
            Unit.kind.in_(("grassroots", "federation")), Unit.deleted.is_(False)))
        assert _figure(figures, "基层工会").value == grassroots
        for f in figures:  # each figure's target lists exactly the records it counts
            if f.target.page != "organisation":
                continue  # an area's own figures are tested with the area
            if f.unit in ("册", "万元"):  # a sum, not a count of its records
                continue
            filters = dict(f.target.filters)  # a figure's own period and unit, as a list holds them
            unit = filters.pop("unit", None)
            query = ListQuery.of(f.target.tab, filters=filters, unit=unit)
            assert listing.count(s, clerk, query) == f.value, f.label


def test_locked_accounts_are_a_todo_for_the_administrator(db, admin, clerk):
    with db.session(admin) as s:
        s.scalar(select(User).where(User.username == "reviewer")).locked_until = utcnow() + timedelta(minutes=5)
    with db.read_session() as s:
        todos = [t for t in dashboard.todos(s, admin) if t.target.page == "system"]
        assert len(todos) == 1 and "1 个账户" in todos[0].text
        assert [t for t in dashboard.todos(s, clerk) if t.target.page == "system"] == []
