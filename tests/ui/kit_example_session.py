"""Run by ``test_kit_example_area.py`` in a process of its own with the test-only area added
(``UNIONDESK_EXTRA_AREAS=tests.kit_example.area:AREAS``, before ``app.areas`` is imported; its
model registers a table for the whole process): the area a declaration adds is in the navigation,
and its kit page works — a record added through the form is saved, listed and counted."""

from __future__ import annotations

import os
from datetime import date

import pytest

from app.areas import EXTRA_ENV
from app.clock import today

if "tests.kit_example" not in os.environ.get(EXTRA_ENV, ""):
    pytest.skip("run by test_kit_example_area.py with the example area added", allow_module_level=True)


def test_the_declared_area_is_navigated_to_and_its_page_adds_lists_and_counts(
        qtbot, db, clerk_ctx, monkeypatch):
    from ui.kit.area_page import AreaPage
    from ui.main_window import MainWindow
    from ui.widgets.record_form import RecordFormDialog

    window = MainWindow(clerk_ctx)  # the one window of this process
    qtbot.addWidget(window)
    window.show()
    assert window.nav.item(window.nav.count() - 1).text() == "示例工作领域"
    page = window.navigate("kit_example")
    assert isinstance(page, AreaPage) and window.stack.currentWidget() is page
    assert [page.tabText(i) for i in range(page.count())] == ["示例活动", "统计"]
    events = page.tab("kit_example")
    qtbot.waitUntil(lambda: events.model.total is not None, timeout=15_000)
    before, counted = events.model.total, figures(clerk_ctx)  # the demo filled the register too

    def fill_in(form):  # typed by the clerk, then 保存
        assert form.windowTitle() == "新增示例活动"
        values = {"held_on": today(), "union_id": db.root_unit_id, "name": "职工法律讲座",
                  "kind": "talk", "people": 40}
        for key, value in values.items():
            form.cells[key].editor.set_stored(value)
        form.accept()
        return form.result()

    monkeypatch.setattr(RecordFormDialog, "exec", fill_in)
    events.new_record()  # 新增
    qtbot.waitUntil(lambda: events.model.total == before + 1, timeout=15_000)
    row = next(r for r in events.model.rows if r.id == events.current_id())  # selected after saving
    assert "职工法律讲座" in row.texts and "讲座" in row.texts

    stats = page.show_tab("stats")
    stats.set_period(date(today().year, 1, 1), date(today().year, 12, 31))
    stats.result = None
    stats.refresh()
    qtbot.waitUntil(lambda: stats.result is not None, timeout=30_000)
    shown = {c.figure.label: c.figure.value for c in stats.cards}
    assert (shown["示例活动"], shown["其中讲座"], shown["参加"]) == (
        counted["示例活动"] + 1, counted["其中讲座"] + 1, counted["参加"] + 40)
    assert stats.last_dialog is None
    records = stats.open_records(stats.cards[0].figure).list
    qtbot.waitUntil(lambda: records.model.total == shown["示例活动"], timeout=15_000)
    assert row.id in {r.id for r in records.model.rows}
    window.quit_app()


def figures(ctx) -> dict:
    """The area's figures for this year, from the core (what the 统计 tab should show)."""
    from app.kit.figures import area_stats

    year = today().year
    with ctx.read() as s:
        result = area_stats(s, ctx.actor, "kit_example", date(year, 1, 1), date(year, 12, 31))
    return {f.label: f.value for f in result.figures}
