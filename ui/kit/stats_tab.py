"""统计: an area's declared figures (``app.kit.figures.area_stats``, the function ``stats AREA`` and
the half-year summary call) for a period and a unit, each a card that opens the records behind it.

    期间 [2026年上半年 ▾] [2026-01-01] 至 [2026-06-30]  单位:全部  [统计]
    示例县总工会 2026-01-01 至 2026-06-30
    ┌────────────┐ ┌────────────┐ …
    │ 12 户      │ │ 3.50 万元  │
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.areas import area
from app.clock import today
from app.fields.spec import Field, Kind
from app.kit.figures import area_figures, periods
from ui.errors import user_message
from ui.kit.drill_down import FigureRecordsDialog, FormOpener, generic_form
from ui.widgets.date_field import ChineseCalendar
from ui.widgets.figure_card import FigureGrid
from ui.widgets.filter_bar import RefFilter
from ui.workers import run_in_background

COLUMNS = 4
UNIT = Field("unit", "单位", Kind.REF, ref="unit")


class StatsTab(QWidget):
    def __init__(self, ctx, area_key: str, open_record: FormOpener | None = None, parent=None):
        super().__init__(parent)
        self.ctx, self.area_key = ctx, area_key
        self.open_record = open_record or generic_form(ctx)
        self.result = None
        self.last_dialog: FigureRecordsDialog | None = None
        self._serial = 0  # a newer request makes the older answers stale
        self._stale = False
        self._specs = {f.spec for f in area_figures(area_key)}
        self.preset = QComboBox()
        self.preset.setAccessibleName("统计期间")
        for text, d0, d1 in periods(today()):
            self.preset.addItem(text, (d0, d1))
        self.preset.addItem("自定义", None)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarWidget(ChineseCalendar())  # 一 二 三 …, Monday first
        self.unit = RefFilter(ctx, UNIT)  # every unit, searchable; right-click: 全部
        self.unit.setToolTip("统计哪个单位(含其下级单位);点击选择,右键恢复为全部")
        self.unit.changed.connect(self.refresh)
        self.run_button = QPushButton("统计")
        self.run_button.setDefault(True)
        self.preset.currentIndexChanged.connect(self._preset)
        self.run_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for w in (QLabel("期间"), self.preset, self.date_from, QLabel("至"), self.date_to,
                  self.unit, self.run_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.grid = FigureGrid(COLUMNS)
        note = QLabel(area(area_key).stats_note + "点击数字查看它统计的记录。")  # under the cards
        note.setObjectName("muted")
        note.setWordWrap(True)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(8)
        inner.addWidget(self.grid)
        inner.addWidget(note)
        self.by_county = None  # at the city: the same figures per county, and who has reported
        if ctx.is_city:
            from ui.kit.county_table import CountyTableView

            heading = QLabel("按县(区)")
            heading.setObjectName("sectionTitle")
            self.by_county = CountyTableView(lambda _area, f: self.open_records(f))
            inner.addWidget(heading)
            inner.addWidget(self.by_county)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        ctx.data_changed.connect(self._data_changed)
        self._preset()

    @property
    def cards(self):
        return self.grid.cards

    def _preset(self) -> None:
        span = self.preset.currentData()
        custom = span is None
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if span:
            self.set_period(*span, preset=False)
            self.refresh()

    def set_period(self, d0: date, d1: date, *, preset: bool = True) -> None:
        """Show a period of one's own (自定义) — or, from a preset, its dates."""
        if preset:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.count() - 1)
            self.preset.blockSignals(False)
            self.date_from.setEnabled(True)
            self.date_to.setEnabled(True)
        self.date_from.setDate(QDate(d0.year, d0.month, d0.day))
        self.date_to.setDate(QDate(d1.year, d1.month, d1.day))

    def period(self) -> tuple[date, date]:
        d0, d1 = self.date_from.date(), self.date_to.date()
        return date(d0.year(), d0.month(), d0.day()), date(d1.year(), d1.month(), d1.day())

    def refresh(self) -> None:
        ctx, area_key, (d0, d1), unit = self.ctx, self.area_key, self.period(), self.unit.value
        self._stale = False
        self.heading.setText("正在统计……")
        self._serial += 1
        serial = self._serial

        by_county = self.by_county is not None and not unit

        def work(_progress):
            from app.kit.figures import area_stats
            from app.services.city import county_table

            with ctx.read() as s:
                return (area_stats(s, ctx.actor, area_key, d0, d1, unit),
                        county_table(s, ctx.actor, d0, d1, areas=[area_key]) if by_county else None)

        def failed(exc, _tb) -> None:
            if serial == self._serial:
                self.heading.setText("统计失败:" + user_message(exc)[0])

        run_in_background(self, work, lambda r: self.show_stats(r) if serial == self._serial else None,
                          failed)

    def show_stats(self, result) -> None:
        result, counties = result if isinstance(result, tuple) else (result, None)
        if self.by_county is not None:
            self.by_county.setVisible(counties is not None)
            if counties is not None:
                self.by_county.set_table(counties)
        self.result = result
        self.grid.set_figures(result.figures, lambda f: f.text, self.open_records)
        self.heading.setText(self._context(result))

    @staticmethod
    def _context(result) -> str:
        return f"{result.unit_name} {result.date_from.isoformat()} 至 {result.date_to.isoformat()}"

    def make_records(self, figure) -> FigureRecordsDialog:
        context = self._context(self.result) if self.result is not None else ""
        return FigureRecordsDialog(self.ctx, figure, self.open_record, context=context, parent=self)

    def open_records(self, figure) -> FigureRecordsDialog:
        dialog = self.make_records(figure)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _data_changed(self, key: str) -> None:
        if key in self._specs:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def smoke_dialogs(self) -> list:
        from ui.workers import wait_for_jobs

        wait_for_jobs(30_000)
        figure = next(iter(self.result.figures), None) if self.result is not None else None
        return [(f"统计明细:{figure.label}", lambda: self.make_records(figure))] if figure else []
