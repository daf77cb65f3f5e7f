"""困难职工帮扶 on the home page: each figure's target lists exactly the records it counts, and a
step waiting for a user is that user's 待办, opening the archive."""

from decimal import Decimal

from app.clock import today
from app.services import dashboard, listing
from app.services.hardship import ledger
from app.services.listing import ListQuery
from tests.app.hardship.helpers import drive, id_number, make_archive


def test_figures_count_what_their_lists_show(county):
    from datetime import date

    done = make_archive(county, "a")
    drive(county, done)
    waiting = make_archive(county, "c", id_no=id_number("341122", date(1980, 1, 1), 19), members=[])
    drive(county, waiting, "township")
    make_archive(county, "b", id_no=id_number("341122", date(1981, 2, 2), 27), members=[])  # draft
    with county.session("clerk") as s:
        ledger.record_relief(s, county.actors["clerk"], {
            "paid_on": today().isoformat(), "kind": "living", "recipient_kind": "worker",
            "archive_id": done, "cash_fen": "1500", "fund_source": "county"})
    clerk = county.actors["clerk"]
    with county.db.read_session() as s:
        figures = {f.label: f for f in dashboard.figures(s, clerk) if f.group == "困难职工帮扶"}
        assert figures["在档困难职工"].value == 1 and figures["审核中档案"].value == 1
        assert figures[f"{today().year}年救助金额"].value == Decimal("0.15")  # 1,500 元 in 万元
        for f in figures.values():
            if f.unit == "万元":
                continue  # an amount, not a count of records
            query = ListQuery.of(f.target.tab, filters=f.target.filters)
            assert listing.count(s, clerk, query) == f.value, f.label


def test_a_step_waiting_for_a_user_is_their_todo(county):
    archive_id = make_archive(county, "a")
    drive(county, archive_id, "township")  # waits for the centre's 审核人
    with county.db.read_session() as s:
        mine = [t for t in dashboard.todos(s, county.actors["reviewer"])
                if t.target.page == "hardship"]
        assert [t.target.filters for t in mine] == [{"open": archive_id}]
        assert mine[0].target.tab == "hardship_archive" and "张三" in mine[0].text
        assert not [t for t in dashboard.todos(s, county.actors["approver"]) if t.target.page == "hardship"]
