"""At the city: a county × figure table (``app.services.city.county_table``, built on the declared
figures), with when each county last sent a bundle and whether one arrived for the period. A cell
opens the records the figure counted (``on_figure``); a county whose bundle is missing is marked.

    县(区)        本期报送   最近收到数据包      在册会员  新入会会员  …
    示例县总工会  ✔          2026-07-02 09:15       3,002         120
    邻县总工会    ✘ 未报送   2025-12-20 09:30       2,871          98
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.clock import to_local
from ui.theme import COLORS

FIRST = 3  # the figures' first column (after 县(区), 本期报送, 最近收到数据包)


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
        """``table``: an ``app.services.city.CountyTable``. Whether each county has reported comes
        first (the figures of a silent county are those of its last bundle)."""
        self.table = table
        headers = ["县(区)", "本期报送", "最近收到数据包"] + [f"{c.label}({c.unit})" for c in table.columns]
        self.clear()
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(table.rows))
        for r, row in enumerate(table.rows):
            county = row.county
            self.setItem(r, 0, QTableWidgetItem(county.name))
            ok = county.reported_since(table.date_from)
            flag = QTableWidgetItem("✔" if ok else "✘ 未报送")
            flag.setForeground(Qt.GlobalColor.darkGreen if ok else _color(COLORS["error"]))
            flag.setToolTip("" if ok else f"自 {table.date_from:%Y-%m-%d} 起未收到该县的数据包,"
                                          "其数字可能不完整")
            self.setItem(r, 1, flag)
            last = to_local(county.last_bundle)
            self.setItem(r, 2, QTableWidgetItem(f"{last:%Y-%m-%d %H:%M}" if last else "从未收到"))
            for c, column in enumerate(table.columns, start=FIRST):
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
        if self.table is None or not 0 <= row < len(self.table.rows) or \
                not FIRST <= column < FIRST + len(self.table.columns):
            return None
        return self.table.value(self.table.rows[row], self.table.columns[column - FIRST])

    def _open(self, row: int, column: int) -> None:
        figure = self.figure_at(row, column)
        if figure is not None and self.on_figure is not None:
            self.on_figure(self.table.columns[column - FIRST].area, figure)


def _color(hex_code: str):
    from PySide6.QtGui import QColor

    return QColor(hex_code)
