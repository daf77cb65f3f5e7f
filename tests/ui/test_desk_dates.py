"""Issue 12, point 1: dates are typed as clerks type them, and the calendar is Chinese."""

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.fields.spec import Field, Kind


def _editor(qtbot, key="joined_on", label="入会日期"):
    from ui.widgets.form_builder import make_editor

    editor = make_editor(None, Field(key, label, Kind.DATE))
    qtbot.addWidget(editor)
    editor.show()
    return editor


@pytest.mark.parametrize("typed", ["2026-12-07", "2026.12.7", "20261207", "2026年12月7日", "2026/12/07"])
def test_a_date_typed_into_an_empty_field_is_taken(qtbot, typed):
    editor = _editor(qtbot)
    line = editor.input
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)  # a click first, as a clerk does
    if typed.isascii():
        qtbot.keyClicks(line, typed)
    else:  # 汉字 arrive from the input method as one edit
        line.insert(typed)
    assert editor.raw() == date(2026, 12, 7)
    assert "未填写" not in line.text()
    editor.left.emit()  # leaving the field shows it the way lists do
    assert line.text() == "2026-12-07"


def test_empty_is_none_and_a_wrong_date_is_left_for_the_check_to_name(qtbot):
    editor = _editor(qtbot)
    assert editor.raw() is None
    editor.input.insert("2026-13-40")
    assert editor.raw() == "2026-13-40"


def test_a_stored_date_shows_and_clears(qtbot):
    editor = _editor(qtbot)
    editor.set_stored(date(2020, 3, 5))
    assert editor.input.text() == "2020-03-05" and editor.raw() == date(2020, 3, 5)
    editor.input.clear()
    assert editor.raw() is None


def _header(calendar):
    view = calendar.findChild(QTableView)
    model = view.model()
    return [model.index(0, c).data() for c in range(model.columnCount())]


def test_the_calendar_opens_on_the_value_with_chinese_weekdays(qtbot):
    editor = _editor(qtbot)
    editor.set_stored(date(2012, 9, 1))
    editor.date_line.open_calendar()
    cal = editor.date_line.calendar
    assert cal.isVisible()
    assert (cal.yearShown(), cal.monthShown()) == (2012, 9)
    assert cal.selectedDate().toPython() == date(2012, 9, 1)
    assert [h for h in _header(cal) if h][:7] == ["一", "二", "三", "四", "五", "六", "日"]
    cal.clicked.emit(cal.selectedDate().addDays(6))  # a click on a day fills the field
    assert editor.raw() == date(2012, 9, 7) and not cal.isVisible()


def test_an_empty_birth_date_opens_decades_back_not_today(qtbot):
    editor = _editor(qtbot, "birth_date", "出生日期")
    editor.date_line.open_calendar()
    assert editor.date_line.calendar.yearShown() <= date.today().year - 30
    plain = _editor(qtbot, "visited_on", "走访日期")
    plain.date_line.open_calendar()
    assert plain.date_line.calendar.yearShown() == date.today().year
