"""统计: the figures of seed section (六) for a period and a unit (``stats.hardship_stats``, the
function the CLI and the half-year summary call), each a card that opens the records behind it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QFrame, QGridLayout, QHBoxLayout,
                               QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget)
from sqlalchemy import select

from app.clock import today
from app.fields.registry import spec as spec_by_key
from app.models import Unit
from app.services import listing
from app.services.hardship import stats
from ui.widgets.figure_card import FigureCard
from ui.widgets.object_table import ObjectTable
from ui.workers import run_in_background

COLUMNS = 4
BEHIND_LIMIT = 1000


def periods(on: date) -> list[tuple[str, date, date]]:
    """The periods a summary is written for, the current half-year first (the default)."""
    y = on.year

    def first(year):
        return (f"{year}年上半年", date(year, 1, 1), date(year, 6, 30))

    def second(year):
        return (f"{year}年下半年", date(year, 7, 1), date(year, 12, 31))

    def whole(year):
        return (f"{year}年", date(year, 1, 1), date(year, 12, 31))

    if on.month >= 7:
        return [second(y), whole(y), first(y), whole(y - 1)]
    return [first(y), whole(y), second(y - 1), whole(y - 1)]


class StatsTab(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result = None
        self._serial = 0  # a newer request makes the older answers stale
        self.cards: list[FigureCard] = []
        self.preset = QComboBox()
        self.preset.setAccessibleName("统计期间")
        for text, d0, d1 in periods(today()):
            self.preset.addItem(text, (d0, d1))
        self.preset.addItem("自定义", None)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.unit = QComboBox()
        self.unit.setAccessibleName("统计单位")
        with ctx.read() as s:
            root = s.get(Unit, ctx.db.root_unit_id)
            self.unit.addItem(f"{root.name if root else '本单位'}(全部)", "")
            for code, name in s.execute(select(Unit.code, Unit.name).where(
                    Unit.deleted.is_(False), Unit.code.is_not(None), Unit.id != ctx.db.root_unit_id)
                    .order_by(Unit.code)).all():
                self.unit.addItem(f"{name}({code})", code)
        self.run_button = QPushButton("统计")
        self.run_button.setDefault(True)
        self.preset.currentIndexChanged.connect(self._preset)
        self.run_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        for w in (QLabel("期间"), self.preset, self.date_from, QLabel("至"), self.date_to,
                  QLabel("单位"), self.unit, self.run_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.heading = QLabel("")
        self.heading.setObjectName("sectionTitle")
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        for c in range(COLUMNS):
            self.grid.setColumnStretch(c, 1)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(self.grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        note = QLabel("慰问金只计现金,慰问品另列折价,冲正已抵减;点击数字查看对应的记录。与“统计报表”中半年总结使用同一口径。")
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(note)
        self._preset()

    def _preset(self) -> None:
        span = self.preset.currentData()
        custom = span is None
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if span:
            self.date_from.setDate(QDate(span[0].year, span[0].month, span[0].day))
            self.date_to.setDate(QDate(span[1].year, span[1].month, span[1].day))
            self.refresh()

    def period(self) -> tuple[date, date]:
        d0, d1 = self.date_from.date(), self.date_to.date()
        return date(d0.year(), d0.month(), d0.day()), date(d1.year(), d1.month(), d1.day())

    def refresh(self) -> None:
        ctx, (d0, d1), code = self.ctx, self.period(), self.unit.currentData() or None
        self.heading.setText("正在统计……")
        self._serial += 1
        serial = self._serial

        def work(_progress):
            with ctx.read() as s:
                return stats.hardship_stats(s, ctx.actor, d0, d1, code)

        run_in_background(self, work, lambda r: self.show_stats(r) if serial == self._serial else None)

    def show_stats(self, result) -> None:
        self.result = result
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.cards = []
        for i, f in enumerate(result.figures):
            card = FigureCard(f, f.text, opens=True)
            card.clicked.connect(lambda f=f: self.open_records(f))
            self.grid.addWidget(card, i // COLUMNS, i % COLUMNS)
            self.cards.append(card)
        self.heading.setText(f"{result.unit_name} {result.date_from.isoformat()} 至 "
                             f"{result.date_to.isoformat()}")

    def open_records(self, figure):
        dialog = RecordsDialog(self.ctx, figure, self)
        self.last_dialog = dialog
        dialog.open()
        return dialog


class RecordsDialog(QDialog):
    """The records a figure counted (its ``ListQuery``), a double-click opens one."""

    def __init__(self, ctx, figure, parent=None):
        super().__init__(parent)
        self.ctx, self.figure = ctx, figure
        self.setWindowTitle(f"{figure.label}:{figure.text} {figure.unit}")
        spec = spec_by_key(figure.query.spec_key)
        self.table = ObjectTable(ctx, spec)
        self.table.open_requested.connect(self._open)
        self.count = QLabel("正在查询……")
        note = QLabel(figure.note)
        note.setObjectName("muted")
        note.setWordWrap(True)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.resize(1000, 560)
        query = figure.query

        def work(_progress):
            with ctx.read() as s:
                total = listing.count(s, ctx.actor, query)
                return total, listing.all_ids(s, ctx.actor, query, limit=BEHIND_LIMIT)

        run_in_background(self, work, self._loaded)

    def _loaded(self, outcome) -> None:
        total, ids = outcome
        spec = spec_by_key(self.figure.query.spec_key)
        with self.ctx.read() as s:
            found = {o.id: o for o in s.scalars(select(spec.model).where(spec.model.id.in_(ids)))}
            self.table.set_objects(s, [found[i] for i in ids if i in found])
        shown = f"(显示前 {len(ids):,} 条)" if total > len(ids) else ""
        self.count.setText(f"共 {total:,} 条{shown}")

    def _open(self, record_id: str) -> None:
        if self.figure.query.spec_key == "hardship_archive":
            from ui.pages.hardship.archive_form import ArchiveFormDialog

            ArchiveFormDialog(self.ctx, record_id, self).exec()
