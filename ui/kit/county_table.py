"""At the city: each county's declared figures (``app.services.city.county_table``) side by side,
with when each county last sent a bundle and whether one arrived for the period. Figures are rows
and counties columns: a city has a handful of counties but every work area adds figures, so the
table grows downwards (the page scrolls) and never sideways on a 1366×768 screen. A cell opens the
records the figure counted (``on_figure``); a county whose bundle is missing is marked.

    指标                    示例县总工会          邻县总工会
    本期报送                ✔                     ✘ 未报送
    最近收到数据包          2026-07-02 09:15      2025-12-20 09:30
    基层组织建设
      在册会员(人)          3,002                 2,871
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.clock import to_local
from ui.theme import COLORS

REPORTED, LAST_BUNDLE = 0, 1  # the first two rows; then each area's title and its figures


class CountyTableView(QTableWidget):
    def __init__(self, on_figure: Callable[[str, object], None] | None = None, parent=None):
        """``on_figure(area key, FigureValue)``: a cell double-clicked."""
        super().__init__(parent)
        self.on_figure = on_figure
        self.table = None
        self.row_columns: list = []  # per table row: the figure column it shows, or None
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the page scrolls
        self.cellDoubleClicked.connect(self._open)

    def set_table(self, table) -> None:
        """``table``: an ``app.services.city.CountyTable``. Whether each county has reported comes
        first (the figures of a silent county are those of its last bundle)."""
        self.table = table
        self.clear()
        self.clearSpans()
        self.setColumnCount(1 + len(table.rows))
        self.setHorizontalHeaderLabels(["指标"] + [row.county.name for row in table.rows])
        self.row_columns = [None, None]
        area = None
        for column in table.columns:
            if column.area != area:
                area = column.area
                self.row_columns.append(column.area_title)
            self.row_columns.append(column)
        self.setRowCount(len(self.row_columns))
        self.setItem(REPORTED, 0, QTableWidgetItem("本期报送"))
        self.setItem(LAST_BUNDLE, 0, QTableWidgetItem("最近收到数据包"))
        for c, row in enumerate(table.rows, start=1):
            ok = row.county.reported_since(table.date_from)
            flag = QTableWidgetItem("✔" if ok else "✘ 未报送")
            flag.setForeground(Qt.GlobalColor.darkGreen if ok else _color(COLORS["error"]))
            flag.setToolTip("" if ok else f"自 {table.date_from:%Y-%m-%d} 起未收到该县的数据包,"
                                          "其数字可能不完整")
            self.setItem(REPORTED, c, flag)
            last = to_local(row.county.last_bundle)
            self.setItem(LAST_BUNDLE, c, QTableWidgetItem(f"{last:%Y-%m-%d %H:%M}" if last else "从未收到"))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, column in enumerate(self.row_columns):
            if isinstance(column, str):  # an area's title over its figures
                title = QTableWidgetItem(column)
                title.setFont(bold)
                self.setItem(r, 0, title)
                self.setSpan(r, 0, 1, self.columnCount())
            elif column is not None:
                self.setItem(r, 0, QTableWidgetItem(f"  {column.label}({column.unit})"))
                for c, row in enumerate(table.rows, start=1):
                    value = table.value(row, column)
                    item = QTableWidgetItem(value.text if value is not None else "")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    item.setToolTip("双击查看所统计的记录")
                    self.setItem(r, c, item)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows_h = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(header.height() + rows_h + self.horizontalScrollBar().sizeHint().height() + 6)

    def figure_at(self, row: int, column: int):
        if self.table is None or not 0 <= row < len(self.row_columns) or \
                not 1 <= column <= len(self.table.rows):
            return None
        figure = self.row_columns[row]
        if figure is None or isinstance(figure, str):
            return None
        return self.table.value(self.table.rows[column - 1], figure)

    def _open(self, row: int, column: int) -> None:
        value = self.figure_at(row, column)
        if value is not None and self.on_figure is not None:
            self.on_figure(self.row_columns[row].area, value)


def _color(hex_code: str):
    from PySide6.QtGui import QColor

    return QColor(hex_code)
