"""Issue 12, point 4: lists are live — after a save or a workflow step in a record's form (even
one closed with 关闭), every open list of that record type shows the new state; dated lists open
newest first."""

from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import Member


def _list(qtbot, ctx, binding):
    from ui.widgets.list_page import ListPage

    page = ListPage(ctx, binding)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=10_000)
    return page


def _name_in(page, record_id):
    keys = [c.key for c in page.model.columns]
    return page.model.rows[page.model.row_of(record_id)].texts[keys.index("name")]


class _StepThenClose:
    """A record's form in which the clerk takes a step that writes (as a chain step does, saved
    and announced on the bus) and then closes with 关闭."""

    def __init__(self, ctx, record_id):
        self.ctx, self.record_id, self.saved_id = ctx, record_id, None

    def exec(self):
        with self.ctx.write() as s:
            s.get(Member, self.record_id).name = "步骤后"
        self.ctx.notify_saved("member", "已办理")
        return 0  # 关闭: rejected


def test_a_step_taken_in_a_form_closed_with_close_shows_in_every_open_list(qtbot, db, clerk_ctx):
    from ui.pages.organisation import MEMBER_BINDING

    acting = _list(qtbot, clerk_ctx, MEMBER_BINDING)
    other = _list(qtbot, clerk_ctx, MEMBER_BINDING)  # the same register open on another page
    record_id = acting.model.rows[0].id
    acting.view.setCurrentIndex(acting.model.index(0, 0))
    acting.make_form = lambda rid: _StepThenClose(clerk_ctx, rid)
    acting.open_current()
    qtbot.waitUntil(lambda: _name_in(acting, record_id) == "步骤后", timeout=10_000)
    qtbot.waitUntil(lambda: not other.model.loading and other.model.row_of(record_id) >= 0
                    and _name_in(other, record_id) == "步骤后", timeout=10_000)
    with db.read_session() as s:
        assert s.scalar(select(Member.name).where(Member.id == record_id)) == "步骤后"


def test_dated_lists_open_newest_first(qtbot, clerk_ctx):
    from ui.pages.hardship.bindings import LEDGER_BINDING, PLAN_BINDING

    ledger = _list(qtbot, clerk_ctx, LEDGER_BINDING)
    keys = [c.key for c in ledger.model.columns]
    paid = [row.values[keys.index("paid_on")] for row in ledger.model.rows]
    assert len(paid) > 3 and all(isinstance(d, date) for d in paid)
    assert paid == sorted(paid, reverse=True)
    header = ledger.view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        keys.index("paid_on"), Qt.SortOrder.DescendingOrder)
    plans = _list(qtbot, clerk_ctx, PLAN_BINDING)  # 下次回访日期: the soonest due stays on top
    assert plans.view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
