"""A long session must not wear out Python's ``None``: PySide6 6.12.0 releases it once too often
whenever an empty QVariant comes back to Python, so the widgets never read one."""

import sys

from app.fields.members import MEMBER


def test_reading_filters_and_combos_keeps_none_intact(qtbot, clerk_ctx):
    from ui.widgets.filter_bar import FilterBar
    from ui.widgets.form_builder import CodeEditor

    bar = FilterBar(clerk_ctx, MEMBER)
    qtbot.addWidget(bar)
    editor = CodeEditor(clerk_ctx, MEMBER.field("political_status"))
    qtbot.addWidget(editor)
    before = sys.getrefcount(None)
    for _ in range(3000):
        assert bar.values() == {}
        assert editor.raw() is None
    assert sys.getrefcount(None) >= before - 50  # not thousands fewer
