"""At the city: a county × figure table (``app.services.city.county_table``, built on the declared
figures), with when each county last sent a bundle and whether one arrived for the period. A cell
opens the records the figure counted (``on_figure``); a county whose bundle is missing is marked.

    县(区)        在册会员  新入会会员  … 最近收到数据包      本期报送
    示例县总工会      3,002        120   2026-07-02 09:15   ✔
    邻县总工会        2,871         98   —                  ✘ 未报送
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.clock import to_local
from ui.theme import COLORS


class CountyTableView(QTableWidget):
    def __init__(self, on_figure: Callable[[str, object], None] | None = None, parent=None):
        """``on_figure(area key, FigureValue)``: a cell double-clicked."""
        super().__init__(parent)
        self.on_figure = on_figure
        self.table = None
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.cellDoubleClicked.connect(self._open)

    def set_table(self, table) -> None:
        """``table``: an ``app.services.city.CountyTable``."""
        self.table = table
        headers = ["县(区)"] + [f"{c.label}({c.unit})" for c in table.columns] + ["最近收到数据包", "本期报送"]
        self.clear()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            county = row.county
            self.setItem(r, 0, QTableWidgetItem(county.name))
            for c, column in enumerate(table.columns, start=1):
                value = table.value(row, column)
                item = QTableWidgetItem(value.text if value is not None else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip("双击查看所统计的记录")
                self.setItem(r, c, item)
            last = to_local(county.last_bundle)
            self.setItem(r, len(headers) - 2, QTableWidgetItem(f"{last:%Y-%m-%d %H:%M}" if last else "—"))
            ok = county.reported_since(table.date_from)
            flag = QTableWidgetItem("✔" if ok else "✘ 未报送")
            flag.setForeground(Qt.GlobalColor.darkGreen if ok else _color(COLORS["error"]))
            flag.setToolTip("" if ok else f"自 {table.date_from:%Y-%m-%d} 起未收到该县的数据包,"
                                          "其数字可能不完整")
            self.setItem(r, len(headers) - 1, flag)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumHeight(min(60 + 30 * max(1, len(table.rows)), 360))

    def figure_at(self, row: int, column: int):
        if self.table is None or not 0 <= row < len(self.table.rows) or \
                not 1 <= column <= len(self.table.columns):
            return None
        return self.table.value(self.table.rows[row], self.table.columns[column - 1])

    def _open(self, row: int, column: int) -> None:
        figure = self.figure_at(row, column)
        if figure is not None and self.on_figure is not None:
            self.on_figure(self.table.columns[column - 1].area, figure)


def _color(hex_code: str):
    from PySide6.QtGui import QColor

    return QColor(hex_code)
