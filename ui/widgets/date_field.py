"""A date typed as people type it, with a calendar beside it.

The clerk types ``2026-12-07``, ``2026.12.7``, ``20261207`` or ``2026年12月7日`` (the parser the
Excel import uses, ``app.validation.parse_date``) and the field shows it as ``2026-12-07`` once
she leaves it; the calendar button (or F4 / Alt+↓) opens a Chinese calendar on the field's date, or on a sensible
year for the field (a birth date some forty years back, not today). Empty is simply empty.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QToolButton, QWidget

from app.clock import today as clock_today
from app.validation import DateError, parse_date
from ui.theme import icon

# a format hint, not a date: an example date in an empty box read as one already filled in
PLACEHOLDER = "年-月-日"
# how many years back the calendar opens for a field whose dates lie in the past
YEARS_BACK = {"birth_date": 40, "work_started_on": 15, "founded_on": 10}


def chinese_locale() -> QLocale:
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def opening_page(key: str, today: date | None = None) -> QDate:
    """The month the calendar shows for an empty field ``key``."""
    today = today or clock_today()
    back = YEARS_BACK.get(key, 40 if "birth" in key else 0)
    return QDate(today.year - back, today.month if back == 0 else 1, 1 if back else today.day)


def typed_date(text: str) -> date | None:
    """The date in ``text``, or None when it is empty or not a date."""
    if not text.strip():
        return None
    try:
        return parse_date(text)
    except DateError:
        return None


class ChineseCalendar(QCalendarWidget):
    """Monday first, weekday header 一 二 三 …, month names in Chinese, whatever the default locale."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setLocale(chinese_locale())
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.SingleLetterDayNames)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setGridVisible(False)


class DateLine(QWidget):
    """A line to type a date in and a button opening the calendar; ``edited`` on every change."""

    edited = Signal()

    def __init__(self, key: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.line = QLineEdit()
        self.line.setPlaceholderText(PLACEHOLDER)
        self.line.setMaxLength(20)
        self.line.textChanged.connect(lambda _t: self.edited.emit())  # typed, picked or set
        self.line.installEventFilter(self)
        self.button = QToolButton()
        self.button.setIcon(icon("calendar"))
        self.button.setAccessibleName("日历")
        self.button.setToolTip("打开日历(F4)")
        self.button.setAutoRaise(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        self.calendar: ChineseCalendar | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)

    # -- value -------------------------------------------------------------------------------
    def text(self) -> str:
        return self.line.text().strip()

    def value(self) -> date | None:
        return typed_date(self.line.text())

    def set_value(self, value: date | None) -> None:
        self.line.setText(value.isoformat() if value else "")

    def tidy(self) -> None:
        """Show a typed date the way lists show it (``2026年12月7日`` → ``2026-12-07``)."""
        d = self.value()
        if d is not None and self.line.text() != d.isoformat():
            self.line.setText(d.isoformat())

    def set_read_only(self, on: bool) -> None:
        self.line.setReadOnly(on)
        self.button.setVisible(not on)
        self.line.setPlaceholderText("" if on else PLACEHOLDER)

    # -- calendar ----------------------------------------------------------------------------
    def open_calendar(self) -> None:
        if self.line.isReadOnly():
            return
        if self.calendar is None:
            self.calendar = ChineseCalendar(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
        d = self.value()
        if d is not None:
            page = QDate(d.year, d.month, d.day)
            self.calendar.setSelectedDate(page)
        else:
            page = opening_page(self.key)
            self.calendar.setSelectedDate(page)
        self.calendar.setCurrentPage(page.year(), page.month())
        self.calendar.move(self.line.mapToGlobal(QPoint(0, self.line.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, d: QDate) -> None:
        self.line.setText(date(d.year(), d.month(), d.day()).isoformat())
        if self.calendar is not None:
            self.calendar.hide()
        self.line.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.line and event.type() == QEvent.Type.KeyPress and (
                event.key() == Qt.Key.Key_F4 or (
                event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)):
            self.open_calendar()
            return True
        return False
