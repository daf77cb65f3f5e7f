"""The city's desk (issue 16, points 1 and 4): every list with a 县(区) column and filter, a county's
record read-only with its 作废 and 更正 turned into requests, 冲突处理 by county with the requests
answered at the county, and the home page's county table."""

from __future__ import annotations

from sqlalchemy import select

from app.models import ChangeRequest, Member
from app.services.units import root_unit_id
from tests.ui.conftest import make_ctx
from ui.workers import wait_for_jobs


def _city(net):
    a, b, c = net["a1"], net["b"], net["c"]
    c.recv(a.send(c))
    c.recv(b.send(c))
    return a, b, c


def _members(qtbot, ctx):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.list_page import ListPage

    page = ListPage(ctx, MEMBER_BINDING)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.model.loading and page.model.total is not None, timeout=20_000)
    return page


def test_lists_at_the_city_say_which_county_and_filter_by_it(net, qtbot):
    a, _b, c = _city(net)
    page = _members(qtbot, make_ctx(c.db, c.clerk))
    assert page.model.columns[0].label == "县(区)" and page.model.total == 6
    assert {page.model.rows[i].texts[0] for i in range(6)} == {"示例县总工会", "邻县总工会"}
    combo = page.filters.widgets["owner_unit_id"]
    combo.setCurrentIndex(combo.findData(root_unit_id("341122")))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: page.model.total == 3, timeout=20_000)
    county = _members(qtbot, make_ctx(a.db, a.clerk))  # a county's own lists stay as they were
    assert county.model.columns[0].label != "县(区)" and "owner_unit_id" not in county.filters.widgets
    assert wait_for_jobs(20_000)


def test_a_countys_record_at_the_city_is_changed_only_by_request(net, qtbot, answer):
    from ui.pages.organisation import MEMBER_BINDING
    from ui.widgets.record_form import RecordFormDialog

    a, _b, c = _city(net)
    ctx = make_ctx(c.db, c.clerk)
    page = _members(qtbot, ctx)
    mid = next(r.id for r in page.model.rows if r.values[0] == root_unit_id("341122"))
    form = RecordFormDialog(ctx, MEMBER_BINDING, mid, page)
    qtbot.addWidget(form)
    assert form.request_mode and form.save_button.text() == "提交更正请求"
    assert "示例县总工会" in form.owner_notice.text() and not form.owner_notice.isHidden()
    form.cells["post"].editor.set_stored("电工")
    answer(text="档案记载为电工")
    assert form.save()
    page.select_record(mid)
    assert page.void_action.text() == "请求作废"
    answer(text="此人已调往外地")
    page.void_current()
    with c.db.read_session() as s:
        asked = {r.action: r.changes for r in s.scalars(select(ChangeRequest))}
        assert set(asked) == {"correct", "void"} and "电工" in asked["correct"]
        assert s.get(Member, mid).post != "电工" and not s.get(Member, mid).deleted  # unchanged here
    # the county answers in its 冲突处理
    from ui.pages.exchange.conflicts_tab import ConflictsTab

    a.recv(c.send(a))
    county = ConflictsTab(make_ctx(a.db, a.clerk))
    qtbot.addWidget(county)
    qtbot.waitUntil(lambda: len(county.views) == 2, timeout=20_000)
    assert {v.kind for v in county.views} == {"request"}
    void = next(v for v in county.views if v.fields and v.fields[0].key == "deleted")
    dialog = county.make_dialog(void)
    qtbot.addWidget(dialog)
    assert "执行" in dialog.action_buttons and "此人已调往外地" in void.resolution
    dialog.action_buttons["执行"].click()
    assert a.stats("341122") != c.stats("341122")
    with a.db.read_session() as s:
        assert s.get(Member, mid).deleted
    c.recv(a.send(c))
    city = ConflictsTab(make_ctx(c.db, c.clerk))
    qtbot.addWidget(city)
    city.status.setCurrentIndex(city.status.findData("all"))
    city.refresh()
    qtbot.waitUntil(lambda: len(city.views) == 2, timeout=20_000)
    assert {v.kind for v in city.views} == {"request_out"}
    assert city.county.findText("示例县总工会") > 0  # filter by county
    assert wait_for_jobs(20_000)


def test_the_city_home_page_shows_the_county_table(net, qtbot):
    from ui.pages.home import HomePage

    _a, _b, c = _city(net)
    page = HomePage(make_ctx(c.db, c.clerk))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.county_table is not None, timeout=30_000)
    table = page.county_table
    counties = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert counties == ["指标", "示例县总工会", "邻县总工会"]  # counties across, figures down
    labels = [table.item(r, 0).text().strip() if table.item(r, 0) else "" for r in range(table.rowCount())]
    assert labels[:2] == ["本期报送", "最近收到数据包"] and "基层组织建设" in labels
    assert {table.item(0, c).text() for c in (1, 2)} == {"✔"}
    members = next(r for r, h in enumerate(labels) if h.startswith("在册会员"))
    assert table.figure_at(members, 1).value == 3 and table.figure_at(labels.index("基层组织建设"), 1) is None
    # every figure an area adds is a row: the table never outgrows a 1366×768 window sideways
    assert table.horizontalHeader().length() < 900
    assert "县(区)总工会" in [card.figure.label for card in page.cards]
    assert wait_for_jobs(20_000)


def test_the_same_head_in_two_counties_is_flagged_on_the_archive_form(net, qtbot, answer):
    from tests.app.test_city_duplicates import _archive
    from ui.pages.exchange.conflicts_tab import ConflictsTab
    from ui.pages.hardship.archive_form import ArchiveFormDialog

    a, b, c = net["a1"], net["b"], net["c"]
    _archive(a, "刘一")
    xb = _archive(b, "刘一")
    c.recv(a.send(c))
    c.recv(b.send(c))
    ctx = make_ctx(c.db, c.clerk)
    form = ArchiveFormDialog(ctx, xb)
    qtbot.addWidget(form)
    assert not form.same_person_notice.isHidden()
    assert "示例县总工会的困难职工档案“刘一”" in form.same_person_notice.text()
    assert form.request_mode  # 邻县's archive: read-only at the city
    tab = ConflictsTab(ctx)
    qtbot.addWidget(tab)
    answer(confirm=True)
    tab.send_checks()
    qtbot.waitUntil(lambda: len([v for v in tab.views if v.kind == "request_out"]) == 2, timeout=20_000)
    assert wait_for_jobs(20_000)
