"""The kit's area page (``ui.kit.area_page``): a tab per register and 统计 from the declaration, a
figure card opening exactly the records it counts, and home targets opening the tab of their
register with their filters. One page per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.areas import area
from app.kit.figures import area_figures, area_stats, figure_query
from app.models import Unit
from app.services import dashboard, listing
from app.services.listing import ListQuery, Range

EVER = (date(1950, 1, 1), date(2100, 12, 31))


def _wait(qtbot, lst):
    qtbot.waitUntil(lambda: not lst.model.loading and lst.model.total is not None, timeout=15_000)


def _page(qtbot, ctx, a):
    from ui.kit.area_page import AreaPage

    page = AreaPage(ctx, a)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    return page


def _figure(key: str):
    return next(f for f in area_figures("organisation") if f.key == key)


def test_a_kit_area_has_a_tab_per_register_and_statistics(qtbot, db, clerk_ctx):
    from ui.widgets.list_page import ListPage

    plain = replace(area("organisation"), tabs=())  # its registers as a plain kit area has them
    page = _page(qtbot, clerk_ctx, plain)
    from app.kit.register import registers_of

    tabs = [page.tabText(i) for i in range(page.count())]
    assert tabs[:2] == ["单位", "会员"] and tabs[-1] == "统计"
    assert tabs == [r.name for r in registers_of(plain)] + ["统计"]
    assert set(page.built) == {"unit"}  # the others wait until shown
    units = page.tab("unit")
    assert isinstance(units, ListPage) and units.spec.key == "unit"
    page.setCurrentIndex(1)
    members = page.built["member"]
    assert isinstance(members, ListPage) and members.binding.key == "organisation.member"
    _wait(qtbot, members)
    with db.read_session() as s:
        assert members.model.total == listing.count(s, clerk_ctx.actor, ListQuery.of("member")) > 0
    assert members.new_action.isEnabled()  # the register's permission: a clerk adds members
    stats = page.show_tab("stats")
    qtbot.waitUntil(lambda: stats.result is not None, timeout=30_000)
    assert [c.figure.label for c in stats.cards] == [f.label for f in area_figures("organisation")
                                                    if not f.city_only]  # a county's page
    assert stats.preset.currentText().endswith("半年")  # the current half-year first
    with db.read_session() as s:  # any unit, not only those with a region code
        union_id, union_name = s.execute(select(Unit.id, Unit.name).where(
            Unit.kind == "grassroots", Unit.code.is_(None))).first()
    stats.result = None
    stats.unit.set_value(union_id)
    stats.unit.changed.emit()  # as the picker does
    qtbot.waitUntil(lambda: stats.result is not None, timeout=30_000)
    assert stats.unit.text() == f"单位:{union_name}" and stats.heading.text().startswith(union_name)
    with db.read_session() as s:
        core = area_stats(s, clerk_ctx.actor, "organisation", *stats.period(), union_id)
    assert [c.figure.value for c in stats.cards] == [f.value for f in core.figures]


def test_a_figure_card_opens_its_records_and_a_row_its_form(qtbot, clerk_ctx, monkeypatch):
    from ui.widgets.record_form import RecordFormDialog

    page = _page(qtbot, clerk_ctx, area("organisation"))
    stats = page.show_tab("stats")
    qtbot.waitUntil(lambda: stats.result is not None, timeout=30_000)
    card = next(c for c in stats.cards if c.figure.key == "migrant_members")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    dialog = stats.last_dialog
    assert dialog is not None and dialog.windowTitle() == f"农民工会员:{card.figure.text} 人"
    records = dialog.list
    _wait(qtbot, records)
    assert records.model.total == card.figure.value > 0
    assert records.count_label.text() == f"共 {card.figure.value:,} 条"
    assert records.filters.values() == {}  # the figure's own conditions are fixed, not offered
    assert {"status", "is_migrant_worker"}.isdisjoint(records.filters.widgets)
    assert "gender" in records.filters.widgets  # other conditions narrow further
    assert not records.new_action.isEnabled() and not records.void_action.isEnabled()
    actions = records.file_actions
    assert not actions.import_action.isVisible() and actions.export_action.isVisible()

    opened = []
    monkeypatch.setattr(RecordFormDialog, "exec", lambda self: opened.append(self) or 0)
    centre = records.view.visualRect(records.model.index(1, 1)).center()
    qtbot.mouseClick(records.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # as a
    qtbot.mouseDClick(records.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # mouse does
    assert len(opened) == 1
    form = opened[0]
    assert form.record_id == records.model.rows[1].id and form.parent() is records
    assert form.binding.key == "organisation.member"  # the members tab's own form


def test_a_home_target_opens_the_tab_of_its_register_with_its_filters(qtbot, db, clerk_ctx):
    page = _page(qtbot, clerk_ctx, area("organisation"))
    with db.read_session() as s:
        township = s.scalars(select(Unit.id).where(Unit.kind == "township")).first()
    query = figure_query(_figure("members_joined"), *EVER, township)
    target = dashboard.target_of("organisation", query)
    assert target.tab == "membership_event"
    page.open_target(target.tab, dict(target.filters))
    events = page.tab("events")
    assert page.currentWidget() is page.holders["events"]
    qtbot.waitUntil(lambda: events.tree.is_loaded, timeout=15_000)
    _wait(qtbot, events.list)
    shown = events.list.current_query()
    assert shown.unit == township and shown.filter_map["event_date"] == Range(*EVER)
    assert shown.filter_map["kind"] == "join"
    with db.read_session() as s:
        assert events.list.model.total == listing.count(s, clerk_ctx.actor, query) > 0
        assert events.list.model.total < listing.count(s, clerk_ctx.actor, ListQuery.of("membership_event"))

    townships = figure_query(_figure("township_unions"), *EVER, None)
    page.open_target("unit", dashboard.target_of("organisation", townships).filters)
    units = page.tab("units")
    assert page.currentWidget() is page.holders["units"]
    qtbot.waitUntil(lambda: units.tree.is_loaded, timeout=15_000)
    _wait(qtbot, units.list)
    with db.read_session() as s:
        assert units.list.model.total == listing.count(s, clerk_ctx.actor, townships) > 0


def test_hardship_targets_open_the_tab_listing_their_register(qtbot, clerk_ctx):
    page = _page(qtbot, clerk_ctx, area("hardship"))
    assert [page.tabText(i) for i in range(page.count())] == [
        "档案", "救助发放", "走访慰问", "金秋助学", "帮扶计划", "统计"]
    assert page.tab_of("hardship_visit") == page.tab_of("hardship_campaign") == "visits"
    page.open_target("hardship_study_aid", {"status": "applied"})
    assert page.currentWidget() is page.holders["aid"]
    aid = page.list_of("hardship_study_aid")
    assert aid is page.tab("aid") and aid.filters.values() == {"status": "applied"}
    page.open_target("hardship_visit", {})
    assert page.currentWidget() is page.holders["visits"]
    assert page.list_of("hardship_visit") is page.tab("visits").visits
