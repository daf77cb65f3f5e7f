"""值班排班: the duty roster as a month calendar (Monday to Sunday; each day its morning and
afternoon lawyers; holidays and 调休 working days marked), the month's slots in the kit's list
below it (新增, 导入Excel, 打印 ▾ with the month's 排班表). Double-clicking a day opens its first
slot, or a new one on that day; the core's rule refuses a lawyer twice at one time."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from app.clock import today
from app.services import calendar
from app.services.listing import Range
from app.services.rights import roster
from ui.theme import COLORS
from ui.widgets.binding import RecordBinding
from ui.widgets.list_page import ListPage

BINDING = RecordBinding.of("rights_duty", "rights.duty")
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


class RosterTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        on = today()
        self.year, self.month = on.year, on.month
        self.days: dict[tuple[int, int], date] = {}
        self.title = QLabel("")
        self.title.setObjectName("pageTitle")
        prev_button, next_button, this_button = QPushButton("◀ 上月"), QPushButton("下月 ▶"), QPushButton("本月")
        prev_button.clicked.connect(lambda: self.move(-1))
        next_button.clicked.connect(lambda: self.move(1))
        this_button.clicked.connect(lambda: self.show_month(today().year, today().month))
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        for b in (prev_button, this_button, next_button):
            head.addWidget(b)
        self.grid = QTableWidget(0, 7)
        self.grid.setHorizontalHeaderLabels([f"星期{w}" for w in WEEKDAYS])
        self.grid.verticalHeader().hide()
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.setWordWrap(True)
        self.grid.cellDoubleClicked.connect(self.open_day)
        self.list = ListPage(ctx, BINDING, title="本月值班明细")
        self.list.record_saved.connect(lambda _id: self.refresh())
        ctx.data_changed.connect(lambda key: self.refresh() if key == "rights_duty" else None)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(head)
        top_layout.addWidget(self.grid, 1)
        note = QLabel("双击某一天查看或安排值班;“休”为法定节假日,“班”为调休上班日。")
        note.setObjectName("muted")
        top_layout.addWidget(note)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.list)
        splitter.setSizes([420, 260])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.show_month(self.year, self.month)

    def move(self, months: int) -> None:
        index = self.year * 12 + self.month - 1 + months
        self.show_month(index // 12, index % 12 + 1)

    def show_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.title.setText(f"{year}年{month}月值班安排")
        first = date(year, month, 1)
        weeks = roster.month_weeks(year, month)
        self.list.new_values = {"duty_on": first}
        self.list.set_scope({"duty_on": Range(first, max(d for w in weeks for d in w if d))},
                            f"{year}年{month}月", options={"month": f"{year}-{month:02d}"})
        self.refresh()

    def refresh(self) -> None:
        weeks = roster.month_weeks(self.year, self.month)
        with self.ctx.read() as s:
            slots = roster.month_slots(s, self.ctx.actor, self.year, self.month)
            cal = calendar.WorkCalendar.load(s)
            marks = {d: (cal.is_workday(d), cal.days.get(d, (True, ""))[1])
                     for w in weeks for d in w if d}
        self.grid.setRowCount(len(weeks))
        self.days = {}
        for r, week in enumerate(weeks):
            self.grid.setRowHeight(r, 86)
            for c, d in enumerate(week):
                item = QTableWidgetItem(self._text(d, slots, marks) if d else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                if d is not None:
                    self.days[(r, c)] = d
                    workday = marks[d][0]
                    if not workday:
                        item.setBackground(QColor(COLORS["panel"]))
                    if d == today():
                        item.setForeground(QColor(COLORS["accent"]))
                self.grid.setItem(r, c, item)

    @staticmethod
    def _text(d: date, slots, marks) -> str:
        workday, name = marks[d]
        tag = ""
        if not workday and d.weekday() < 5:
            tag = f" 休{('·' + name) if name else ''}"
        elif workday and d.weekday() >= 5:
            tag = " 班"
        lines = [f"{d.day}日{tag}"]
        for half, text in (("am", "上午"), ("pm", "下午")):
            for slot in slots.get((d, half), []):
                mark = "" if slot.signed or d > today() else "(未签到)"
                lines.append(f"{text} {slot.lawyer}·{slot.firm.removesuffix('律师事务所')}{mark}")
        return "\n".join(lines)

    def open_day(self, row: int, column: int):
        d = self.days.get((row, column))
        if d is None:
            return None
        with self.ctx.read() as s:
            slots = roster.month_slots(s, self.ctx.actor, self.year, self.month)
        existing = [x for half in ("am", "pm") for x in slots.get((d, half), [])]
        from ui.widgets.record_form import RecordFormDialog

        dialog = RecordFormDialog(self.ctx, BINDING, existing[0].id if existing else None, self,
                                  None if existing else {"duty_on": d})
        self.last_dialog = dialog
        if dialog.exec():
            self.refresh()
            self.list.reload()
        return dialog

    def smoke_dialogs(self) -> list:
        return self.list.smoke_dialogs()
